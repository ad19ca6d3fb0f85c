import type { ChatMessage, ChatRequest, ReasoningRequest, ToolChoice } from "../../llm/chat.js";
import { budgetOf } from "../../llm/reasoning-effort.js";
import { MIN_THINKING_BUDGET } from "../anthropic/map-reasoning.js";
import { isAnthropicModel, reasoningOrigin } from "./anthropic-model.js";
import {
  type ConverseBlock,
  cachePointAfter,
  invalid,
  partBlocks,
  reasoningBlocks,
  toolResultBlocks,
} from "./map-converse-content.js";

export type { ConverseBlock } from "./map-converse-content.js";

export interface ConverseMessage {
  role: "user" | "assistant";
  content: ConverseBlock[];
}

export type ConverseBody = Record<string, unknown> & {
  messages: ConverseMessage[];
  system?: ConverseBlock[];
};

/**
 * A unified chat request -> a Converse / ConverseStream body (pure; the model goes in the path).
 * System messages become `system` blocks; tool results are `toolResult` blocks in a user turn;
 * consecutive turns of one role are merged (Converse requires them to alternate). Images and
 * documents must be inline (base64, text or a `data:` URL): Converse fetches no URLs. Cache
 * breakpoints become `cachePoint` blocks after the marked item (system, message or tool); earlier
 * reasoning of the model's own family goes back as `reasoningContent`; `reasoning` becomes Claude's
 * `thinking` on Anthropic models (no other family's is mapped). `seed`, `user`, `parallelToolCalls`
 * and `responseFormat` have no Converse field: a request that sets `responseFormat` to JSON is
 * refused as `invalid_request` rather than answered in free text. `providerOptions.bedrock` is
 * merged over the body last (`additionalModelRequestFields`, `guardrailConfig`, ...).
 */
export function mapConverseRequest(request: ChatRequest, provider: string): ConverseBody {
  if (request.responseFormat !== undefined && request.responseFormat.type !== "text") {
    throw invalid(provider, "the Converse API has no response format (JSON mode)");
  }
  const origin = reasoningOrigin(request.model);
  const system: ConverseBlock[] = [];
  const messages: ConverseMessage[] = [];
  const push = (role: "user" | "assistant", blocks: ConverseBlock[]) => {
    if (blocks.length === 0) return;
    const last = messages.at(-1);
    if (last !== undefined && last.role === role) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  };
  for (const message of request.messages) {
    if (message.role === "system") {
      system.push({ text: message.content }, ...cachePointAfter(message.cacheControl));
    } else {
      const role = message.role === "assistant" ? "assistant" : "user";
      push(role, blocksOf(message, provider, origin));
    }
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
      tools: tools.flatMap((tool) => [
        {
          toolSpec: {
            name: tool.name,
            ...(tool.description === undefined ? {} : { description: tool.description }),
            inputSchema: { json: tool.parameters },
          },
        },
        ...cachePointAfter(tool.cacheControl),
      ]),
      ...(choice === undefined ? {} : { toolChoice: choice }),
    };
  }
  const thinking = isAnthropicModel(request.model)
    ? claudeThinking(request.reasoning, request.maxTokens)
    : undefined;
  if (thinking !== undefined) body.additionalModelRequestFields = { thinking };
  const extra = request.providerOptions?.bedrock;
  if (extra === undefined) return body;
  const fields = extra.additionalModelRequestFields;
  return {
    ...body,
    ...extra,
    ...(thinking !== undefined && isPlainObject(fields)
      ? { additionalModelRequestFields: { thinking, ...fields } }
      : {}),
  };
}

/**
 * `ChatRequest.reasoning` -> Claude's `thinking` (in `additionalModelRequestFields`): a budget as
 * given, else the effort's from the shared table (`budgetOf`); a budget of 0 (`effort: none`) or no
 * reasoning is no thinking. The budget stays below `maxTokens`, as Claude requires.
 */
export function claudeThinking(
  reasoning: ReasoningRequest | undefined,
  maxTokens: number | undefined,
): Record<string, unknown> | undefined {
  if (reasoning === undefined) return undefined;
  let budget = budgetOf(reasoning);
  if (budget === undefined || budget === 0) return undefined;
  if (maxTokens !== undefined && budget >= maxTokens) budget = maxTokens - 1;
  return { type: "enabled", budget_tokens: Math.max(budget, MIN_THINKING_BUDGET) };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function blocksOf(
  message: Exclude<ChatMessage, { role: "system" }>,
  provider: string,
  origin: string,
): ConverseBlock[] {
  switch (message.role) {
    case "user":
      return typeof message.content === "string"
        ? textBlocks(message.content)
        : message.content.flatMap((part) => partBlocks(part, provider));
    case "assistant": {
      const blocks: ConverseBlock[] = [
        ...reasoningBlocks(message.reasoning ?? [], origin),
        ...textBlocks(message.content ?? ""),
      ];
      for (const call of message.toolCalls ?? []) {
        blocks.push({
          toolUse: { toolUseId: call.id, name: call.name, input: parseArguments(call.arguments) },
        });
      }
      return blocks;
    }
    case "tool":
      return toolResultBlocks(message, provider);
  }
}

/** Converse rejects empty text blocks. */
function textBlocks(text: string): ConverseBlock[] {
  return text === "" ? [] : [{ text }];
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
