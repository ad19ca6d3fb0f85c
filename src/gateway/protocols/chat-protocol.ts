import type { ChatRequest, ChatResult } from "../../llm/chat.js";
import type { ChatStreamPart, WireEvent } from "../../llm/stream-part.js";
import type { GatewayErrorDescription } from "../error-response.js";
import type { GatewayRequestError, ParseResult } from "./gateway-request-error.js";

/** A parsed client chat request, in unified form. */
export interface ClientChatRequest {
  request: ChatRequest;
  stream: boolean;
  includeUsage: boolean;
}

/** Turns unified stream parts into one client protocol's event stream. */
export interface ClientStreamEncoder {
  encode(part: ChatStreamPart): string;
  end(): string;
  fail(error: unknown): string;
}

/**
 * One chat wire format the gateway serves (Chat Completions, Messages): how to read a request, and
 * how to write a result, a stream and an error. The routes are written once against this.
 */
export interface ChatProtocol {
  readonly name: string;
  parse(body: unknown): ParseResult<ClientChatRequest>;
  render(result: ChatResult, model: string): unknown;
  encoder(model: string, includeUsage: boolean): ClientStreamEncoder;
  renderError(description: GatewayErrorDescription): {
    status: number;
    headers: Record<string, string>;
    body: unknown;
  };
  /** How a request in this protocol passes through to an upstream speaking it too. */
  readonly wire: ProtocolWire;
}

/** A protocol's side of the same-protocol pass-through (see docs/wire-fidelity.md). */
export interface ProtocolWire {
  /** The protocol's token-counting path, forwarded to a same-protocol upstream when it has one. */
  readonly countTokensPath?: string;
  /** Client headers (lower-case) a same-protocol upstream receives; a provider's `forwardHeaders` add to them. */
  readonly forwardHeaders: readonly string[];
  /**
   * Whether a body the unified parse refused for this reason may still pass through to an upstream
   * of this protocol: it uses something the unified model cannot carry (a content block or part it
   * does not know, `n` > 1), rather than being malformed (those stay a 400 from the gateway).
   */
  passable(error: GatewayRequestError): boolean;
  /** The stream flags of a body the unified parse refused (it may still pass through). */
  flags(body: Readonly<Record<string, unknown>>): { stream: boolean; includeUsage: boolean };
  /** Fields of the body that shape the answer and have no counterpart in another protocol. */
  untranslatable(body: Readonly<Record<string, unknown>>): string[];
  /**
   * The one hook every relayed upstream event goes through: what the client gets for it ("" drops
   * it). The gateway observes and may rewrite events here.
   */
  relay(options: { includeUsage: boolean }): (event: WireEvent) => string;
  /**
   * Reads a relayed stream so it can be continued in the same message after a cut (stream
   * recovery); absent when this protocol's relayed streams are not continued.
   */
  seam?(options: { includeUsage: boolean }): WireSeam;
}

/**
 * What a relayed stream told the client so far, as far as continuing it goes: the answer's text,
 * whether it can be extended, and an encoder that goes on in the same message (its id, no second
 * start event, the open text block).
 */
export interface WireSeam {
  observe(event: WireEvent): void;
  /** The answer's text so far. */
  readonly text: string;
  /** False once the stream held anything but text (a tool call) or told its end (a finish). */
  readonly extendable: boolean;
  /** An encoder for the rest of the stream, in the state the relayed events left the client in. */
  resume(): ClientStreamEncoder;
}

/**
 * An event as server-sent-event text: as the upstream wrote it, when the parser kept its text;
 * otherwise framed from its `event` and `data`.
 */
export function sseText(event: WireEvent): string {
  if (event.raw !== undefined) return event.raw;
  const data = event.data.includes("\n") ? event.data.split("\n").join("\ndata: ") : event.data;
  return event.event === undefined
    ? `data: ${data}\n\n`
    : `event: ${event.event}\ndata: ${data}\n\n`;
}
