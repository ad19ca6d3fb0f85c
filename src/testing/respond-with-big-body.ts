import type { MockFaultBehaviour } from "./mock-behaviour.js";
import { openBodySink } from "./mock-body-sink.js";
import { openStreamSink, type Responder } from "./responder.js";

/** Bytes written per piece of a big body. */
const PIECE_BYTES = 64 * 1024;
const PADDING = "x".repeat(PIECE_BYTES);

/**
 * The `huge-body` and `endless` faults: a body far larger than any answer, written piece by piece
 * as fast as the client reads (never held whole), until it is done, the client goes or the server
 * closes. `groups` are the stream's content chunks on a streaming route, empty otherwise.
 */
export async function respondWithBigBody(
  responder: Responder,
  fault: MockFaultBehaviour,
  groups: readonly string[],
): Promise<void> {
  const { response, signal } = responder;
  const streaming = groups.length > 0;
  const sink = streaming
    ? openStreamSink(responder)
    : openBodySink(
        response,
        200,
        { "content-type": "application/json", ...fault.headers },
        fault.contentEncoding,
      );
  const alive = () => !response.destroyed && !signal.aborted;
  if (fault.fault === "endless") {
    if (streaming) {
      // The opening chunk once (it carries the vendor's start events), then content forever.
      await sink.write(groups[0] ?? "");
      const repeated = groups.slice(1, -1).join("") || (groups[0] ?? "");
      while (alive()) await sink.write(repeated.repeat(Math.ceil(PIECE_BYTES / repeated.length)));
    } else {
      await sink.write('{"padding":"');
      while (alive()) await sink.write(PADDING);
    }
    return;
  }
  const bytes = fault.fault === "huge-body" ? fault.bytes : 0;
  const head = streaming ? 'data: {"padding":"' : '{"padding":"';
  const tail = streaming ? '"}\n\n' : '"}';
  let left = Math.max(0, bytes - head.length - tail.length);
  await sink.write(head);
  while (left > 0 && alive()) {
    const size = Math.min(left, PIECE_BYTES);
    await sink.write(size === PIECE_BYTES ? PADDING : PADDING.slice(0, size));
    left -= size;
  }
  if (!alive()) return;
  await sink.write(tail);
  sink.end();
}
