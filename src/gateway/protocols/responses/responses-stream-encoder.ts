/**
 * A stateful encoder from unified `ChatStreamPart`s to the Responses API's event stream. Each call
 * returns the SSE text to write next ("" when a part produces nothing yet).
 *
 * Wire shape: `event: <type>\ndata: <json with type and sequence_number>\n\n`. The first output
 * part opens the stream with `response.created` and `response.in_progress`; text opens a message
 * item (`response.output_item.added`, `response.content_part.added`) and streams
 * `response.output_text.delta`; each tool call is a `function_call` item with
 * `response.function_call_arguments.delta`; reasoning is a `reasoning` item whose summary streams as
 * `response.reasoning_summary_text.delta`. The end closes every open item (`*.done` events) and
 * sends `response.completed`, or `response.incomplete` for a `length` or `content_filter` finish.
 *
 * A failure after the first event sends an `error` event and `response.failed` (never a clean
 * `response.completed`), so both kinds of clients see it.
 */
import type { FinishReason, ToolCall, Usage } from "../../../llm/chat.js";
import type { ChatStreamPart } from "../../../llm/stream-part.js";
import { describeError } from "../../error-response.js";
import { REASONING_ORIGIN } from "../reasoning-origin.js";
import {
  finishResponse,
  functionCallOutput,
  messageOutput,
  outputTextPart,
  type ResponseObject,
  reasoningOutput,
  summaryTextPart,
} from "./render-response.js";
import { itemId, type StoredItem } from "./stored-items.js";

interface OpenItem {
  item: StoredItem;
  outputIndex: number;
  text?: string;
  call?: ToolCall;
  reasoning?: { text: string; encrypted: string | undefined; summaryOpen: boolean };
}

export class ResponsesStreamEncoder {
  finished = false;
  #sequence = 0;
  #started = false;
  #items: StoredItem[] = [];
  #open: OpenItem | undefined;
  #calls = new Map<number, OpenItem>();
  #finishReason: FinishReason = "stop";
  #usage: Usage | undefined;
  #final: ResponseObject | undefined;

  constructor(
    private shell: ResponseObject,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  encode(part: ChatStreamPart): string {
    if (this.finished) return "";
    switch (part.type) {
      case "response-metadata":
      case "wire-events":
        return "";
      case "text-delta": {
        if (part.text === "") return this.#start();
        let out = this.#start();
        if (this.#open?.text === undefined) out += this.#closeOpen() + this.#openMessage();
        const open = this.#open as OpenItem;
        open.text += part.text;
        return `${out}${this.#event("response.output_text.delta", {
          item_id: open.item.id,
          output_index: open.outputIndex,
          content_index: 0,
          delta: part.text,
          logprobs: [],
        })}`;
      }
      case "tool-call-delta":
        return this.#start() + this.#toolDelta(part);
      case "reasoning-delta":
        return this.#start() + this.#reasoningDelta(part);
      case "usage":
        this.#usage = part.usage;
        return "";
      case "finish":
        this.#finishReason = part.finishReason;
        return "";
      case "error":
        return this.fail(part.error);
    }
  }

  /**
   * The whole response as it will be sent by `end()`: every open item closed. The route stores it
   * before it calls `end()`, so it can be read on any instance before `response.completed`.
   */
  response(): ResponseObject {
    if (this.#final) return this.#final;
    for (const open of [this.#open, ...this.#calls.values()]) {
      if (open) this.#items[open.outputIndex] = this.#doneItem(open);
    }
    this.#final = finishResponse(
      this.shell,
      this.#items,
      this.#finishReason,
      this.#usage,
      this.now(),
    );
    return this.#final;
  }

  end(): string {
    if (this.finished) return "";
    let out = this.#start() + this.#closeOpen();
    for (const call of [...this.#calls.values()].sort((a, b) => a.outputIndex - b.outputIndex)) {
      out += this.#closeCall(call);
    }
    this.#calls.clear();
    const response = this.response();
    const type = response.status === "incomplete" ? "response.incomplete" : "response.completed";
    this.finished = true;
    return out + this.#event(type, { response });
  }

  /**
   * Follows a relayed upstream stream (the pass-through): a failure then continues the upstream's
   * response (its id) and its sequence numbers instead of starting the gateway's own.
   */
  follow(nextSequence: number, shell?: ResponseObject): void {
    this.#started = true;
    this.#sequence = nextSequence;
    if (shell) this.shell = shell;
  }

  fail(error: unknown): string {
    if (this.finished) return "";
    const description = describeError(error);
    const code = description.code ?? "server_error";
    let out = this.#start();
    out += this.#event("error", { code, message: description.message, param: null });
    const response: ResponseObject = {
      ...this.shell,
      status: "failed",
      output: this.#items.filter(Boolean),
      // The response's error code is one of the vendor's few (`rate_limit_exceeded`, `server_error`).
      error: {
        code: description.status === 429 ? "rate_limit_exceeded" : "server_error",
        message: description.message,
      },
    };
    this.finished = true;
    return out + this.#event("response.failed", { response });
  }

  keepAlive(): string {
    return this.finished ? "" : ": keep-alive\n\n";
  }

  #start(): string {
    if (this.#started) return "";
    this.#started = true;
    return (
      this.#event("response.created", { response: this.shell }) +
      this.#event("response.in_progress", { response: this.shell })
    );
  }

  #openMessage(): string {
    const item = messageOutput(itemId("msg"), "", "in_progress");
    const open: OpenItem = { item, outputIndex: this.#items.length, text: "" };
    this.#items.push(item);
    this.#open = open;
    return (
      this.#event("response.output_item.added", { output_index: open.outputIndex, item }) +
      this.#event("response.content_part.added", {
        item_id: item.id,
        output_index: open.outputIndex,
        content_index: 0,
        part: outputTextPart(""),
      })
    );
  }

  #toolDelta(part: Extract<ChatStreamPart, { type: "tool-call-delta" }>): string {
    let out = "";
    let open = this.#calls.get(part.index);
    if (!open) {
      out += this.#closeOpen();
      const call: ToolCall = {
        id: part.id ?? itemId("call"),
        name: part.name ?? "",
        arguments: "",
      };
      const item = functionCallOutput(itemId("fc"), call, "in_progress");
      open = { item, outputIndex: this.#items.length, call };
      this.#items.push(item);
      this.#calls.set(part.index, open);
      out += this.#event("response.output_item.added", { output_index: open.outputIndex, item });
    }
    if (part.argumentsDelta === "") return out;
    (open.call as ToolCall).arguments += part.argumentsDelta;
    return (
      out +
      this.#event("response.function_call_arguments.delta", {
        item_id: open.item.id,
        output_index: open.outputIndex,
        delta: part.argumentsDelta,
      })
    );
  }

