import type { ChatProtocol } from "../chat-protocol.js";
import { renderError } from "../openai/render-error.js";

/**
 * The Responses API (`/v1/responses`) as a route protocol: its errors have the Chat Completions
 * shape (`{ "error": { "message", "type", "param", "code" } }`), as the vendor's are.
 */
export const responsesProtocol: Pick<ChatProtocol, "name" | "renderError"> = {
  name: "responses",
  renderError: (description) => renderError(description),
};
