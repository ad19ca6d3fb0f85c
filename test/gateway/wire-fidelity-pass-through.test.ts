/**
 * The same-protocol pass-through, with the request shapes real coding agents and SDKs send, through
 * the official SDKs: the upstream receives the client's body byte for byte apart from `model` (and
 * the documented additions), the client receives the upstream's answer byte for byte, streams event
 * by event; vendor feature headers pass, credentials never do.
 */
import type Anthropic from "@anthropic-ai/sdk";
import type OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { callCounts, harnessPool, TRANSLATED, upstreamCalls } from "./harness.js";
import {
  AGENT_TURN,
  BETAS,
  CLAUDE_CODE_TURN,
  events,
  lastCall,
  setup,
  TURN_NOT_STREAMED,
} from "./wire-fidelity-harness.js";

const pool = harnessPool();
afterEach(() => pool.closeAll());

describe.skipIf(TRANSLATED)("same-protocol pass-through", () => {
  it("a Claude Code turn reaches the Anthropic upstream byte for byte, betas included, and its answer comes back as sent", async () => {
    const h = await pool.start(setup());
    h.mocks.claude.enqueue({
      reply: {
        thinking: { text: "sum adds wrongly", signature: "EqQBsigAnswer000" },
        text: "Fixed sum().",
        usage: { inputTokens: 1200, cachedInputTokens: 1000, cacheWriteTokens: 150 },
      },
    });
    const message = await h
      .anthropic({ apiKey: "sk-client-secret-000" })
      .messages.create(TURN_NOT_STREAMED as unknown as Anthropic.MessageCreateParamsNonStreaming, {
        headers: {
          "anthropic-beta": BETAS,
          "anthropic-version": "2023-06-01",
          "x-custom-client": "yes",
        },
      });
    const call = lastCall(upstreamCalls(h.mocks.claude));
    expect(call.rawBody).toBe(JSON.stringify({ ...TURN_NOT_STREAMED, model: "claude-sonnet-4-5" }));
    expect(call.headers["anthropic-beta"]).toBe(BETAS);
    expect(call.headers["anthropic-version"]).toBe("2023-06-01");
    expect(call.headers["x-api-key"]).toBe("sk-test-claude");
    expect(call.headers["x-custom-client"]).toBeUndefined();
    expect(JSON.stringify(call.headers)).not.toContain("sk-client-secret-000");
    await h.settled();
    expect(h.responses.at(-1)?.body).toBe(call.sent.join(""));
    expect(message.content[0]).toEqual({
      type: "thinking",
      thinking: "sum adds wrongly",
      signature: "EqQBsigAnswer000",
    });
    expect(message.usage).toMatchObject({
      input_tokens: 50,
      cache_read_input_tokens: 1000,
      cache_creation_input_tokens: 150,
    });
    expect(callCounts(h)).toEqual({ oai: 0, claude: 1, other: 0 });
  });

  it("a streamed Claude Code turn is relayed event by event, message_start with its real input tokens", async () => {
    const h = await pool.start(setup());
    h.mocks.claude.enqueue({
      reply: {
        thinking: { text: "sum adds wrongly", signature: "EqQBsigAnswer000" },
        text: "Fixed sum() in a.ts.",
        usage: { inputTokens: 14, cacheWriteTokens: 3 },
      },
    });
    const stream = h
      .anthropic()
      .messages.stream(CLAUDE_CODE_TURN as unknown as Anthropic.MessageStreamParams, {
        headers: { "anthropic-beta": BETAS },
      });
    const message = await stream.finalMessage();
    const call = lastCall(upstreamCalls(h.mocks.claude));
    expect(call.rawBody).toBe(
      JSON.stringify({ ...CLAUDE_CODE_TURN, stream: true, model: "claude-sonnet-4-5" }),
    );
    await h.settled();
    expect(events(h.responses.at(-1)?.body ?? "")).toEqual(events(call.sent.join("")));
    expect(message.usage.input_tokens).toBe(11);
    expect(message.content.map((block) => block.type)).toEqual(["thinking", "text"]);
  });

  it("an OpenAI agent turn (n, logprobs, json_schema, parallel tools) reaches the OpenAI upstream byte for byte", async () => {
    const h = await pool.start(setup());
    await h
      .openai()
      .chat.completions.create(
        AGENT_TURN as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming,
        { headers: { "openai-beta": "assistants=v2" } },
      );
    const call = lastCall(upstreamCalls(h.mocks.oai));
    expect(call.rawBody).toBe(JSON.stringify({ ...AGENT_TURN, model: "gpt-4o" }));
    expect(call.headers["openai-beta"]).toBe("assistants=v2");
    expect(call.headers.authorization).toBe("Bearer sk-test-oai");
    await h.settled();
    expect(h.responses.at(-1)?.body).toBe(call.sent.join(""));
  });

  it("a streamed agent turn with include_usage is relayed event by event; without it, only the added usage chunk is left out", async () => {
    const h = await pool.start(setup());
    const withUsage = { ...AGENT_TURN, stream: true, stream_options: { include_usage: true } };
    const stream = await h
      .openai()
      .chat.completions.create(
        withUsage as unknown as OpenAI.Chat.ChatCompletionCreateParamsStreaming,
      );
    for await (const _ of stream) {
      // drain
    }
    const call = lastCall(upstreamCalls(h.mocks.oai));
    expect(call.rawBody).toBe(JSON.stringify({ ...withUsage, model: "gpt-4o" }));
    await h.settled();
    expect(events(h.responses.at(-1)?.body ?? "")).toEqual(events(call.sent.join("")));

    const plain = { ...AGENT_TURN, stream: true };
    const second = await h
      .openai()
      .chat.completions.create(plain as unknown as OpenAI.Chat.ChatCompletionCreateParamsStreaming);
    const chunks: unknown[] = [];
    for await (const chunk of second) chunks.push(chunk);
    const added = lastCall(upstreamCalls(h.mocks.oai));
    expect(added.rawBody).toBe(
      JSON.stringify({ ...plain, model: "gpt-4o", stream_options: { include_usage: true } }),
    );
    await h.settled();
    const sent = events(added.sent.join(""));
    const usageChunk = sent.filter((event) => event.includes('"choices":[]'));
    expect(usageChunk).toHaveLength(1);
    expect(events(h.responses.at(-1)?.body ?? "")).toEqual(
      sent.filter((event) => !usageChunk.includes(event)),
    );
  });
});

