/**
 * Messages API reasoning -> the unified model: the request's `thinking` (with adaptive thinking's
 * `output_config.effort`) and the `thinking` / `redacted_thinking` blocks of assistant turns.
 */
import type { ReasoningPart, ReasoningRequest } from "../../../llm/chat.js";
import { REASONING_ORIGIN } from "../reasoning-origin.js";
import type { MessagesContentBlock, MessagesRequestBody } from "./messages-request-schema.js";

/** Adaptive thinking's `output_config.effort` -> the unified effort (`max` is the table's `xhigh`). */
const EFFORTS: Readonly<Record<string, string>> = {
  low: "low",
  medium: "medium",
  high: "high",
  max: "xhigh",
};

/**
 * `thinking: {type: "enabled", budget_tokens}` -> a budget; `{type: "disabled"}` -> effort `none`;
 * `{type: "adaptive"}` -> the effort of `output_config.effort` (`high`, the API's default, without
 * one). Thinking is returned unless adaptive `display` is `omitted`.
 */
export function toReasoningRequest(
  thinking: MessagesRequestBody["thinking"],
  raw: Record<string, unknown>,
): ReasoningRequest | undefined {
  if (thinking === undefined || thinking === null) return undefined;
  switch (thinking.type) {
    case "enabled":
      return { budgetTokens: thinking.budget_tokens, includeThoughts: true };
    case "disabled":
      return { effort: "none" };
    case "adaptive": {
      const config = raw.output_config;
      const asked =
        typeof config === "object" && config !== null
          ? (config as Record<string, unknown>).effort
          : undefined;
      const effort = (typeof asked === "string" ? EFFORTS[asked] : undefined) ?? "high";
      return { effort, includeThoughts: thinking.display !== "omitted" };
    }
  }
}

/**
 * A `thinking` block with a signature is Anthropic's (replayable there); one without a signature is
 * text nothing can check (origin `unsigned`, replayed nowhere); `redacted_thinking` is Anthropic's
 * opaque data.
 */
export function toReasoningPart(
  block: Extract<MessagesContentBlock, { type: "thinking" | "redacted_thinking" }>,
): ReasoningPart {
  if (block.type === "redacted_thinking") {
    return { type: "reasoning", origin: REASONING_ORIGIN.messages, text: "", opaque: block.data };
  }
  const signature = block.signature ?? "";
  if (signature === "") {
    return { type: "reasoning", origin: REASONING_ORIGIN.unsigned, text: block.thinking };
  }
  return { type: "reasoning", origin: REASONING_ORIGIN.messages, text: block.thinking, signature };
}
