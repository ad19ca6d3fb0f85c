/**
 * The shared setup of the wire-fidelity tests (wire-fidelity-*.test.ts): the request shapes real
 * coding agents and SDKs send, a gateway config with two OpenAI upstreams and one Anthropic one,
 * and readers of what an upstream received and sent.
 */
import type { MockRecordedRequest } from "../../src/testing/index.js";
import { failoverModel, providerConfig } from "./harness.js";

/** A Claude Code turn: cached system blocks, a tool, thinking with its signature in the history. */
export const CLAUDE_CODE_TURN = {
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

/**
 * The SDK insists on streaming above a size of answer; Claude Code streams, these tests need not.
 */
export const TURN_NOT_STREAMED = { ...CLAUDE_CODE_TURN, max_tokens: 4096 };

export const BETAS = "interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14";

/**
 * An OpenAI agent turn: several choices, log probabilities, a JSON schema, parallel tool results.
 */
export const AGENT_TURN = {
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

export type Names = "oai" | "claude" | "other";

/**
 * `coder` tries the Anthropic upstream first, `agent` the OpenAI one; `other` is a second OpenAI.
 */
export function setup(providerExtra: Partial<Record<Names, Record<string, unknown>>> = {}) {
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

export function lastCall(requests: MockRecordedRequest[]): MockRecordedRequest {
  const call = requests.at(-1);
  if (!call) throw new Error("no upstream call");
  return call;
}

/** The events of an SSE text, as sent (each with its framing). */
export function events(text: string): string[] {
  return text.split(/(?<=\n\n)/).filter((event) => event.trim() !== "");
}
