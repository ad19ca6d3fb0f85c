import type { WireEvent } from "../../../llm/stream-part.js";
import type { ClientStreamEncoder, WireSeam } from "../chat-protocol.js";
import { createMessagesStreamEncoder } from "./messages-stream-encoder.js";

/**
 * A relayed Messages stream, read for a continuation: the text of its text blocks, the content
 * block that is open, and whether a `tool_use` block or the message's end was relayed. The
 * continuation goes on in the open text block (or opens the next one) without a second
 * `message_start`. Thinking blocks before the text are fine; text after a tool call is not.
 */
export function messagesWireSeam(): WireSeam {
  let text = "";
  let extendable = true;
  let started = false;
  let nextBlock = 0;
  let openTextBlock: number | undefined;
  return {
    observe(event: WireEvent) {
      if (!extendable) return;
      const data = parseEvent(event.data);
      if (data === undefined) return;
      switch (data.type) {
        case "message_start":
          started = true;
          return;
        case "content_block_start": {
          const index = typeof data.index === "number" ? data.index : nextBlock;
          nextBlock = index + 1;
          const type = (data.content_block as { type?: unknown } | undefined)?.type;
          if (type === "text") openTextBlock = index;
          else if (type !== "thinking" && type !== "redacted_thinking") extendable = false;
          return;
        }
        case "content_block_delta": {
          const delta = data.delta as { type?: unknown; text?: unknown } | undefined;
          if (delta?.type === "text_delta" && typeof delta.text === "string") text += delta.text;
          return;
        }
        case "content_block_stop":
          if (data.index === openTextBlock) openTextBlock = undefined;
          return;
        case "message_delta":
        case "message_stop":
          extendable = false;
          return;
      }
    },
    get text() {
      return text;
    },
    get extendable() {
      return extendable && started;
    },
    resume(): ClientStreamEncoder {
      return createMessagesStreamEncoder({ resume: { nextBlock, openTextBlock } });
    },
  };
}

function parseEvent(data: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === "object" && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
