/**
 * Failures before the commit point, each for a plain and a streamed call: the primary fails, the
 * fallback answers, and the client sees a clean answer from the fallback. Asserted: what the client
 * got, what each upstream received (in its own format), how the gateway classified the failure
 * (admin status), and that the gateway did not wait on a dead upstream longer than its timeouts.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { MockBehaviour } from "../../src/testing/index.js";
import { reserveClosedPort } from "../../src/testing/index.js";
import { HELLO, openAIChat, openAIResponses } from "./chat-outcome.js";
import {
  callCounts,
  type Harness,
  harnessPool,
  type ProviderSpec,
  primaryAndFallback,
  upstreamCalls,
} from "./harness.js";

const pool = harnessPool();
afterEach(() => pool.closeAll());

const ADMIN_KEY = "admin-key-failover-test";
const FALLBACK_TEXT = "Answer from the fallback.";

interface Scenario {
  name: string;
  /** Primary provider overrides (timeouts). */
  primary?: Partial<ProviderSpec>;
  /** Runs once the gateway is up (and its first health checks passed). */
  afterStart?: (h: Harness<"primary" | "fallback">) => Promise<void>;
  /** What the primary mock does with the call (faults on a plain call send half a body). */
  behaviour?: MockBehaviour;
  /** Calls the primary mock records (0 when nothing reaches it). */
  primaryCalls: number;
  /** The kind the gateway recorded for the primary's failure. */
  kind: string;
  /** The primary is left alone on the next call (cooldown). */
  cooledDown?: boolean;
}

const PARTIAL_REPLY = { text: "Primary text that must never reach the client." };

const SCENARIOS: Scenario[] = [
  {
    // The primary's server goes away after the gateway's first health check found it well.
    name: "connection refused",
    afterStart: (h) => h.mocks.primary.close(),
    primaryCalls: 0,
    kind: "transient",
  },
  {
    name: "reset before headers",
    behaviour: { fault: "reset" },
    primaryCalls: 1,
    kind: "transient",
  },
  {
    name: "slow first byte beyond firstByteTimeoutMs",
    primary: { firstByteTimeoutMs: 200 },
    behaviour: { reply: PARTIAL_REPLY, headersDelayMs: 3000 },
    primaryCalls: 1,
    kind: "timeout",
  },
  {
    name: "429 with retry-after",
    behaviour: { error: { kind: "rate_limit", retryAfterSeconds: 30 } },
    primaryCalls: 1,
    kind: "rate_limited",
    cooledDown: true,
  },
  {
    name: "quota exhausted",
    behaviour: { error: { kind: "quota" } },
    primaryCalls: 1,
    kind: "quota_exhausted",
    cooledDown: true,
  },
  {
    name: "500",
    behaviour: { error: { status: 500 } },
    primaryCalls: 1,
    kind: "transient",
  },
  {
    name: "503 overloaded",
    behaviour: { error: { kind: "overloaded" } },
    primaryCalls: 1,
    kind: "transient",
  },
  {
    name: "401 from upstream",
    behaviour: { error: { kind: "auth" } },
    primaryCalls: 1,
    kind: "auth",
  },
  {
    name: "403 from upstream",
    behaviour: { error: { kind: "permission" } },
    primaryCalls: 1,
    kind: "auth",
  },
  {
    // error-policy.ts: context_length fails over (another model may have a larger window).
    name: "400 context length",
    behaviour: { error: { kind: "context_length" } },
    primaryCalls: 1,
    kind: "context_length",
  },
  {
    name: "cut before the first chunk (plain: half a body)",
    behaviour: { fault: "cut", afterChunks: 0, reply: PARTIAL_REPLY },
    primaryCalls: 1,
    kind: "transient",
  },
  {
    name: "stall before the first chunk (plain: half a body), beyond idleTimeoutMs",
    primary: { idleTimeoutMs: 200 },
    behaviour: { fault: "stall", afterChunks: 0, reply: PARTIAL_REPLY },
    primaryCalls: 1,
    kind: "timeout",
  },
  {
    name: "malformed JSON before the first chunk",
    behaviour: { fault: "malformed-json", afterChunks: 0, reply: PARTIAL_REPLY },
    primaryCalls: 1,
    kind: "transient",
  },
  {
    name: "an in-stream error event before the first chunk (plain: the error response)",
    behaviour: { fault: "error-event", afterChunks: 0, kind: "server" },
    primaryCalls: 1,
    kind: "transient",
  },
];

interface TargetStatus {
  provider: string;
  health: string;
  lastError?: { kind: string; message: string };
}

async function primaryStatus(h: Harness<string>): Promise<TargetStatus | undefined> {
  const response = await h.fetch(`${h.url}/admin/status`, {
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
  });
  const body = (await response.json()) as { models: Array<{ targets: TargetStatus[] }> };
  return body.models[0]?.targets.find((target) => target.provider === "primary");
}

