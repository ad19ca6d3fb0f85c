/**
 * A stateful encoder from unified `ChatStreamPart`s to Messages API SSE text. Each call returns the
 * bytes to write next ("" when a part produces nothing yet).
 *
 * Wire shape: `event: message_start` (sent lazily, before the first block, so usage that arrives
 * early can fill it); per content block in order `content_block_start`, `content_block_delta`
 * (`thinking_delta` and `signature_delta`, `text_delta` or `input_json_delta`), `content_block_stop`; then at `end()` one `message_delta`
 * (stop reason and the final usage, which may arrive before or after `finish`) and `message_stop`.
 * A stream with no output still gets one empty text block, matching `renderMessagesResponse`.
 * Unified tool-call deltas interleaved across indexes (rare) are sent to their own block index,
 * which the vendor's SDK accumulates by index.
 *
 * A failure ends the stream with `event: error` and `{"type":"error","error":{type,message}}` and no
 * `message_stop`, so the SDK throws instead of seeing a complete message.
 *
 * Hot path: a text delta costs one `JSON.stringify` of the text spliced into a cached prefix.
 */
import { randomUUID } from "node:crypto";
import type { FinishReason, Usage } from "../../../llm/chat.js";
import type { ChatStreamPart } from "../../../llm/stream-part.js";
import { describeError } from "../../error-response.js";
import { REASONING_ORIGIN } from "../reasoning-origin.js";
import { anthropicErrorBody } from "./render-error.js";
import { messageId, toAnthropicUsage, toStopReason } from "./render-messages-response.js";

export interface MessagesStreamEncoderOptions {
  /** The model name to report; defaults to the one in `response-metadata`. */
  model?: string;
  /** The message id; defaults to the upstream's (from `response-metadata`), else a random one. */
  id?: string;
  /** Include the attempt list in a failure's error event. Default true. */
  includeAttempts?: boolean;
  /**
   * The stream continues one whose `message_start` the client already has (stream recovery):
   * blocks are numbered from `nextBlock`, and text goes on in `openTextBlock` when one is open.
   */
  resume?: { nextBlock: number; openTextBlock: number | undefined };
}

export interface MessagesStreamEncoder {
  /** SSE text for one part; an `error` part ends the stream like `fail`. */
  encode(part: ChatStreamPart): string;
  /** Ends the stream cleanly: open block closed, `message_delta`, `message_stop`. */
  end(): string;
  /** Ends the stream with an `error` event and no `message_stop`. */
  fail(error: unknown): string;
  /** A `ping` event, as the vendor sends to keep a connection alive. */
  ping(): string;
  /** True once `end` or `fail` has run; later calls return "". */
  readonly finished: boolean;
}

export function createMessagesStreamEncoder(
  options: MessagesStreamEncoderOptions = {},
): MessagesStreamEncoder {
  return new AnthropicMessagesStreamEncoder(options);
}

const NO_BLOCK = -1;

class AnthropicMessagesStreamEncoder implements MessagesStreamEncoder {
  finished = false;
  readonly #options: MessagesStreamEncoderOptions;
  #upstreamId: string | undefined;
  #upstreamModel: string | undefined;
  #started = false;
  #blockCount = 0;
  #openBlock = NO_BLOCK;
  #openIsText = false;
  #openIsThinking = false;
  /** A text or tool_use block was opened (a stream of thinking alone still gets an empty text block). */
  #sawOutput = false;
  /** `event: content_block_delta ... "delta":{"type":"text_delta","text":` for the open text block. */
  #textDeltaHead = "";
  /** Unified tool-call index -> content block index. */
  #toolBlocks = new Map<number, number>();
  #finishReason: FinishReason | undefined;
  #rawFinishReason: string | null = null;
  #usage: Usage | undefined;

  constructor(options: MessagesStreamEncoderOptions) {
    this.#options = options;
    if (options.resume) this.#resume(options.resume);
  }

