import type { WireEvent } from "../../llm/stream-part.js";
import { sseText } from "../protocols/chat-protocol.js";
import type { ResponseObject } from "../protocols/responses/render-response.js";
import type { ResponsesStreamEncoder } from "../protocols/responses/responses-stream-encoder.js";

/** The events that end a Responses stream with a response worth storing. */
const END_EVENTS: ReadonlySet<string> = new Set(["response.completed", "response.incomplete"]);

/**
 * The relay of a Responses upstream's stream: every event goes to the client as sent, except the
 * end event (`response.completed`), held back until the response it carries has been stored, so a
 * client that continues from it at once finds it on any instance.
 */
export class RelayedEnd {
  private held: { event: WireEvent; response: unknown } | undefined;
  private relayed = 0;

  /** `encoder` writes a failure after relayed events, continuing the upstream's response. */
  constructor(private readonly encoder: ResponsesStreamEncoder) {}

  relay(event: WireEvent): string {
    const type = event.event ?? typeOf(event.data);
    // The vendor numbers its events from 0, one by one.
    this.relayed++;
    const created = type === "response.created" ? responseOf(event.data) : undefined;
    this.encoder.follow(
      this.relayed,
      isResponse(created) ? (created as unknown as ResponseObject) : undefined,
    );
    if (type === undefined || !END_EVENTS.has(type)) return sseText(event);
    this.held = { event, response: responseOf(event.data) };
    return "";
  }

  /** The held end event's text and the response it carries; undefined when none was relayed. */
  end():
    | { text: string; response: ({ id: string } & Record<string, unknown>) | undefined }
    | undefined {
    if (!this.held) return undefined;
    const response = this.held.response;
    return {
      text: sseText(this.held.event),
      response: isResponse(response) ? response : undefined,
    };
  }
}

/** Whether an upstream's value is a response object the gateway can store (it has an id). */
export function isResponse(value: unknown): value is { id: string } & Record<string, unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { id?: unknown }).id === "string"
  );
}

function parse(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

function typeOf(data: string): string | undefined {
  const parsed = parse(data) as { type?: unknown } | undefined;
  return typeof parsed?.type === "string" ? parsed.type : undefined;
}

function responseOf(data: string): unknown {
  return (parse(data) as { response?: unknown } | undefined)?.response;
}
