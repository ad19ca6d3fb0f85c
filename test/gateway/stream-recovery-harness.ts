/**
 * The shared setup of the stream-recovery tests (stream-recovery-*.test.ts): the answer a broken
 * stream is continued to, a continuing target that repeats a seam, and one streamed call through
 * each client protocol's official SDK, reduced to what the client saw.
 */
import { expect } from "vitest";
import { MIN_OVERLAP_CHARS } from "../../src/gateway/continuation/seam-joiner.js";
import type { MockBehaviour, MockRecordedRequest } from "../../src/testing/index.js";
import { HELLO, HELLO_ANTHROPIC } from "./chat-outcome.js";
import type { Harness } from "./harness.js";

export const FULL =
  "The quick brown fox jumps over the lazy dog, and then it runs far away into the quiet green hills.";
export const WORDS = FULL.split(" ").length;
export const CONTINUE = { streamRecovery: { mode: "continue" }, failureThreshold: 1000 };

export type Client = "openai" | "anthropic" | "openai responses";
export const CLIENTS: Client[] = ["openai", "anthropic", "openai responses"];

/** The text of the last message of an upstream request, in any vendor's shape. */
export function messageText(message: unknown): string {
  const content = (message as { content?: unknown }).content;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((part) => String((part as { text?: unknown }).text ?? "")).join("");
  }
  return "";
}

export function messagesOf(request: MockRecordedRequest): unknown[] {
  const body = request.body as { messages?: unknown[] };
  return body.messages ?? [];
}

/**
 * The continuing target: it reads the partial answer from the request (a prefill, or the assistant
 * turn before the instruction) and answers with the rest of `FULL`, repeating the last `overlap`
 * words of the partial answer first, as a model told to continue sometimes does.
 */
export function continuing(overlap: number, extra: Partial<MockBehaviour> = {}) {
  return (request: MockRecordedRequest): MockBehaviour => {
    const messages = messagesOf(request);
    const last = messages[messages.length - 1] as { role?: string };
    const partial = messageText(
      last.role === "assistant" ? last : messages[messages.length - 2],
    ).trimEnd();
    const words = partial.split(" ");
    // The repetition is whole words, at least the joiner's minimum (shorter ones are kept).
    let count = Math.min(overlap, words.length - 1);
    while (
      count > 0 &&
      count < words.length - 1 &&
      words.slice(-count).join(" ").length + 1 < MIN_OVERLAP_CHARS
    ) {
      count += 1;
    }
    const repeated = count > 0 ? ` ${words.slice(-count).join(" ")}` : "";
    const rest = FULL.slice(partial.length);
    const text = repeated.length >= MIN_OVERLAP_CHARS ? `${repeated}${rest}` : rest;
    return { reply: { text, usage: { inputTokens: 100, outputTokens: 7 } }, ...extra };
  };
}

export interface Seen {
  text: string;
  error: unknown;
  completed: boolean;
}

/** One streamed call through the client's SDK: the text it assembled, and whether it completed. */
export async function streamThrough(
  h: Harness<"primary" | "fallback">,
  client: Client,
): Promise<Seen> {
  const seen: Seen = { text: "", error: undefined, completed: false };
  try {
    if (client === "openai") {
      const stream = await h.openai().chat.completions.create({
        ...HELLO,
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const chunk of stream) seen.text += chunk.choices[0]?.delta.content ?? "";
      seen.completed = true;
    } else if (client === "anthropic") {
      const stream = h.anthropic().messages.stream(HELLO_ANTHROPIC);
      const message = await stream.finalMessage();
      seen.text = message.content
        .map((block) => (block.type === "text" ? block.text : ""))
        .join("");
      seen.completed = true;
    } else {
      const stream = await h.openai().responses.create({
        model: HELLO.model,
        input: "Hello there",
        stream: true,
      });
      for await (const event of stream) {
        if (event.type === "response.output_text.delta") seen.text += event.delta;
        else if (event.type === "error" || event.type === "response.failed") seen.error ??= event;
        else if (event.type === "response.completed") {
          seen.completed = seen.error === undefined;
          const output = event.response.output.flatMap((item) =>
            item.type === "message" ? item.content : [],
          );
          expect(
            output.map((part) => (part.type === "output_text" ? part.text : "")).join(""),
          ).toBe(seen.text);
        }
      }
    }
  } catch (error) {
    seen.error = error;
  }
  return seen;
}

/** The raw SSE body the client got for its one streamed call. */
export async function rawStream(h: Harness<"primary" | "fallback">): Promise<string> {
  await h.settled();
  const streamed = h.responses.filter((response) => response.body.includes("data: "));
  return streamed[streamed.length - 1]?.body ?? "";
}

export const START_EVENT: Record<Client, RegExp> = {
  openai: /"role":"assistant"/g,
  anthropic: /event: message_start/g,
  "openai responses": /event: response\.created/g,
};
export const END_EVENT: Record<Client, RegExp> = {
  openai: /data: \[DONE\]/g,
  anthropic: /event: message_stop/g,
  "openai responses": /event: response\.completed/g,
};
