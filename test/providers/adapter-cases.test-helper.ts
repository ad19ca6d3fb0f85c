import type { LlmProvider } from "../../src/llm/index.js";
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
  vertexMockToken,
} from "../../src/testing/index.js";
import {
  readAnthropicWire,
  readAzureWire,
  readBedrockWire,
  readGeminiWire,
  readOpenAIWire,
  readVertexWire,
  type SentRequest,
} from "./wire-readers.test-helper.js";

export type { SentRequest } from "./wire-readers.test-helper.js";

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
  /**
   * How a tool result names the call it answers: by the call's id, or (Gemini) by the tool's
   * name.
   */
  toolResultsLinkBy: "id" | "name";
  readSent(request: MockRecordedRequest): SentRequest;
}

const BEDROCK_KEY_ID = "AKIACONFORMANCE";

/** A token the Vertex mock accepts for the next hour (the token endpoint is tested on its own). */
const VERTEX_TOKEN = vertexMockToken(Date.now() + 3_600_000);
const vertexTokens = async () => ({ value: VERTEX_TOKEN, expiresAtMs: Date.now() + 3_600_000 });

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
