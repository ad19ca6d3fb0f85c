import type { ProtocolWire } from "../chat-protocol.js";
import { sseText } from "../chat-protocol.js";
import { messagesWireSeam } from "./messages-wire-seam.js";

/** Anthropic's feature headers: the API version and the betas a client opts into. */
const FORWARD_HEADERS = ["anthropic-version", "anthropic-beta"];

/**
 * Refusals of the unified parse that are about content it cannot carry, not a malformed body (a
 * `thinking` setting it does not know, such as a type the vendor adds later, included).
 */
const PASSABLE_PARAM = /^(?:messages\.\d+\.content|system\.\d+|tools\.\d+|thinking\b)/;

/** Messages on the pass-through: usage is always part of its stream, every event is relayed. */
export const messagesWire: ProtocolWire = {
  forwardHeaders: FORWARD_HEADERS,
  countTokensPath: "/v1/messages/count_tokens",
  passable: (error) => error.param !== undefined && PASSABLE_PARAM.test(error.param),
  flags: (body) => ({ stream: body.stream === true, includeUsage: true }),
  untranslatable: () => [],
  relay: () => sseText,
  seam: messagesWireSeam,
};