  #resume({ nextBlock, openTextBlock }: NonNullable<MessagesStreamEncoderOptions["resume"]>): void {
    this.#started = true;
    this.#blockCount = nextBlock;
    // A stream is resumed only after its text began: no empty text block is owed at the end.
    this.#sawOutput = true;
    if (openTextBlock === undefined) return;
    this.#openBlock = openTextBlock;
    this.#openIsText = true;
    this.#textDeltaHead = textDeltaHead(openTextBlock);
  }

  encode(part: ChatStreamPart): string {
    if (this.finished) return "";
    switch (part.type) {
      case "response-metadata":
        if (!this.#started) {
          this.#upstreamId = part.id;
          this.#upstreamModel = part.model;
        }
        return "";
      case "text-delta": {
        if (part.text === "") return "";
        let out = this.#start();
        if (this.#openBlock === NO_BLOCK || !this.#openIsText) out += this.#openTextBlock();
        return `${out}${this.#textDeltaHead}${JSON.stringify(part.text)}}}\n\n`;
      }
      case "tool-call-delta":
        return this.#toolCallDelta(part);
      case "reasoning-delta":
        return this.#reasoningDelta(part);
      case "usage":
        this.#usage = part.usage;
        return "";
      case "finish":
        this.#finishReason = part.finishReason;
        this.#rawFinishReason = part.rawFinishReason;
        return this.#closeBlock();
      case "error":
        return this.fail(part.error);
      case "wire-events":
        return ""; // a pass-through's own events: relayed by the route, never encoded
    }
  }

  end(): string {
    if (this.finished) return "";
    let out = this.#start();
    if (this.#blockCount === 0 || !this.#sawOutput) out += this.#openTextBlock();
    out += this.#closeBlock();
    const stopReason =
      this.#finishReason === undefined
        ? this.#toolBlocks.size > 0
          ? "tool_use"
          : "end_turn"
        : toStopReason(this.#finishReason, this.#rawFinishReason);
    const usage: Record<string, number> = { output_tokens: this.#usage?.outputTokens ?? 0 };
    if (this.#usage !== undefined) {
      const full = toAnthropicUsage(this.#usage);
      usage.input_tokens = full.input_tokens;
      usage.cache_creation_input_tokens = full.cache_creation_input_tokens;
      usage.cache_read_input_tokens = full.cache_read_input_tokens;
    }
    out += event("message_delta", {
      type: "message_delta",
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage,
    });
    out += 'event: message_stop\ndata: {"type":"message_stop"}\n\n';
    this.finished = true;
    return out;
  }

  fail(error: unknown): string {
    if (this.finished) return "";
    this.finished = true;
    const body = anthropicErrorBody(describeError(error), {
      includeAttempts: this.#options.includeAttempts !== false,
    });
    return event("error", body);
  }

  ping(): string {
    return this.finished ? "" : 'event: ping\ndata: {"type":"ping"}\n\n';
  }

  #toolCallDelta(part: Extract<ChatStreamPart, { type: "tool-call-delta" }>): string {
    let out = this.#start();
    let block = this.#toolBlocks.get(part.index);
    if (block === undefined) {
      out += this.#closeBlock();
      block = this.#blockCount++;
      this.#toolBlocks.set(part.index, block);
      this.#openBlock = block;
      this.#openIsText = false;
      this.#openIsThinking = false;
      this.#sawOutput = true;
      out += event("content_block_start", {
        type: "content_block_start",
        index: block,
        content_block: {
          type: "tool_use",
          id: part.id ?? `toolu_${randomUUID().replaceAll("-", "")}`,
          name: part.name ?? "",
          input: {},
        },
      });
    }
    if (part.argumentsDelta !== "") {
      out += `event: content_block_delta\ndata: {"type":"content_block_delta","index":${block},"delta":{"type":"input_json_delta","partial_json":${JSON.stringify(part.argumentsDelta)}}}\n\n`;
    }
    return out;
  }

  /**
   * Reasoning as the vendor streams it: a `thinking` block of `thinking_delta`s, closed by Anthropic's
   * `signature_delta`; Anthropic's opaque reasoning as a whole `redacted_thinking` block. Another
   * vendor's signature or opaque data has no place here and is left out (its text is sent).
   */
  #reasoningDelta(part: Extract<ChatStreamPart, { type: "reasoning-delta" }>): string {
    const own = part.origin === REASONING_ORIGIN.messages;
    let out = "";
    if (own && part.opaque !== undefined) {
      out = this.#start() + this.#closeBlock();
      const block = this.#blockCount++;
      const content_block = { type: "redacted_thinking", data: part.opaque };
      out += event("content_block_start", {
        type: "content_block_start",
        index: block,
        content_block,
      });
      return `${out}event: content_block_stop\ndata: {"type":"content_block_stop","index":${block}}\n\n`;
    }
    const signature = own ? part.signature : undefined;
    if (part.text === "" && signature === undefined) return "";
    out = this.#start();
    if (this.#openBlock === NO_BLOCK || !this.#openIsThinking) out += this.#openThinkingBlock();
    const index = this.#openBlock;
    if (part.text !== "") {
      out += event("content_block_delta", {
        type: "content_block_delta",
        index,
        delta: { type: "thinking_delta", thinking: part.text },
      });
    }
    if (signature !== undefined) {
      out += event("content_block_delta", {
        type: "content_block_delta",
        index,
        delta: { type: "signature_delta", signature },
      });
      out += this.#closeBlock();
    }
    return out;
  }

  #openThinkingBlock(): string {
    const out = this.#closeBlock();
    const block = this.#blockCount++;
    this.#openBlock = block;
    this.#openIsText = false;
    this.#openIsThinking = true;
    return `${out}event: content_block_start\ndata: {"type":"content_block_start","index":${block},"content_block":{"type":"thinking","thinking":"","signature":""}}\n\n`;
  }

  #openTextBlock(): string {
    const out = this.#closeBlock();
    const block = this.#blockCount++;
    this.#openBlock = block;
    this.#openIsText = true;
    this.#openIsThinking = false;
    this.#sawOutput = true;
    this.#textDeltaHead = textDeltaHead(block);
    return `${out}event: content_block_start\ndata: {"type":"content_block_start","index":${block},"content_block":{"type":"text","text":""}}\n\n`;
  }

  #closeBlock(): string {
    if (this.#openBlock === NO_BLOCK) return "";
    const block = this.#openBlock;
    this.#openBlock = NO_BLOCK;
    return `event: content_block_stop\ndata: {"type":"content_block_stop","index":${block}}\n\n`;
  }

  #start(): string {
    if (this.#started) return "";
    this.#started = true;
    const id =
      this.#options.id ??
      (this.#upstreamId === undefined
        ? `msg_${randomUUID().replaceAll("-", "")}`
        : messageId(this.#upstreamId));
    const usage = toAnthropicUsage(this.#usage);
    return event("message_start", {
      type: "message_start",
      message: {
        id,
        type: "message",
        role: "assistant",
        model: this.#options.model ?? this.#upstreamModel ?? "unknown",
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 0 },
      },
    });
  }
}

function textDeltaHead(block: number): string {
  return `event: content_block_delta\ndata: {"type":"content_block_delta","index":${block},"delta":{"type":"text_delta","text":`;
}

function event(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}
