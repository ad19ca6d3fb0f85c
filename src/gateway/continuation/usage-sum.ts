import type { Usage } from "../../llm/chat.js";

/** The usage of two calls together (optional counts kept when either has them). */
export function addUsage(a: Usage | undefined, b: Usage): Usage {
  if (a === undefined) return b;
  const sum: Usage = {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    totalTokens: a.totalTokens + b.totalTokens,
  };
  if (a.cacheWriteTokens !== undefined || b.cacheWriteTokens !== undefined) {
    sum.cacheWriteTokens = (a.cacheWriteTokens ?? 0) + (b.cacheWriteTokens ?? 0);
  }
  if (a.reasoningTokens !== undefined || b.reasoningTokens !== undefined) {
    sum.reasoningTokens = (a.reasoningTokens ?? 0) + (b.reasoningTokens ?? 0);
  }
  return sum;
}

/**
 * What an attempt cut off mid-stream cost: its own report when it made one that covers the text it
 * produced, otherwise an estimate (`estimated`) from the partial text's tokens and the request's. A
 * report with less than half the estimated output was made at the stream's start (Messages reports
 * input tokens in `message_start`): its input count is kept, its output count estimated.
 */
export function cutUsage(
  reported: Usage | undefined,
  estimate: { inputTokens: number; outputTokens: number },
): { usage: Usage; estimated: boolean } {
  if (reported !== undefined && reported.outputTokens * 2 >= estimate.outputTokens) {
    return { usage: reported, estimated: false };
  }
  const inputTokens = reported?.inputTokens ?? estimate.inputTokens;
  return {
    usage: {
      inputTokens,
      outputTokens: estimate.outputTokens,
      cachedInputTokens: reported?.cachedInputTokens ?? 0,
      totalTokens: inputTokens + estimate.outputTokens,
    },
    estimated: true,
  };
}
