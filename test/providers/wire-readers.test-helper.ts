import { type MockRecordedRequest, signedAccessKeyId } from "../../src/testing/index.js";

/**
 * Reading back what an adapter sent: each vendor's wire format read out of a request the mock
 * provider server recorded, into one neutral shape the conformance suite compares.
 */

/** What a request carried, read out of the vendor's wire format into one neutral shape. */
export interface SentRequest {
  model: string | undefined;
  system: string | undefined;
  toolNames: string[];
  /** The assistant's earlier tool calls, as sent back; arguments parsed. */
  assistantToolCalls: { id: string | undefined; name: string; arguments: unknown }[];
  /** Tool results; JSON text content parsed. */
  toolResults: { callId: string | undefined; name: string | undefined; content: unknown }[];
  /** The value of the header that carries the API key. */
  key: string | undefined;
}

type Json = Record<string, unknown>;

const record = (value: unknown): Json =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : {};
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string | undefined =>
  typeof value === "string" ? value : undefined;
const header = (request: MockRecordedRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
};
/** JSON text parsed, anything else as it is. */
const parsed = (value: unknown): unknown => {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
};

/** The content blocks of every turn of one role (Anthropic's and Converse's shape alike). */
function blocksOf(body: Json, role: string): Json[] {
  return list(body.messages)
    .map(record)
    .filter((message) => message.role === role)
    .flatMap((message) => list(message.content).map(record));
}

export function readOpenAIWire(request: MockRecordedRequest): SentRequest {
  const body = record(request.body);
  const messages = list(body.messages).map(record);
  return {
    model: text(body.model),
    system: text(messages.find((message) => message.role === "system")?.content),
    toolNames: list(body.tools).map((tool) => String(record(record(tool).function).name)),
    assistantToolCalls: messages
      .filter((message) => message.role === "assistant")
      .flatMap((message) => list(message.tool_calls).map(record))
      .map((call) => ({
        id: text(call.id),
        name: String(record(call.function).name),
        arguments: parsed(record(call.function).arguments),
      })),
    toolResults: messages
      .filter((message) => message.role === "tool")
      .map((message) => ({
        callId: text(message.tool_call_id),
        name: text(message.name),
        content: parsed(message.content),
      })),
    key: header(request, "authorization")?.replace(/^Bearer /, ""),
  };
}

export function readAnthropicWire(request: MockRecordedRequest): SentRequest {
  const body = record(request.body);
  const blocks = (role: string) => blocksOf(body, role);
  return {
    model: text(body.model),
    system: text(body.system) ?? text(record(list(body.system)[0]).text),
    toolNames: list(body.tools).map((tool) => String(record(tool).name)),
    assistantToolCalls: blocks("assistant")
      .filter((block) => block.type === "tool_use")
      .map((block) => ({ id: text(block.id), name: String(block.name), arguments: block.input })),
    toolResults: blocks("user")
      .filter((block) => block.type === "tool_result")
      .map((block) => ({
        callId: text(block.tool_use_id),
        name: undefined,
        content: parsed(block.content),
      })),
    key: header(request, "x-api-key"),
  };
}

export function readGeminiWire(request: MockRecordedRequest): SentRequest {
  const body = record(request.body);
  const parts = list(body.contents).flatMap((content) => list(record(content).parts).map(record));
  const model = /\/models\/([^:]+):/.exec(request.path)?.[1];
  return {
    model: model === undefined ? undefined : decodeURIComponent(model),
    system: list(record(body.systemInstruction).parts)
      .map((part) => text(record(part).text) ?? "")
      .join(""),
    toolNames: list(body.tools).flatMap((tool) =>
      list(record(tool).functionDeclarations).map((declaration) =>
        String(record(declaration).name),
      ),
    ),
    assistantToolCalls: parts
      .filter((part) => part.functionCall !== undefined)
      .map((part) => record(part.functionCall))
      .map((call) => ({ id: text(call.id), name: String(call.name), arguments: call.args })),
    toolResults: parts
      .filter((part) => part.functionResponse !== undefined)
      .map((part) => record(part.functionResponse))
      .map((response) => ({
        callId: text(response.id),
        name: text(response.name),
        content: response.response,
      })),
    key: header(request, "x-goog-api-key"),
  };
}

export function readAzureWire(request: MockRecordedRequest): SentRequest {
  return { ...readOpenAIWire(request), key: header(request, "api-key") };
}

export function readBedrockWire(request: MockRecordedRequest): SentRequest {
  const body = record(request.body);
  const blocks = (role: string) => blocksOf(body, role);
  const model = /^\/model\/([^/]+)\//.exec(request.path)?.[1];
  return {
    model: model === undefined ? undefined : decodeURIComponent(model),
    system: text(record(list(body.system)[0]).text),
    toolNames: list(record(body.toolConfig).tools).map((tool) =>
      String(record(record(tool).toolSpec).name),
    ),
    assistantToolCalls: blocks("assistant")
      .filter((block) => block.toolUse !== undefined)
      .map((block) => record(block.toolUse))
      .map((use) => ({ id: text(use.toolUseId), name: String(use.name), arguments: use.input })),
    toolResults: blocks("user")
      .filter((block) => block.toolResult !== undefined)
      .map((block) => record(block.toolResult))
      .map((result) => ({
        callId: text(result.toolUseId),
        name: undefined,
        content: parsed(record(list(result.content)[0]).text),
      })),
    key: signedAccessKeyId(header(request, "authorization")),
  };
}

export function readVertexWire(read: (request: MockRecordedRequest) => SentRequest) {
  return (request: MockRecordedRequest): SentRequest => {
    const model = /\/models\/([^/:]+):/.exec(request.path)?.[1];
    return {
      ...read(request),
      model: model === undefined ? undefined : decodeURIComponent(model),
      key: header(request, "authorization")?.replace(/^Bearer /, ""),
    };
  };
}
