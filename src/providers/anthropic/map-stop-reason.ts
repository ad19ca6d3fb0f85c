import type { FinishReason } from "../../llm/chat.js";

/**
 * A Messages API `stop_reason` -> the unified finish reason. `pause_turn` (a server tool paused a
 * long turn; send the answer back to continue) reads as `stop`, with the raw value kept beside it.
 * Unknown future values also read as `stop`.
 */
export function mapStopReason(stopReason: string | null | undefined): FinishReason {
  switch (stopReason) {
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "refusal":
      return "content_filter";
    default:
      // end_turn, stop_sequence, pause_turn, and anything new.
      return "stop";
  }
}
