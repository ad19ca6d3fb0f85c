import { afterEach, describe, expect, it } from "vitest";
import { harnessPool, providerConfig } from "./harness.js";

const pool = harnessPool();
afterEach(() => pool.closeAll());

const HELLO = { model: "smart", messages: [{ role: "user" as const, content: "hi" }] };

function keyPool(keys: Record<string, unknown>[]) {
  return {
    mocks: ["upstream"] as const,
    config: (mocks: { upstream: { url: string } }) => ({
      providers: [
        providerConfig({
          name: "pool",
          type: "openai",
          origin: mocks.upstream.url,
          extra: { keys },
        }),
      ],
      models: [
        {
          name: "smart",
          retry: { maxAttempts: 1 },
          targets: [{ provider: "pool", model: "gpt-4o" }],
        },
      ],
    }),
  };
}

const keyOf = (request: { headers: Record<string, string | string[] | undefined> }) =>
  String(request.headers.authorization ?? "").replace("Bearer ", "");

describe("key pools", () => {
  it("a key at its rpm limit is not sent to; its sibling serves", async () => {
    const h = await pool.start(
      keyPool([
        { key: "sk-first", id: "first", priority: 0, rpm: 1 },
        { key: "sk-second", id: "second", priority: 1 },
      ]),
    );
    for (let i = 0; i < 3; i++) await h.openai().chat.completions.create(HELLO);
    const sent = h.mocks.upstream.requestsFor("openai.chat").map(keyOf);
    expect(sent).toEqual(["sk-first", "sk-second", "sk-second"]);
  });

  it("a rejected key is taken out of rotation without taking its sibling down", async () => {
    const h = await pool.start(
      keyPool([
        { key: "sk-revoked", id: "revoked", priority: 0 },
        { key: "sk-good", id: "good", priority: 1 },
      ]),
    );
    h.mocks.upstream.setDefault((request) =>
      keyOf(request) === "sk-revoked"
        ? { error: { status: 401, kind: "auth" } }
        : { reply: { text: "ok" } },
    );
    for (let i = 0; i < 3; i++) {
      const completion = await h.openai().chat.completions.create(HELLO);
      expect(completion.choices[0]?.message.content).toBe("ok");
    }
    const sent = h.mocks.upstream.requestsFor("openai.chat").map(keyOf);
    expect(sent).toEqual(["sk-revoked", "sk-good", "sk-good", "sk-good"]);
  });
});
