/**
 * What a target cannot take skips it, with the reason in the trace, and `count_tokens` goes to the
 * model's Anthropic target or is estimated offline, through the official SDKs, with the request
 * shapes real coding agents and SDKs send.
 */
import type Anthropic from "@anthropic-ai/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { callCounts, harnessPool, rejectionOf, TRANSLATED, upstreamCalls } from "./harness.js";
import { lastCall, type Names, setup, TURN_NOT_STREAMED } from "./wire-fidelity-harness.js";

const pool = harnessPool();
afterEach(() => pool.closeAll());

describe.skipIf(TRANSLATED)("targets a request cannot go to", () => {
  it("a field a server declares unsupported skips it for the next target that takes it", async () => {
    const h = await pool.start(setup({ oai: { unsupportedFields: ["logprobs"] } }));
    const response = await h
      .openai()
      .chat.completions.create({
        model: "agents",
        messages: [{ role: "user", content: "Hi" }],
        logprobs: true,
      })
      .withResponse();
    expect(response.response.headers.get("x-switchyard-provider")).toBe("other");
    expect(callCounts(h)).toEqual({ oai: 0, claude: 0, other: 1 });
  });

  it("the targets left out are in the request's trace, skipped as ineligible with the reason", async () => {
    const admin = "admin-key-wire-fidelity";
    const h = await pool.start({
      ...setup({ oai: { unsupportedFields: ["logprobs"] } }),
      config: (mocks: Record<Names, { url: string }>) => ({
        ...setup({ oai: { unsupportedFields: ["logprobs"] } }).config(mocks),
        server: { adminKey: admin },
      }),
    });
    const { response } = await h
      .openai()
      .chat.completions.create({
        model: "agents",
        messages: [{ role: "user", content: "Hi" }],
        logprobs: true,
      })
      .withResponse();
    await h.settled();
    const id = response.headers.get("x-request-id") ?? "";
    const trace = (await (
      await fetch(`${h.url}/admin/requests/${id}`, {
        headers: { authorization: `Bearer ${admin}` },
      })
    ).json()) as { request: { attempts: Record<string, unknown>[] } };
    expect(trace.request.attempts).toEqual([
      expect.objectContaining({
        targetId: "oai/gpt-4o",
        outcome: "skipped",
        skippedReason: "ineligible",
        message: "the server does not accept 'logprobs'",
      }),
      expect.objectContaining({
        targetId: "claude/claude-sonnet-4-5",
        outcome: "skipped",
        skippedReason: "ineligible",
        message: "'logprobs' has no counterpart in its protocol",
      }),
      expect.objectContaining({ targetId: "other/gpt-4o-mini", outcome: "success" }),
    ]);
  });

  it("when no target can take the request, a 400 names the field and every target", async () => {
    const h = await pool.start(setup({ oai: { unsupportedFields: ["logprobs"] } }));
    const error = await rejectionOf(
      h.openai().chat.completions.create({
        model: "agent",
        messages: [{ role: "user", content: "Hi" }],
        logprobs: true,
      }),
    );
    expect(error).toMatchObject({ status: 400 });
    const message = (error as Error).message;
    expect(message).toContain("'logprobs'");
    expect(message).toContain("oai/gpt-4o");
    expect(message).toContain("claude/claude-sonnet-4-5");
    expect(callCounts(h)).toEqual({ oai: 0, claude: 0, other: 0 });
  });

  it("an agent turn with thinking history still fails over to the other protocol (the thinking left out)", async () => {
    const h = await pool.start(setup());
    h.mocks.claude.enqueue({ error: { status: 529 } });
    const message = await h
      .anthropic()
      .messages.create(TURN_NOT_STREAMED as unknown as Anthropic.MessageCreateParamsNonStreaming);
    expect(message.content[0]).toMatchObject({ type: "text" });
    expect(callCounts(h)).toEqual({ oai: 1, claude: 1, other: 0 });
    const translated = JSON.stringify(lastCall(upstreamCalls(h.mocks.oai)).body);
    expect(translated).not.toContain("EqQBCkYIBxgCKkBsig");
    expect(translated).toContain("expect(sum(1, 1)).toBe(3)");
  });

  it("n > 1 passes through to a same-protocol target instead of being refused", async () => {
    const h = await pool.start(setup());
    await h.openai().chat.completions.create({
      model: "agent",
      messages: [{ role: "user", content: "Hi" }],
      n: 2,
    });
    expect(callCounts(h)).toEqual({ oai: 1, claude: 0, other: 0 });
  });
});

describe("count_tokens", () => {
  const body = {
    model: "coder",
    system: "You are terse.",
    messages: [{ role: "user", content: "How many tokens is this sentence?" }],
  };

  it.skipIf(TRANSLATED)(
    "is forwarded to the model's Anthropic target, betas included",
    async () => {
      const h = await pool.start(setup());
      h.mocks.claude.enqueueFor("anthropic.count_tokens", {
        reply: { usage: { inputTokens: 42 } },
      });
      const counted = await h
        .anthropic()
        .messages.countTokens(body as Anthropic.MessageCountTokensParams, {
          headers: { "anthropic-beta": "token-counting-2024-11-01" },
        })
        .withResponse();
      expect(counted.data).toEqual({ input_tokens: 42 });
      expect(counted.response.headers.get("x-switchyard-token-count")).toBeNull();
      const call = lastCall(h.mocks.claude.requestsFor("anthropic.count_tokens"));
      expect(call.rawBody).toBe(JSON.stringify({ ...body, model: "claude-sonnet-4-5" }));
      expect(call.headers["anthropic-beta"]).toBe("token-counting-2024-11-01");
    },
  );

  it("is estimated offline when the model has no Anthropic target, and says so", async () => {
    const h = await pool.start(setup());
    const counted = await h
      .anthropic()
      .messages.countTokens({ ...body, model: "openai-only" } as Anthropic.MessageCountTokensParams)
      .withResponse();
    expect(counted.response.headers.get("x-switchyard-token-count")).toBe("estimate");
    // o200k_base: "You are terse." is 4 tokens, the question 7, its role "user" 1.
    expect(counted.data.input_tokens).toBe(12);
    expect(callCounts(h)).toEqual({ oai: 0, claude: 0, other: 0 });
  });
});
