import type { FinishReason, Usage } from "./chat.js";

/**
 * What a chat stream yields. Adapters emit `response-metadata` only immediately before the first
 * output part, never on its own at the start: the first part a stream yields is its commit point, and
 * a failure before it must still be thrown so the router can fail over.
 *
 * Adapters throw on failure rather than yielding `error`; the `error` part is for consumers that turn
 * a thrown stream failure into a part of their own stream.
 */
export type ChatStreamPart =
  | { type: "response-metadata"; id: string; model: string }
  | { type: "text-delta"; text: string }
  | {
      type: "reasoning-delta";
      /** Reasoning text; empty on a part that only carries a signature or opaque data. */
      text: string;
      /** The wire family that produced it (see `ReasoningPart.origin`). */
      origin: string;
      signature?: string;
      opaque?: string;
      /** The vendor's id for the reasoning item, where it has one (see `ReasoningPart.id`). */
      id?: string;
    }
  | {
      type: "tool-call-delta";
      /** Position of the tool call within the message; deltas with the same index belong together. */
      index: number;
      /** Present on the first delta of a tool call. */
      id?: string;
      name?: string;
      argumentsDelta: string;
    }
  | { type: "usage"; usage: Usage }
  | { type: "finish"; finishReason: FinishReason; rawFinishReason: string | null }
  | { type: "error"; error: unknown }
  | WireEventsPart;

/** One upstream server-sent event, as the upstream sent it. */
export interface WireEvent {
  /** The SSE `event:` field, when the upstream named one. */
  event: string | undefined;
  data: string;
  /**
   * The event's text as it came: its lines, as the upstream wrote them, through the blank line that
   * ended it. Absent where the events were not server-sent text (they are framed from `event` and
   * `data` then).
   */
  raw?: string;
}

/**
 * Upstream server-sent events relayed as the upstream sent them, on a same-protocol pass-through
 * (see `WireRequest`). A pass-through stream yields these for the client, plus `usage` and `finish`
 * parts read from them for the gateway's own accounting (those are not sent to the client). Its first
 * part is still its commit point: the events before the first output are held back until it comes.
 * One part holds the events that were ready together (read from the network at once), so what
 * handles the stream above the relay does so once per read, not once per event.
 */
export interface WireEventsPart {
  type: "wire-events";
  events: readonly WireEvent[];
}

/**
 * The parts that are an answer's output: text, reasoning and tool calls. A reader's first one is its
 * stream's commit point. Not `response-metadata`: an answer without output (a refusal) sends it too,
 * right before its finish.
 */
export const OUTPUT_PART_TYPES: ReadonlySet<ChatStreamPart["type"]> = new Set([
  "text-delta",
  "reasoning-delta",
  "tool-call-delta",
]);
