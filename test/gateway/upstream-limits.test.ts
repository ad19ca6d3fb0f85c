/**
 * What one upstream sends cannot exhaust the gateway: an answer past `maxResponseBytes` fails over
 * to the next target with bounded memory, a health check against an endless answer ends, and
 * compressed answers (gzip, br, deflate) reach the client decoded.
 */
import { afterEach, describe, expect, it } from "vitest";
import { openAIChat } from "./chat-outcome.js";
import { harnessPool, primaryAndFallback, upstreamCalls } from "./harness.js";

const pool = harnessPool();
afterEach(() => pool.closeAll());

const ADMIN_KEY = "admin-key-limits-test";
const FALLBACK_TEXT = "Answer from the fallback.";
const MiB = 1024 * 1024;

describe("an upstream answer past maxResponseBytes", () => {
  it.each([
    ["plain", false],
    ["streamed", true],
  ])(
    "%s: a 1 GiB answer fails over to the next target with bounded memory",
    async (_mode, stream) => {
      // The default limit (64 MiB) is in force: the answer is 16 times larger.
      const h = await pool.start(primaryAndFallback());
      h.mocks.primary.enqueueFor("openai.chat", { fault: "huge-body", bytes: 1024 * MiB });
      h.mocks.fallback.setDefault({ reply: { text: FALLBACK_TEXT } });
      const before = process.memoryUsage().rss;

      const outcome = await openAIChat(h.openai(), { stream });

      const grownMiB = (process.memoryUsage().rss - before) / MiB;
      expect(outcome.error).toBeUndefined();
      expect(outcome.text).toBe(FALLBACK_TEXT);
      expect(outcome.headers?.get("x-switchyard-provider")).toBe("fallback");
      expect(upstreamCalls(h.mocks.primary)).toHaveLength(1);
      // Reading the whole answer would take over 1 GiB; the limit keeps it to a few times 64 MiB.
      expect(grownMiB).toBeLessThan(400);
      await expect.poll(() => h.mocks.primary.stats.inFlight === 0).toBe(true);
    },
  );

  it("a health check against an endless answer ends, marking the target unhealthy", async () => {
    const h = await pool.start(
      primaryAndFallback({
        server: { adminKey: ADMIN_KEY },
        // Long enough that only the size limit can end the check within the test.
        model: { healthCheckTimeoutMs: 600_000 },
        primary: { extra: { maxResponseBytes: MiB } },
      }),
    );
    h.mocks.primary.setDefaultFor("openai.models", { fault: "endless" });
    const route = h.gateway.state.router.route("smart");
    await route?.chat.checkHealth();
    await expect.poll(() => h.mocks.primary.stats.inFlight === 0, { timeout: 10_000 }).toBe(true);
    const response = await h.fetch(`${h.url}/admin/status`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    const body = (await response.json()) as {
      models: Array<{ targets: Array<{ provider: string; health: string }> }>;
    };
    const primary = body.models[0]?.targets.find((target) => target.provider === "primary");
    expect(primary?.health).toBe("unhealthy");
  });
});

describe.each(["gzip", "br", "deflate"] as const)("a %s-encoded upstream answer", (encoding) => {
  it.each([
    ["plain", false],
    ["streamed", true],
  ])("%s: reaches the client decoded", async (_mode, stream) => {
    const h = await pool.start(primaryAndFallback());
    h.mocks.primary.enqueueFor("openai.chat", {
      reply: { text: "Compressed on the wire." },
      contentEncoding: encoding,
    });
    const outcome = await openAIChat(h.openai(), { stream });
    expect(outcome.error).toBeUndefined();
    expect(outcome.text).toBe("Compressed on the wire.");
    expect(outcome.headers?.get("x-switchyard-provider")).toBe("primary");
  });
});
