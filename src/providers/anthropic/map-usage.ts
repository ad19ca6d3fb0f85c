import type { Usage } from "../../llm/chat.js";
import { type JsonRecord, readNumber } from "../shared/json-fields.js";

/** The Messages API's token counts; cache fields are absent or null when caching was not used. */
export interface AnthropicUsageCounts {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
}

export function readUsageCounts(usage: JsonRecord): AnthropicUsageCounts {
  return {
    inputTokens: readNumber(usage, "input_tokens") ?? 0,
    outputTokens: readNumber(usage, "output_tokens") ?? 0,
    cacheReadInputTokens: readNumber(usage, "cache_read_input_tokens") ?? 0,
    cacheCreationInputTokens: readNumber(usage, "cache_creation_input_tokens") ?? 0,
  };
}

/**
 * Anthropic's `input_tokens` counts only the uncached remainder; the unified `inputTokens` is the
 * whole prompt: uncached + read from cache + written to cache.
 */
export function toUsage(counts: AnthropicUsageCounts): Usage {
  const inputTokens =
    counts.inputTokens + counts.cacheReadInputTokens + counts.cacheCreationInputTokens;
  return {
    inputTokens,
    outputTokens: counts.outputTokens,
    cachedInputTokens: counts.cacheReadInputTokens,
    ...(counts.cacheCreationInputTokens > 0
      ? { cacheWriteTokens: counts.cacheCreationInputTokens }
      : {}),
    totalTokens: inputTokens + counts.outputTokens,
  };
}
