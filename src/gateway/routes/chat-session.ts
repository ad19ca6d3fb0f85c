import type { CallReport } from "../../engine/call.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";

/** A committed chat stream: the engine's session, or a refused answer replayed. */
export type ChatSession = AsyncIterable<ChatStreamPart> & {
  readonly targetId: string;
  readonly report: CallReport;
};