describe.each([
  ["plain chat completions", false, openAIChat],
  ["streamed chat completions", true, openAIChat],
  ["plain responses", false, openAIResponses],
  ["streamed responses", true, openAIResponses],
] as const)("%s call: failover before the commit point", (_mode, stream, call) => {
  it.each(SCENARIOS)("$name", async (scenario) => {
    const h = await pool.start(
      primaryAndFallback({ primary: scenario.primary ?? {}, server: { adminKey: ADMIN_KEY } }),
    );
    await scenario.afterStart?.(h);
    if (scenario.behaviour) h.mocks.primary.enqueue(scenario.behaviour);
    h.mocks.fallback.setDefault({ reply: { text: FALLBACK_TEXT } });

    const startedAt = performance.now();
    const outcome = await call(h.openai(), { stream });
    const elapsedMs = performance.now() - startedAt;

    expect(outcome.error).toBeUndefined();
    expect(outcome.completed).toBe(true);
    expect(outcome.text).toBe(FALLBACK_TEXT);
    expect(outcome.headers?.get("x-switchyard-provider")).toBe("fallback");
    expect(outcome.headers?.get("x-switchyard-model")).toBe("claude-sonnet-4-5");
    expect(outcome.headers?.get("x-switchyard-attempts")).toBe("2");
    // Every timeout in play is 200 ms; a slow or stalled primary must not be waited out.
    expect(elapsedMs).toBeLessThan(1500);

    expect(callCounts(h)).toEqual({ primary: scenario.primaryCalls, fallback: 1 });
    const primaryCall = upstreamCalls(h.mocks.primary)[0];
    if (scenario.primaryCalls > 0) {
      expect(primaryCall?.route).toBe("openai.chat");
      expect(primaryCall?.body).toMatchObject({ model: "gpt-4o", messages: HELLO.messages });
      expect(Boolean((primaryCall?.body as { stream?: boolean } | undefined)?.stream)).toBe(stream);
    }
    const fallbackCall = upstreamCalls(h.mocks.fallback)[0];
    expect(fallbackCall?.route).toBe("anthropic.messages");
    expect(fallbackCall?.body).toMatchObject({
      model: "claude-sonnet-4-5",
      messages: [{ role: "user" }],
    });
    expect(Boolean((fallbackCall?.body as { stream?: boolean } | undefined)?.stream)).toBe(stream);

    expect((await primaryStatus(h))?.lastError?.kind).toBe(scenario.kind);

    if (scenario.cooledDown) {
      const again = await call(h.openai(), { stream });
      expect(again.text).toBe(FALLBACK_TEXT);
      expect(again.headers?.get("x-switchyard-attempts")).toBe("1");
      expect(callCounts(h)).toEqual({ primary: 1, fallback: 2 });
    }
  });
});

describe("a primary that refuses connections from the start", () => {
  it.each([
    ["plain", false],
    ["streamed", true],
  ])(
    "%s: the first health check marks it unhealthy and the fallback serves at once",
    async (_mode, stream) => {
      const port = await reserveClosedPort();
      const h = await pool.start(
        primaryAndFallback({
          primary: { origin: `http://127.0.0.1:${port}` },
          server: { adminKey: ADMIN_KEY },
        }),
      );
      h.mocks.fallback.setDefault({ reply: { text: FALLBACK_TEXT } });
      expect((await primaryStatus(h))?.health).toBe("unhealthy");
      const outcome = await openAIChat(h.openai(), { stream });
      expect(outcome.error).toBeUndefined();
      expect(outcome.text).toBe(FALLBACK_TEXT);
      expect(outcome.headers?.get("x-switchyard-provider")).toBe("fallback");
      expect(callCounts(h)).toEqual({ primary: 0, fallback: 1 });
      expect(upstreamCalls(h.mocks.fallback)[0]?.route).toBe("anthropic.messages");
    },
  );
});

describe("529 from an Anthropic primary", () => {
  it.each([
    ["plain", false],
    ["streamed", true],
  ])("%s: fails over to the OpenAI fallback", async (_mode, stream) => {
    const h = await pool.start(
      primaryAndFallback({ primary: { type: "anthropic" }, fallback: { type: "openai" } }),
    );
    h.mocks.primary.enqueue({ error: { status: 529, kind: "overloaded" } });
    h.mocks.fallback.setDefault({ reply: { text: FALLBACK_TEXT } });
    const outcome = await openAIChat(h.openai(), { stream });
    expect(outcome.error).toBeUndefined();
    expect(outcome.text).toBe(FALLBACK_TEXT);
    expect(outcome.headers?.get("x-switchyard-attempts")).toBe("2");
    expect(upstreamCalls(h.mocks.primary).map((call) => call.route)).toEqual([
      "anthropic.messages",
    ]);
    expect(upstreamCalls(h.mocks.fallback).map((call) => call.route)).toEqual(["openai.chat"]);
  });
});

describe("a caller's fault does not fail over", () => {
  it.each([
    ["plain", false],
    ["streamed", true],
  ])(
    "%s: an upstream 400 invalid_request is the client's 400; the fallback is not called",
    async (_mode, stream) => {
      const h = await pool.start(primaryAndFallback());
      h.mocks.primary.enqueue({ error: { kind: "invalid_request", message: "bad 'tool_choice'" } });
      const outcome = await openAIChat(h.openai({ maxRetries: 2 }), { stream });
      expect(outcome.error).toMatchObject({ status: 400 });
      expect((outcome.error as Error).message).toContain("tool_choice");
      expect(callCounts(h)).toEqual({ primary: 1, fallback: 0 });
    },
  );

  it.each([
    ["plain", false],
    ["streamed", true],
  ])(
    "%s: context length everywhere is a 400 context_length_exceeded, not retried",
    async (_mode, stream) => {
      const h = await pool.start(primaryAndFallback());
      h.mocks.primary.enqueue({ error: { kind: "context_length" } });
      h.mocks.fallback.enqueue({ error: { kind: "context_length" } });
      const outcome = await openAIChat(h.openai({ maxRetries: 2 }), { stream });
      expect(outcome.error).toMatchObject({
        status: 400,
        error: { code: "context_length_exceeded" },
      });
      expect(callCounts(h)).toEqual({ primary: 1, fallback: 1 });
    },
  );
});
