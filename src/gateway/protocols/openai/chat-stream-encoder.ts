/**
 * A stateful encoder from unified `ChatStreamPart`s to Chat Completions SSE text. Each call returns
 * the bytes to write next ("" when a part produces nothing yet).
 *
 * Wire shape: `data: <chat.completion.chunk>\n\n` with one id/created/model for the whole stream;
 * the first delta carries `role: "assistant"`; tool-call deltas carry `index`, and on their first
 * delta `id`, `type: "function"` and `function.name`; a finish chunk with an empty delta; when
 * `includeUsage`, every chunk has `usage: null` and a last chunk with `choices: []` carries the usage;
 * then `data: [DONE]\n\n`. Usage is held until `end()`, so it may arrive before or after `finish`.
 *
 * A failure ends the stream with `data: {"error": {...}}\n\n` and no `[DONE]`: the vendor's SDK
 * throws on an `error` object, while a clean `[DONE]` or close would look like success.
 *
 * Hot path: the chunk envelope is serialised once; each delta is spliced into it, so a text delta
 * costs one `JSON.stringify` of the text and a few concatenations.
 */
import { randomUUID } from "node:crypto";
import type { Usage } from "../../../llm/chat.js";
import type { ChatStreamPart } from "../../../llm/stream-part.js";
import { describeError } from "../../error-response.js";
import {
  chatCompletionId,
  type OpenAIFinishReason,
  toOpenAIFinishReason,
  toOpenAIUsage,
} from "./render-chat-response.js";
import { openAIErrorObject } from "./render-error.js";

export interface ChatStreamEncoderOptions {
  /** `stream_options.include_usage` of the request. */
  includeUsage: boolean;
  /** The model name to report; defaults to the one in `response-metadata`. */
  model?: string;
  /** The completion id; defaults to the upstream's (from `response-metadata`), else a random one. */
  id?: string;
  /** Unix seconds; defaults to the time of the first chunk. */
  created?: number;
  /** Include the attempt list in a failure's error object. Default true. */
  includeAttempts?: boolean;
  /** The stream continues one whose role chunk the client already has (stream recovery). */
  resumed?: boolean;
}

export interface ChatStreamEncoder {
  /** SSE text for one part; an `error` part ends the stream like `fail`. */
  encode(part: ChatStreamPart): string;
  /** Ends the stream cleanly: role and finish chunks if still owed, the usage chunk, `[DONE]`. */
  end(): string;
  /** Ends the stream with an error event and no `[DONE]`. */
  fail(error: unknown): string;
  /** An SSE comment that keeps an idle connection open; clients ignore it. */
  keepAlive(): string;
  /** True once `end` or `fail` has run; later calls return "". */
  readonly finished: boolean;
}

export function createChatStreamEncoder(options: ChatStreamEncoderOptions): ChatStreamEncoder {
  return new OpenAIChatStreamEncoder(options);
}

const DONE = "data: [DONE]\n\n";

class OpenAIChatStreamEncoder implements ChatStreamEncoder {
  finished = false;
  readonly #options: ChatStreamEncoderOptions;
  /** `data: {"id":...,"object":...,"created":...,"model":...,"choices":` once known. */
  #envelopeText: string | undefined;
  #upstreamId: string | undefined;
  #upstreamModel: string | undefined;
  /** `data: {"id":...,"choices":[{"index":0,"delta":` once known. */
  #head: string | undefined;
  /** `,"logprobs":null,"finish_reason":null}]` + usage null + `}\n\n`. */
  #tail: string;
  #usageNull: string;
  #roleSent = false;
  #finishSent = false;
  #sawToolCall = false;
  #toolIndexes = new Set<number>();
  #usage: Usage | undefined;

  constructor(options: ChatStreamEncoderOptions) {
    this.#options = options;
    this.#roleSent = options.resumed === true;
    this.#usageNull = options.includeUsage ? ',"usage":null' : "";
    this.#tail = `,"logprobs":null,"finish_reason":null}]${this.#usageNull}}\n\n`;
  }

