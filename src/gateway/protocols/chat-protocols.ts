import { anthropicChatProtocol } from "./anthropic/chat-protocol.js";
import type { ChatProtocol } from "./chat-protocol.js";
import { openAIChatProtocol } from "./openai/chat-protocol.js";

/** Every chat protocol the gateway serves, by name. */
export const CHAT_PROTOCOLS: ReadonlyMap<string, ChatProtocol> = new Map(
  [openAIChatProtocol, anthropicChatProtocol].map((protocol) => [protocol.name, protocol]),
);

/** The client headers a same-protocol upstream of this wire protocol receives by default. */
export function forwardableHeaders(protocol: string): readonly string[] {
  return CHAT_PROTOCOLS.get(protocol)?.wire.forwardHeaders ?? [];
}
