import type { ProviderContext } from "../../src/engine/index.js";
import { isProviderError, type ProviderError } from "../../src/errors/index.js";
import type { ChatStreamPart, LlmProvider, ToolCall } from "../../src/llm/index.js";
import {
  createAnthropicProvider,
  createAzureOpenAIProvider,
  createBedrockProvider,
  createGeminiProvider,
  createOpenAICompatibleProvider,
  createOpenAIProvider,
  createVertexProvider,
} from "../../src/providers/index.js";
import {
  bedrockMockSecret,
  type MockProviderServer,
  type MockRecordedRequest,
  type MockRoute,
  signedAccessKeyId,
  vertexMockToken,
} from "../../src/testing/index.js";

/**
 * The adapters the conformance suite runs, each described by how to build it against a mock
 * provider server and how to read back what it sent in its vendor's wire format.
 */

export interface AdapterSettings {
  /** The provider name in errors. */
  name: string;
  idleTimeoutMs?: number;
  maxResponseBytes?: number;
}

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

export interface AdapterCase {
  /** Names the case (the type, unless one type runs twice). */
  label: string;
  type:
    | "openai"
    | "openai-compatible"
    | "anthropic"
    | "gemini"
    | "azure-openai"
    | "bedrock"
    | "vertex";
  apiKey: string;
  create(mock: MockProviderServer, settings: AdapterSettings): LlmProvider;
  routes: { generate: MockRoute; stream: MockRoute; models: MockRoute; embeddings?: MockRoute };
  /** How a tool result names the call it answers: by the call's id, or (Gemini) by the tool's name. */
  toolResultsLinkBy: "id" | "name";
  readSent(request: MockRecordedRequest): SentRequest;
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

function readOpenAIWire(request: MockRecordedRequest): SentRequest {
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

function readAnthropicWire(request: MockRecordedRequest): SentRequest {
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

function readGeminiWire(request: MockRecordedRequest): SentRequest {
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

function readAzureWire(request: MockRecordedRequest): SentRequest {
  return { ...readOpenAIWire(request), key: header(request, "api-key") };
}

function readBedrockWire(request: MockRecordedRequest): SentRequest {
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

const BEDROCK_KEY_ID = "AKIACONFORMANCE";

/** A token the Vertex mock accepts for the next hour (the token endpoint is tested on its own). */
const VERTEX_TOKEN = vertexMockToken(Date.now() + 3_600_000);
const vertexTokens = async () => ({ value: VERTEX_TOKEN, expiresAtMs: Date.now() + 3_600_000 });

function readVertexWire(read: (request: MockRecordedRequest) => SentRequest) {
  return (request: MockRecordedRequest): SentRequest => {
    const model = /\/models\/([^/:]+):/.exec(request.path)?.[1];
    return {
      ...read(request),
      model: model === undefined ? undefined : decodeURIComponent(model),
      key: header(request, "authorization")?.replace(/^Bearer /, ""),
    };
  };
}

export const ADAPTER_CASES: readonly AdapterCase[] = [
  {
    label: "openai",
    type: "openai",
    apiKey: "sk-conformance-openai",
    create: (mock, settings) =>
      createOpenAIProvider({
        apiKey: "sk-conformance-openai",
        baseUrl: `${mock.url}/v1`,
        ...settings,
      }),
    routes: {
      generate: "openai.chat",
      stream: "openai.chat",
      models: "openai.models",
      embeddings: "openai.embeddings",
    },
    toolResultsLinkBy: "id",
    readSent: readOpenAIWire,
  },
  {
    label: "openai-compatible",
    type: "openai-compatible",
    apiKey: "sk-conformance-compatible",
    create: (mock, settings) =>
      createOpenAICompatibleProvider({
        apiKey: "sk-conformance-compatible",
        baseUrl: `${mock.url}/v1`,
        ...settings,
      }),
    routes: {
      generate: "openai.chat",
      stream: "openai.chat",
      models: "openai.models",
      embeddings: "openai.embeddings",
    },
    toolResultsLinkBy: "id",
    readSent: readOpenAIWire,
  },
  {
    label: "anthropic",
    type: "anthropic",
    apiKey: "sk-ant-conformance",
    create: (mock, settings) =>
      createAnthropicProvider({ apiKey: "sk-ant-conformance", baseUrl: mock.url, ...settings }),
    routes: {
      generate: "anthropic.messages",
      stream: "anthropic.messages",
      models: "anthropic.models",
    },
    toolResultsLinkBy: "id",
    readSent: readAnthropicWire,
  },
  {
    label: "gemini",
    type: "gemini",
    apiKey: "gemini-conformance-key",
    create: (mock, settings) =>
      createGeminiProvider({
        apiKey: "gemini-conformance-key",
        baseUrl: `${mock.url}/v1beta`,
        ...settings,
      }),
    routes: {
      generate: "gemini.generate",
      stream: "gemini.stream",
      models: "gemini.models",
      embeddings: "gemini.embeddings",
    },
    toolResultsLinkBy: "name",
    readSent: readGeminiWire,
  },
  {
    label: "azure-openai",
    type: "azure-openai",
    apiKey: "azure-conformance-key",
    create: (mock, settings) =>
      createAzureOpenAIProvider({
        apiKey: "azure-conformance-key",
        baseUrl: mock.url,
        ...settings,
      }),
    routes: {
      generate: "azure.chat",
      stream: "azure.chat",
      models: "azure.models",
      embeddings: "azure.embeddings",
    },
    toolResultsLinkBy: "id",
    readSent: readAzureWire,
  },
  {
    label: "bedrock",
    type: "bedrock",
    apiKey: BEDROCK_KEY_ID,
    create: (mock, settings) =>
      createBedrockProvider({
        region: "us-east-1",
        baseUrl: mock.url,
        credentials: {
          accessKeyId: BEDROCK_KEY_ID,
          secretAccessKey: bedrockMockSecret(BEDROCK_KEY_ID),
        },
        ...settings,
      }),
    routes: {
      generate: "bedrock.converse",
      stream: "bedrock.converse-stream",
      models: "bedrock.models",
    },
    toolResultsLinkBy: "id",
    readSent: readBedrockWire,
  },
  {
    label: "vertex (gemini)",
    type: "vertex",
    apiKey: VERTEX_TOKEN,
    create: (mock, settings) =>
      createVertexProvider({
        project: "conformance-project",
        location: "europe-west1",
        baseUrl: mock.url,
        tokenSource: vertexTokens,
        ...settings,
      }),
    routes: {
      generate: "vertex.generate",
      stream: "vertex.stream",
      models: "vertex.models",
      embeddings: "vertex.embeddings",
    },
    toolResultsLinkBy: "name",
    readSent: readVertexWire(readGeminiWire),
  },
  {
    label: "vertex (claude)",
    type: "vertex",
    apiKey: VERTEX_TOKEN,
    create: (mock, settings) =>
      createVertexProvider({
        project: "conformance-project",
        location: "us-east5",
        baseUrl: mock.url,
        tokenSource: vertexTokens,
        publisher: "anthropic",
        ...settings,
      }),
    routes: {
      generate: "vertex.raw-predict",
      stream: "vertex.stream-raw-predict",
      models: "vertex.models",
      embeddings: "vertex.embeddings",
    },
    toolResultsLinkBy: "id",
    readSent: readVertexWire(readAnthropicWire),
  },
];

export function context(signal: AbortSignal = new AbortController().signal): ProviderContext {
  return { signal, attempt: 1, targetId: "conformance" };
}

/** A stream's parts, and the ProviderError it ended with, if any (anything else is rethrown). */
export async function drain(
  stream: AsyncIterable<ChatStreamPart>,
): Promise<{ parts: ChatStreamPart[]; error: ProviderError | undefined }> {
  const parts: ChatStreamPart[] = [];
  try {
    for await (const part of stream) parts.push(part);
  } catch (error) {
    if (isProviderError(error)) return { parts, error };
    throw error;
  }
  return { parts, error: undefined };
}

/** Tool calls put back together from their deltas, by index. */
export function assembleToolCalls(parts: readonly ChatStreamPart[]): ToolCall[] {
  const calls: ToolCall[] = [];
  for (const part of parts) {
    if (part.type !== "tool-call-delta") continue;
    const call = calls[part.index] ?? { id: "", name: "", arguments: "" };
    calls[part.index] = call;
    if (part.id !== undefined) call.id = part.id;
    if (part.name !== undefined) call.name = part.name;
    call.arguments += part.argumentsDelta;
  }
  return calls;
}

export function streamedText(parts: readonly ChatStreamPart[]): string {
  return parts.map((part) => (part.type === "text-delta" ? part.text : "")).join("");
}
