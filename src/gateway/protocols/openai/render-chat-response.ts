/**
 * A unified `ChatResult` -> a `chat.completion` object (one choice). Ids get the vendor's
 * `chatcmpl-` prefix when the upstream's id lacks it; usage reports cached input tokens under
 * `prompt_tokens_details.cached_tokens` and reasoning tokens, where the upstream counted them, under
 * `completion_tokens_details.reasoning_tokens`. Reasoning, of any origin, is the message's
 * `reasoning_content` (its texts joined with a blank line), as DeepSeek-style servers send it. The unified finish reason `error` has no counterpart and is
 * sent as `stop`.
 */
import type { ChatResult, FinishReason, ToolCall, Usage } from "../../../llm/chat.js";

export interface RenderChatResponseOptions {
  /** The model name to report; defaults to the model that answered. */
  model?: string;
  /** Unix seconds; defaults to now. */
  created?: number;
}

export interface OpenAIToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details?: { reasoning_tokens: number };
}

export interface ChatCompletion {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: [
    {
      index: 0;
      message: {
        role: "assistant";
        content: string | null;
        refusal: null;
        reasoning_content?: string;
        tool_calls?: OpenAIToolCall[];
      };
      logprobs: null;
      finish_reason: OpenAIFinishReason;
    },
  ];
  usage?: OpenAIUsage;
}

export type OpenAIFinishReason = "stop" | "length" | "tool_calls" | "content_filter";

export function renderChatResponse(
  result: ChatResult,
  options: RenderChatResponseOptions = {},
): ChatCompletion {
  const hasToolCalls = result.toolCalls.length > 0;
  const message: ChatCompletion["choices"][0]["message"] = {
    role: "assistant",
    content: result.text === "" && hasToolCalls ? null : result.text,
    refusal: null,
  };
  const reasoning = (result.reasoning ?? []).filter((part) => part.text !== "");
  if (reasoning.length > 0) {
    message.reasoning_content = reasoning.map((part) => part.text).join("\n\n");
  }
  if (hasToolCalls) message.tool_calls = result.toolCalls.map(toOpenAIToolCall);
  const completion: ChatCompletion = {
    id: chatCompletionId(result.id),
    object: "chat.completion",
    created: options.created ?? Math.floor(Date.now() / 1000),
    model: options.model ?? result.model,
    choices: [
      {
        index: 0,
        message,
        logprobs: null,
        finish_reason: toOpenAIFinishReason(result.finishReason),
      },
    ],
  };
  if (result.usage !== undefined) completion.usage = toOpenAIUsage(result.usage);
  return completion;
}

function toOpenAIToolCall(call: ToolCall): OpenAIToolCall {
  return {
    id: call.id,
    type: "function",
    function: { name: call.name, arguments: call.arguments },
  };
}

export function toOpenAIUsage(usage: Usage): OpenAIUsage {
  const rendered: OpenAIUsage = {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.totalTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens },
  };
  if (usage.reasoningTokens !== undefined) {
    rendered.completion_tokens_details = { reasoning_tokens: usage.reasoningTokens };
  }
  return rendered;
}

export function toOpenAIFinishReason(reason: FinishReason): OpenAIFinishReason {
  return reason === "error" ? "stop" : reason;
}

/** The upstream's id with the `chatcmpl-` prefix the vendor's ids carry. */
export function chatCompletionId(id: string): string {
  return id.startsWith("chatcmpl-") ? id : `chatcmpl-${id}`;
}
