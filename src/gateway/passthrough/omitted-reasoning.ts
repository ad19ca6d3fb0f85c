import type { ChatRequest } from "../../llm/chat.js";
import type { Target } from "../routing/model-route.js";

/**
 * What each translated target will not be sent of a request's reasoning from earlier turns: the
 * parts whose origin is not the one its adapter replays (another vendor's signatures and encrypted
 * reasoning cannot be checked there). A note per target id, for the trace; targets that get the
 * client's own body (`passThroughProtocol`) and targets that lose nothing get none.
 */
export function omittedReasoningNotes(
  request: ChatRequest,
  targets: Iterable<Target>,
  passThroughProtocol: string,
): ReadonlyMap<string, string> | undefined {
  const origins: string[] = [];
  for (const message of request.messages) {
    if (message.role !== "assistant" || message.reasoning === undefined) continue;
    for (const part of message.reasoning) origins.push(part.origin);
  }
  if (origins.length === 0) return undefined;
  let notes: Map<string, string> | undefined;
  for (const target of targets) {
    if (target.wire?.protocol === passThroughProtocol) continue;
    const left = origins.filter((origin) => origin !== target.reasoningOrigin);
    if (left.length === 0) continue;
    const from = [...new Set(left)].join(", ");
    notes ??= new Map();
    notes.set(target.id, `omitted: reasoning x${left.length} (from ${from})`);
  }
  return notes;
}
