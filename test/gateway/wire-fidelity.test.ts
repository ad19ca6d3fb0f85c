/**
 * The same-protocol pass-through, with the request shapes real coding agents and SDKs send, through
 * the official SDKs: the upstream receives the client's body byte for byte apart from `model` (and
 * the documented additions), the client receives the upstream's answer byte for byte, streams event
 * by event; vendor feature headers pass, credentials never do; what a target cannot take skips it.
 */
import type Anthropic from "@anthropic-ai/sdk";
import type OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import type { MockRecordedRequest } from "../../src/testing/index.js";
import {
  callCounts,
  failoverModel,
  harnessPool,
  providerConfig,
  rejectionOf,
  TRANSLATED,
  upstreamCalls,
} from "./harness.js";

const pool = harnessPool();
afterEach(() => pool.closeAll());

/** A Claude Code turn: cached system blocks, a tool, thinking with its signature in the history. */
const CLAUDE_CODE_TURN = {
  model: "coder",
  max_tokens: 32000,
  system: [
    {
      type: "text",
      text: "You are Claude Code, Anthropic's official CLI for Claude.",
      cache_control: { type: "ephemeral" },
    },
    { type: "text", text: "Working directory: /repo", cache_control: { type: "ephemeral" } },
  ],
  messages: [
    { role: "user", content: [{ type: "text", text: "Fix the failing test" }] },
    {
      role: "assistant",
      content: [
        {
          type: "thinking",
          thinking: "The test is in a.test.ts; read it first.",
          signature: "EqQBCkYIBxgCKkBsig0000000000000000000000",
        },
        {
          type: "tool_use",
          id: "toolu_01AbCdEfGhIjKlMnOpQrStUv",
          name: "Read",
          input: { file_path: "/repo/a.test.ts" },
        },
      ],
    },
    {
      role: "user",
      content: [
        {
          type: "tool_result",
          tool_use_id: "toolu_01AbCdEfGhIjKlMnOpQrStUv",
          content: "expect(sum(1, 1)).toBe(3)",
        },
        { type: "text", text: "continue", cache_control: { type: "ephemeral" } },
      ],
    },
  ],
  tools: [
    {
      name: "Read",
      description: "Reads a file from the local filesystem.",
      input_schema: {
        type: "object",
        properties: { file_path: { type: "string" } },
        required: ["file_path"],
      },
    },
  ],
  thinking: { type: "enabled", budget_tokens: 16000 },
  metadata: { user_id: "user_0123456789abcdef" },
};

/** The SDK insists on streaming above a size of answer; Claude Code streams, these tests need not. */
const TURN_NOT_STREAMED = { ...CLAUDE_CODE_TURN, max_tokens: 4096 };

const BETAS = "interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14";

/** An OpenAI agent turn: several choices, log probabilities, a JSON schema, parallel tool results. */
const AGENT_TURN = {
  model: "agent",
  messages: [
    { role: "system", content: "You are a travel agent. Answer in JSON." },
    { role: "user", content: "Weather in Paris and Rome?" },
    {
      role: "assistant",
      content: null,
      tool_calls: [
        {
          id: "call_paris",
          type: "function",
          function: { name: "weather", arguments: '{"city":"Paris"}' },
        },
        {
          id: "call_rome",
          type: "function",
          function: { name: "weather", arguments: '{"city":"Rome"}' },
        },
      ],
    },
    { role: "tool", tool_call_id: "call_paris", content: "18C, cloudy" },
    { role: "tool", tool_call_id: "call_rome", content: "24C, sunny" },
  ],
  tools: [
    {
      type: "function",
      function: {
        name: "weather",
        description: "Current weather in a city",
        parameters: {
          type: "object",
          properties: { city: { type: "string" } },
          required: ["city"],
          additionalProperties: false,
        },
        strict: true,
      },
    },
  ],
  parallel_tool_calls: true,
  response_format: {
    type: "json_schema",
    json_schema: {
      name: "forecast",
      strict: true,
      schema: {
        type: "object",
        properties: { summary: { type: "string" } },
        required: ["summary"],
        additionalProperties: false,
      },
    },
  },
  n: 2,
  logprobs: true,
  top_logprobs: 2,
  temperature: 0.2,
};

type Names = "oai" | "claude" | "other";

/** `coder` tries the Anthropic upstream first, `agent` the OpenAI one; `other` is a second OpenAI. */
function setup(providerExtra: Partial<Record<Names, Record<string, unknown>>> = {}) {
  return {
    mocks: ["oai", "claude", "other"] as const,
    config: (mocks: Record<Names, { url: string }>) => ({
      providers: [
        providerConfig({
          name: "oai",
          type: "openai",
          origin: mocks.oai.url,
          extra: providerExtra.oai ?? {},
        }),
        providerConfig({
          name: "claude",
          type: "anthropic",
          origin: mocks.claude.url,
          extra: providerExtra.claude ?? {},
        }),
        providerConfig({
          name: "other",
          type: "openai",
          origin: mocks.other.url,
          extra: providerExtra.other ?? {},
        }),
      ],
      models: [
        failoverModel("coder", [
          ["claude", "claude-sonnet-4-5"],
          ["oai", "gpt-4o"],
        ]),
        failoverModel("agent", [
          ["oai", "gpt-4o"],
          ["claude", "claude-sonnet-4-5"],
        ]),
        failoverModel("agents", [
          ["oai", "gpt-4o"],
          ["other", "gpt-4o-mini"],
          ["claude", "claude-sonnet-4-5"],
        ]),
        failoverModel("openai-only", [["oai", "gpt-4o"]]),
      ],
    }),
  };
}

function lastCall(requests: MockRecordedRequest[]): MockRecordedRequest {
  const call = requests.at(-1);
  if (!call) throw new Error("no upstream call");
  return call;
}

/** The events of an SSE text, as sent (each with its framing). */
function events(text: string): string[] {
  return text.split(/(?<=\n\n)/).filter((event) => event.trim() !== "");
}

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
