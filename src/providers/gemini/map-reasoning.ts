import type { ChatRequest, ReasoningPart } from "../../llm/chat.js";
import { budgetOf, effortOf } from "../../llm/reasoning-effort.js";
import { asString, type JsonRecord } from "../shared/json-fields.js";

/** The `ReasoningPart.origin` of Gemini thoughts and thought signatures. */
export const GEMINI_REASONING_ORIGIN = "gemini";

/** Gemini 2.5 and later think; the API refuses `thinkingConfig` on 1.x and 2.0 models. */
export function takesThinking(model: string): boolean {
  return !/gemini-(?:1\.|2\.0)/.test(model);
}

/** Gemini 1.x and 2.x take `thinkingBudget`; Gemini 3 and later take `thinkingLevel`. */
export function takesThinkingBudget(model: string): boolean {
  return /gemini-[12]\./.test(model);
}

/**
 * Unified effort -> `thinkingLevel`. Pro models take `low` and `high` only; the others also take
 * `minimal` and `medium`. Gemini 3 cannot turn thinking off: `none` is the lowest level.
 */
function thinkingLevel(effort: string, model: string): string {
  const pro = /-pro/.test(model);
  switch (effort) {
    case "none":
    case "minimal":
      return pro ? "low" : "minimal";
    case "low":
      return "low";
    case "medium":
      return pro ? "high" : "medium";
    default:
      return "high";
  }
}

/**
 * `generationConfig.thinkingConfig` from `request.reasoning`: `thinkingBudget` (the budget as asked,
 * or the effort's from the table) for Gemini 2.x, `thinkingLevel` for later models, and
 * `includeThoughts` when the request says; undefined when it asks for nothing or the model does not
 * think (`takesThinking`).
 */
export function thinkingConfigOf(request: ChatRequest): JsonRecord | undefined {
  const reasoning = request.reasoning;
  if (reasoning === undefined || !takesThinking(request.model)) return undefined;
  const config: JsonRecord = {};
  if (takesThinkingBudget(request.model)) {
    const budget = budgetOf(reasoning);
    if (budget !== undefined) config.thinkingBudget = budget;
  } else {
    const effort = effortOf(reasoning);
    if (effort !== undefined) config.thinkingLevel = thinkingLevel(effort, request.model);
  }
  if (reasoning.includeThoughts !== undefined) config.includeThoughts = reasoning.includeThoughts;
  return Object.keys(config).length === 0 ? undefined : config;
}

/** The first Gemini thought signature among an assistant turn's reasoning, to replay on its parts. */
export function replayedSignature(parts: readonly ReasoningPart[] | undefined): string | undefined {
  for (const part of parts ?? []) {
    if (part.origin === GEMINI_REASONING_ORIGIN && part.signature !== undefined) {
      return part.signature;
    }
  }
  return undefined;
}

/**
 * A response part's reasoning: a thought (`thought: true`) with its text, or the `thoughtSignature`
 * an answer part carries; undefined for a part with neither.
 */
export function readThought(part: JsonRecord): ReasoningPart | undefined {
  const signature = asString(part.thoughtSignature);
  const thought = part.thought === true;
  if (!thought && signature === undefined) return undefined;
  const reasoning: ReasoningPart = {
    type: "reasoning",
    origin: GEMINI_REASONING_ORIGIN,
    text: thought ? (asString(part.text) ?? "") : "",
  };
  if (signature !== undefined) reasoning.signature = signature;
  return reasoning;
}