describe.skipIf(TRANSLATED)("pass-through headers", () => {
  it("forwards the protocol's feature headers and a provider's forwardHeaders; static headers win; credentials never pass", async () => {
    const h = await pool.start(
      setup({
        oai: { forwardHeaders: ["OpenAI-Organization"], headers: { "x-static": "from-config" } },
      }),
    );
    await h.openai({ apiKey: "sk-client-secret-111" }).chat.completions.create(
      { model: "agent", messages: [{ role: "user", content: "Hi" }] },
      {
        headers: {
          "openai-beta": "assistants=v2",
          "openai-organization": "org-client",
          "x-static": "from-client",
          "x-other": "dropped",
        },
      },
    );
    const call = lastCall(upstreamCalls(h.mocks.oai));
    expect(call.headers["openai-beta"]).toBe("assistants=v2");
    expect(call.headers["openai-organization"]).toBe("org-client");
    expect(call.headers["x-static"]).toBe("from-config");
    expect(call.headers["x-other"]).toBeUndefined();
    expect(call.headers.authorization).toBe("Bearer sk-test-oai");
    expect(JSON.stringify(call.headers)).not.toContain("sk-client-secret-111");
  });

  it("openai-organization does not pass unless a provider's forwardHeaders names it", async () => {
    const h = await pool.start(setup());
    await h
      .openai()
      .chat.completions.create(
        { model: "agent", messages: [{ role: "user", content: "Hi" }] },
        { headers: { "openai-organization": "org-client" } },
      );
    expect(lastCall(upstreamCalls(h.mocks.oai)).headers["openai-organization"]).toBeUndefined();
  });
});
