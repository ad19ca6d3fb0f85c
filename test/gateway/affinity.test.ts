import { afterEach, describe, expect, it } from "vitest";
import { harnessPool, primaryAndFallback } from "./harness.js";

const pool = harnessPool();
afterEach(() => pool.closeAll());

const HELLO = { model: "smart", messages: [{ role: "user" as const, content: "hi" }] };

async function servedBy(
  h: Awaited<ReturnType<typeof pool.start>>,
  apiKey: string,
): Promise<string | null> {
  const { response } = await h
    .openai({ apiKey, maxRetries: 0 })
    .chat.completions.create(HELLO)
    .withResponse();
  return response.headers.get("x-switchyard-provider");
}

describe("cache affinity", () => {
  it("keeps a client on one target, and moves it (and keeps it) elsewhere after a failure", async () => {
    // Round-robin over two equal targets would alternate; affinity keeps each client where it began.
    const equalTargets = {
      strategy: "round-robin",
      affinity: { ttlMs: 60_000 },
      targets: [
        { provider: "primary", model: "gpt-4o" },
        { provider: "fallback", model: "claude-sonnet-4-5" },
      ],
    };
    const h = await pool.start(
      primaryAndFallback({
        model: equalTargets,
        clients: [
          { name: "a", key: "key-a" },
          { name: "b", key: "key-b" },
        ],
      }),
    );
    const first = await servedBy(h, "key-a");
    const other = await servedBy(h, "key-b");
    expect(other).not.toBe(first);
    for (let i = 0; i < 4; i++) expect(await servedBy(h, "key-a")).toBe(first);

    const mock = first === "primary" ? h.mocks.primary : h.mocks.fallback;
    mock.enqueue({ error: { status: 503, kind: "server" } });
    const moved = await servedBy(h, "key-a");
    expect(moved).not.toBe(first);
    for (let i = 0; i < 3; i++) expect(await servedBy(h, "key-a")).toBe(moved);
  });
});