  /**
   * Reasoning as a `reasoning` item whose summary is the reasoning text
   * (`response.reasoning_summary_text.delta`); OpenAI's encrypted content is kept for the item.
   */
  #reasoningDelta(part: Extract<ChatStreamPart, { type: "reasoning-delta" }>): string {
    let out = "";
    if (this.#open?.reasoning === undefined) {
      out += this.#closeOpen();
      const item = reasoningOutput(itemId("rs"), "", undefined);
      const reasoning = { text: "", encrypted: undefined, summaryOpen: false };
      this.#open = { item, outputIndex: this.#items.length, reasoning };
      this.#items.push(item);
      out += this.#event("response.output_item.added", {
        output_index: this.#open.outputIndex,
        item,
      });
    }
    const open = this.#open as OpenItem & { reasoning: NonNullable<OpenItem["reasoning"]> };
    if (part.origin === REASONING_ORIGIN.responses && part.opaque !== undefined) {
      open.reasoning.encrypted = part.opaque;
    }
    if (part.text === "") return out;
    const ids = { item_id: open.item.id, output_index: open.outputIndex, summary_index: 0 };
    if (!open.reasoning.summaryOpen) {
      open.reasoning.summaryOpen = true;
      out += this.#event("response.reasoning_summary_part.added", {
        ...ids,
        part: summaryTextPart(""),
      });
    }
    open.reasoning.text += part.text;
    return out + this.#event("response.reasoning_summary_text.delta", { ...ids, delta: part.text });
  }

  /** Closes the open reasoning item. */
  #closeReasoning(open: OpenItem, reasoning: NonNullable<OpenItem["reasoning"]>): string {
    const item = this.#doneItem(open);
    this.#items[open.outputIndex] = item;
    const ids = { item_id: open.item.id, output_index: open.outputIndex, summary_index: 0 };
    const text = reasoning.text;
    const summary = reasoning.summaryOpen
      ? this.#event("response.reasoning_summary_text.done", { ...ids, text }) +
        this.#event("response.reasoning_summary_part.done", { ...ids, part: summaryTextPart(text) })
      : "";
    return (
      summary + this.#event("response.output_item.done", { output_index: open.outputIndex, item })
    );
  }

  /** Closes the open message or reasoning item, if any. */
  #closeOpen(): string {
    const open = this.#open;
    if (!open) return "";
    this.#open = undefined;
    if (open.reasoning) return this.#closeReasoning(open, open.reasoning);
    const text = open.text ?? "";
    const item = this.#doneItem(open);
    this.#items[open.outputIndex] = item;
    const ids = { item_id: open.item.id, output_index: open.outputIndex, content_index: 0 };
    return (
      this.#event("response.output_text.done", { ...ids, text, logprobs: [] }) +
      this.#event("response.content_part.done", { ...ids, part: outputTextPart(text) }) +
      this.#event("response.output_item.done", { output_index: open.outputIndex, item })
    );
  }

  #closeCall(open: OpenItem): string {
    const item = this.#doneItem(open);
    this.#items[open.outputIndex] = item;
    return (
      this.#event("response.function_call_arguments.done", {
        item_id: open.item.id,
        output_index: open.outputIndex,
        name: open.call?.name,
        arguments: open.call?.arguments ?? "",
      }) + this.#event("response.output_item.done", { output_index: open.outputIndex, item })
    );
  }

  #doneItem(open: OpenItem): StoredItem {
    if (open.call) return functionCallOutput(open.item.id, open.call, "completed");
    if (open.reasoning) {
      return reasoningOutput(open.item.id, open.reasoning.text, open.reasoning.encrypted);
    }
    return messageOutput(open.item.id, open.text ?? "", "completed");
  }

  #event(type: string, fields: Record<string, unknown>): string {
    const data = JSON.stringify({ type, sequence_number: this.#sequence++, ...fields });
    return `event: ${type}\ndata: ${data}\n\n`;
  }
}
