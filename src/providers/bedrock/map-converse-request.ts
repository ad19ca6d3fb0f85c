import { ProviderError } from "../../errors/provider-error.js";
import type { ChatMessage, ChatRequest, ContentPart, ToolChoice } from "../../llm/chat.js";
import { unmappedPart } from "../shared/unmapped-part.js";

/** A Converse content block (the subset a unified request produces). */
export type ConverseBlock =
  | { text: string }
  | { image: { format: string; source: { bytes: string } } }
  | { toolUse: { toolUseId: string; name: string; input: unknown } }
  | { toolResult: { toolUseId: string; content: { text: string }[] } };

export interface ConverseMessage {
  role: "user" | "assistant";
  content: ConverseBlock[];
}

export type ConverseBody = Record<string, unknown> & {
  messages: ConverseMessage[];
  system?: { text: string }[];
};

const IMAGE_FORMATS: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpeg",
  "image/jpg": "jpeg",
  "image/gif": "gif",
  "image/webp": "webp",
};

/**
 * A unified chat request -> a Converse / ConverseStream body (pure; the model goes in the path).
 * System messages become `system` blocks; tool results are `toolResult` blocks in a user turn;
 * consecutive turns of one role are merged (Converse requires them to alternate). Images must be
 * inline (base64 or a `data:` URL): Converse fetches no URLs. `seed`, `user`, `parallelToolCalls`
 * and `responseFormat` have no Converse field: a request that sets `responseFormat` to JSON is
 * refused as `invalid_request` rather than answered in free text. `providerOptions.bedrock` is
 * merged over the body last (`additionalModelRequestFields`, `guardrailConfig`, ...).
 */
export function mapConverseRequest(request: ChatRequest, provider: string): ConverseBody {
  if (request.responseFormat !== undefined && request.responseFormat.type !== "text") {
    throw invalid(provider, "the Converse API has no response format (JSON mode)");
  }
  const system: { text: string }[] = [];
  const messages: ConverseMessage[] = [];
  const push = (role: "user" | "assistant", blocks: ConverseBlock[]) => {
    if (blocks.length === 0) return;
    const last = messages.at(-1);
    if (last !== undefined && last.role === role) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  };
  for (const message of request.messages) {
    if (message.role === "system") system.push({ text: message.content });
    else push(message.role === "assistant" ? "assistant" : "user", blocksOf(message, provider));
  }
  const body: ConverseBody = { messages };
  if (system.length > 0) body.system = system;
  const inference: Record<string, unknown> = {};
  if (request.maxTokens !== undefined) inference.maxTokens = request.maxTokens;
  if (request.temperature !== undefined) inference.temperature = request.temperature;
  if (request.topP !== undefined) inference.topP = request.topP;
  if (request.stop !== undefined && request.stop.length > 0) inference.stopSequences = request.stop;
  if (Object.keys(inference).length > 0) body.inferenceConfig = inference;
  const tools = request.tools ?? [];
  if (tools.length > 0) {
    const choice = mapToolChoice(request.toolChoice);
    body.toolConfig = {
      tools: tools.map((tool) => ({
        toolSpec: {
          name: tool.name,
          ...(tool.description === undefined ? {} : { description: tool.description }),
          inputSchema: { json: tool.parameters },
        },
      })),
      ...(choice === undefined ? {} : { toolChoice: choice }),
    };
  }
  const extra = request.providerOptions?.bedrock;
  return extra === undefined ? body : { ...body, ...extra };
}

function blocksOf(message: Exclude<ChatMessage, { role: "system" }>, provider: string) {
  switch (message.role) {
    case "user":
      return typeof message.content === "string"
        ? textBlocks(message.content)
        : message.content.map((part) => partBlock(part, provider));
    case "assistant": {
      const blocks: ConverseBlock[] = textBlocks(message.content ?? "");
      for (const call of message.toolCalls ?? []) {
        blocks.push({
          toolUse: { toolUseId: call.id, name: call.name, input: parseArguments(call.arguments) },
        });
      }
      return blocks;
    }
    case "tool":
      return [
        { toolResult: { toolUseId: message.toolCallId, content: [{ text: message.content }] } },
      ];
  }
}

/** Converse rejects empty text blocks. */
function textBlocks(text: string): ConverseBlock[] {
  return text === "" ? [] : [{ text }];
}

function partBlock(part: ContentPart, provider: string): ConverseBlock {
  if (part.type === "text") return { text: part.text };
  if (part.type !== "image") throw unmappedPart(part.type, "bedrock");
  const source = part.source;
  let mediaType: string;
  let data: string;
  if (source.type === "base64") {
    mediaType = source.mediaType;
    data = source.data;
  } else {
    const inline = /^data:([^;,]+);base64,(.*)$/s.exec(source.url);
    if (inline === null) throw invalid(provider, "Converse takes inline images only, not URLs");
    mediaType = inline[1] ?? "";
    data = inline[2] ?? "";
  }
  const format = IMAGE_FORMATS[mediaType.toLowerCase()];
  if (format === undefined) throw invalid(provider, `Converse takes no ${mediaType} images`);
  return { image: { format, source: { bytes: data } } };
}

function mapToolChoice(choice: ToolChoice | undefined): Record<string, unknown> | undefined {
  if (choice === undefined || choice === "none") return undefined;
  if (choice === "auto") return { auto: {} };
  if (choice === "required") return { any: {} };
  return { tool: { name: choice.name } };
}

/** Tool arguments are JSON text in the unified model and a JSON document in Converse. */
function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text === "" ? "{}" : text);
  } catch {
    return {};
  }
}

function invalid(provider: string, problem: string): ProviderError {
  return new ProviderError(`${provider}: ${problem}`, { kind: "invalid_request", provider });
}