  encode(part: ChatStreamPart): string {
    if (this.finished) return "";
    switch (part.type) {
      case "response-metadata":
        if (this.#envelopeText === undefined) {
          this.#upstreamId = part.id;
          this.#upstreamModel = part.model;
        }
        return "";
      case "text-delta":
        if (part.text === "" && this.#roleSent) return "";
        return this.#chunk(`{${this.#rolePrefix()}"content":${JSON.stringify(part.text)}}`);
      case "tool-call-delta":
        return this.#toolCallChunk(part);
      case "reasoning-delta":
        // Reasoning of any origin streams as `reasoning_content`, as DeepSeek-style servers send it.
        if (part.text === "") return "";
        return this.#chunk(
          `{${this.#rolePrefix()}"reasoning_content":${JSON.stringify(part.text)}}`,
        );
      case "usage":
        this.#usage = part.usage;
        return "";
      case "finish":
        return this.#finish(toOpenAIFinishReason(part.finishReason));
      case "error":
        return this.fail(part.error);
      case "wire-events":
        return ""; // a pass-through's own events: relayed by the route, never encoded
    }
  }

  end(): string {
    if (this.finished) return "";
    let out = this.#finish(this.#sawToolCall ? "tool_calls" : "stop");
    if (this.#options.includeUsage && this.#usage !== undefined) {
      out += `${this.#envelope()}[],"usage":${JSON.stringify(toOpenAIUsage(this.#usage))}}\n\n`;
    }
    this.finished = true;
    return out + DONE;
  }

  fail(error: unknown): string {
    if (this.finished) return "";
    this.finished = true;
    const description = describeError(error);
    const body = {
      error: openAIErrorObject(description, {
        includeAttempts: this.#options.includeAttempts !== false,
      }),
    };
    return `data: ${JSON.stringify(body)}\n\n`;
  }

  keepAlive(): string {
    return this.finished ? "" : ": keep-alive\n\n";
  }

  #toolCallChunk(part: Extract<ChatStreamPart, { type: "tool-call-delta" }>): string {
    this.#sawToolCall = true;
    let call = `{"index":${part.index}`;
    if (!this.#toolIndexes.has(part.index)) {
      this.#toolIndexes.add(part.index);
      if (part.id !== undefined) call += `,"id":${JSON.stringify(part.id)}`;
      call += `,"type":"function","function":{"name":${JSON.stringify(part.name ?? "")},"arguments":${JSON.stringify(part.argumentsDelta)}}}`;
    } else if (part.argumentsDelta === "") {
      return "";
    } else {
      call += `,"function":{"arguments":${JSON.stringify(part.argumentsDelta)}}}`;
    }
    const role = this.#roleSent ? "" : '"role":"assistant","content":null,';
    this.#roleSent = true;
    return this.#chunk(`{${role}"tool_calls":[${call}]}`);
  }

  #finish(reason: OpenAIFinishReason): string {
    if (this.#finishSent) return "";
    this.#finishSent = true;
    let out = "";
    if (!this.#roleSent) out = this.#chunk(`{${this.#rolePrefix()}"content":""}`);
    return `${out}${this.#headText()}{},"logprobs":null,"finish_reason":"${reason}"}]${this.#usageNull}}\n\n`;
  }

  #rolePrefix(): string {
    if (this.#roleSent) return "";
    this.#roleSent = true;
    return '"role":"assistant",';
  }

  #chunk(delta: string): string {
    return this.#headText() + delta + this.#tail;
  }

  #headText(): string {
    this.#head ??= `${this.#envelope()}[{"index":0,"delta":`;
    return this.#head;
  }

  #envelope(): string {
    if (this.#envelopeText !== undefined) return this.#envelopeText;
    const id =
      this.#options.id ??
      (this.#upstreamId === undefined
        ? `chatcmpl-${randomUUID().replaceAll("-", "")}`
        : chatCompletionId(this.#upstreamId));
    const model = this.#options.model ?? this.#upstreamModel ?? "unknown";
    const created = this.#options.created ?? Math.floor(Date.now() / 1000);
    this.#envelopeText = `data: {"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(model)},"choices":`;
    return this.#envelopeText;
  }
}
