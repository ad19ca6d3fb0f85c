import { ProviderError } from "../../errors/provider-error.js";
import type { ChatMessage, ContentPart, ToolCall } from "../../llm/chat.js";
import { asRecord, type JsonRecord } from "../shared/json-fields.js";
import { functionResponsePart, geminiPart } from "./map-content.js";
import { replayedSignature } from "./map-reasoning.js";

export interface GeminiContent {
  role: "user" | "model";
  parts: JsonRecord[];
}

/**
 * The signature put on the first `functionCall` part of a model turn we replay when the turn carries
 * no Gemini reasoning of its own. Gemini 3 rejects replayed function calls without a thought
 * signature, so we send the placeholder Google documents for histories built elsewhere.
 */
export const PLACEHOLDER_THOUGHT_SIGNATURE = "skip_thought_signature_validator";

/**
 * Unified messages -> `systemInstruction` and `contents`. System messages (wherever they stand)
 * become the system instruction; consecutive tool results share one user turn, as Gemini expects one
 * `functionResponse` per `functionCall` of the preceding model turn.
 */
export function mapMessages(
  messages: readonly ChatMessage[],
  provider: string,
): { systemInstruction: { parts: JsonRecord[] } | undefined; contents: GeminiContent[] } {
  const systemParts: JsonRecord[] = [];
  const contents: GeminiContent[] = [];
  const toolNames = new Map<string, string>();
  let previousWasTool = false;

  for (const message of messages) {
    const isTool = message.role === "tool";
    switch (message.role) {
      case "system":
        systemParts.push({ text: message.content });
        break;
      case "user":
        contents.push({ role: "user", parts: mapUserContent(message.content) });
        break;
      case "assistant": {
        for (const call of message.toolCalls ?? []) toolNames.set(call.id, call.name);
        const parts = mapAssistant(message.content, message.toolCalls ?? [], provider);
        const signature = replayedSignature(message.reasoning);
        // The turn's own signature, on the part that carried it: the first call, else the text.
        const signed = parts.find((part) => part.functionCall !== undefined) ?? parts.at(-1);
        if (signature !== undefined && signed !== undefined) signed.thoughtSignature = signature;
        if (parts.length > 0) contents.push({ role: "model", parts });
        break;
      }
      case "tool": {
        const name = message.name ?? toolNames.get(message.toolCallId);
        if (name === undefined) {
          throw invalid(
            provider,
            `tool result for call ${message.toolCallId} has no name and no earlier assistant tool call has that id`,
          );
        }
        const part = functionResponsePart(message, name);
        const last = contents.at(-1);
        if (previousWasTool && last !== undefined) last.parts.push(part);
        else contents.push({ role: "user", parts: [part] });
        break;
      }
    }
    previousWasTool = isTool;
  }
  return {
    systemInstruction: systemParts.length > 0 ? { parts: systemParts } : undefined,
    contents,
  };
}

function mapUserContent(content: string | ContentPart[]): JsonRecord[] {
  if (typeof content === "string") return [{ text: content }];
  return content.map(geminiPart);
}

function mapAssistant(
  content: string | null,
  toolCalls: readonly ToolCall[],
  provider: string,
): JsonRecord[] {
  const parts: JsonRecord[] = [];
  if (content !== null && content !== "") parts.push({ text: content });
  toolCalls.forEach((call, index) => {
    const part: JsonRecord = {
      functionCall: { name: call.name, args: parseArguments(call, provider) },
    };
    if (index === 0) part.thoughtSignature = PLACEHOLDER_THOUGHT_SIGNATURE;
    parts.push(part);
  });
  return parts;
}

function parseArguments(call: ToolCall, provider: string): JsonRecord {
  if (call.arguments.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(call.arguments);
  } catch (error) {
    throw invalid(
      provider,
      `tool call ${call.id} (${call.name}) has arguments that are not JSON`,
      error,
    );
  }
  const object = asRecord(parsed);
  if (object === undefined) {
    throw invalid(
      provider,
      `tool call ${call.id} (${call.name}) has arguments that are not a JSON object`,
    );
  }
  return object;
}

function invalid(provider: string, message: string, cause?: unknown): ProviderError {
  return new ProviderError(`${provider}: ${message}`, { kind: "invalid_request", provider, cause });
}
