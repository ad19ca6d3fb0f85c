import type { ProtocolWire } from "../chat-protocol.js";
import { sseText } from "../chat-protocol.js";
import { chatWireSeam } from "./chat-wire-seam.js";

/** The headers of OpenAI's SDKs that select features; `openai-organization` only when configured. */
const FORWARD_HEADERS = ["openai-beta"];

/** Refusals of the unified parse that are about content it cannot carry, not a malformed body. */
const PASSABLE_PARAM = /^(?:n$|messages\[\d+\]\.content|tools\[\d+\])/;

/** A `"usage"` key whose value is an object. */
const USAGE_OBJECT = /"usage"\s*:\s*\{/;

/**
 * Chat Completions on the pass-through. The upstream is asked for a usage chunk whenever it can send
 * one (the gateway counts tokens); when the client did not ask for it, that chunk (no choices, only
 * usage) is taken out of the relayed stream.
 */
export const chatWire: ProtocolWire = {
  forwardHeaders: FORWARD_HEADERS,
  passable: (error) => error.param !== undefined && PASSABLE_PARAM.test(error.param),
  flags(body) {
    const stream = body.stream === true;
    const options = body.stream_options;
    const includeUsage =
      stream &&
      typeof options === "object" &&
      options !== null &&
      (options as Record<string, unknown>).include_usage === true;
    return { stream, includeUsage };
  },
  untranslatable(body) {
    const fields: string[] = [];
    if (typeof body.n === "number" && body.n !== 1) fields.push("n");
    if (body.logprobs === true) fields.push("logprobs");
    if (typeof body.top_logprobs === "number") fields.push("top_logprobs");
    return fields;
  },
  relay({ includeUsage }) {
    if (includeUsage) return sseText;
    return (event) => (isUsageOnlyChunk(event.data) ? "" : sseText(event));
  },
  seam: chatWireSeam,
};

function isUsageOnlyChunk(data: string): boolean {
  // It runs on every relayed event: one pattern search (V8 scans for its literal start faster than
  // `includes` or `lastIndexOf` on the parser's sliced strings), the body parsed only on a match.
  if (!USAGE_OBJECT.test(data)) return false;
  try {
    const chunk: unknown = JSON.parse(data);
    if (typeof chunk !== "object" || chunk === null) return false;
    const choices = (chunk as Record<string, unknown>).choices;
    return Array.isArray(choices) && choices.length === 0;
  } catch {
    return false;
  }
}
