import type { CallOptions } from "../engine/call.js";
import type { StreamSession } from "../engine/stream-session.js";
import { isStreamInterruptedError } from "../errors/index.js";
import type { ChatRequest, ChatResult } from "../llm/chat.js";
import type { ChatStreamPart } from "../llm/stream-part.js";
import type { SimulatedRoute } from "./build-simulated-routes.js";

type ChatSession = StreamSession<ChatRequest, ChatResult, ChatStreamPart>;

/**
 * Reads a committed stream to its end, as a client would. On a model with `streamRecovery: { mode:
 * continue }` a stream cut after its first chunk is continued as the gateway does: a stream on a
 * target not yet cut, in what is left of the deadline, at most `maxContinuations` times (the
 * gateway's continuation request is modelled by the same request). Resolves to the number of
 * continuations; rejects with the last cut when the stream could not be finished.
 */
export async function readStream(
  route: SimulatedRoute,
  first: ChatSession,
  request: ChatRequest,
  options: CallOptions<ChatRequest>,
  elapsedMs: () => number,
): Promise<number> {
  const recovery = route.streamRecovery;
  const startedMs = elapsedMs();
  const cut = new Set<string>();
  let session = first;
  let continuations = 0;
  for (;;) {
    try {
      for await (const _part of session) {
        // Read to the end.
      }
      return continuations;
    } catch (error) {
      if (!isStreamInterruptedError(error) || recovery?.mode !== "continue") throw error;
      if (continuations >= recovery.maxContinuations) throw error;
      cut.add(error.targetId);
      const targetIds = [...route.targets.keys()].filter((id) => !cut.has(id));
      const remainingMs =
        options.deadlineMs === undefined
          ? undefined
          : options.deadlineMs - (elapsedMs() - startedMs);
      if (targetIds.length === 0 || (remainingMs !== undefined && remainingMs <= 0)) throw error;
      try {
        session = await route.chat.openStream(request, {
          ...options,
          targetIds,
          ...(remainingMs === undefined ? {} : { deadlineMs: remainingMs }),
        });
      } catch {
        throw error;
      }
      continuations += 1;
    }
  }
}
