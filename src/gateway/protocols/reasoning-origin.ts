/**
 * The `ReasoningPart.origin` each client protocol gives the reasoning a client sends back. They are
 * the adapters' own names for the same wire families (a test checks they stay equal), so reasoning
 * a client got from a target replays to that target's kind only.
 */
export const REASONING_ORIGIN = {
  /** Messages `thinking` with a signature, and `redacted_thinking`: signed by Anthropic. */
  messages: "anthropic",
  /** Chat Completions `reasoning_content` on an assistant message. */
  chat: "openai-chat",
  /** Responses `reasoning` items with `encrypted_content`. */
  responses: "openai",
  /**
   * Reasoning text a client sends without anything that lets a vendor check it (a Messages
   * `thinking` block without a signature, a Responses `reasoning` item without encrypted content):
   * no target takes it back, so it is left out everywhere, and recorded.
   */
  unsigned: "unsigned",
} as const;
