import type { ChatRequest, ChatResult } from "../../llm/chat.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import type { GatewayErrorDescription } from "../error-response.js";
import type { ParseResult } from "./gateway-request-error.js";

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
}
