import Anthropic from "@anthropic-ai/sdk";
import { AnthropicVertex } from "@anthropic-ai/vertex-sdk";
import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { GoogleGenAI } from "@google/genai";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import OpenAI, { AzureOpenAI } from "openai";
import type { LlmProvider } from "../../src/llm/index.js";
import { signRequest } from "../../src/providers/bedrock/index.js";
import {
  createAnthropicProvider,
  createAzureOpenAIProvider,
  createBedrockProvider,
  createGeminiProvider,
  createOpenAIProvider,
  createVertexProvider,
} from "../../src/providers/index.js";
import { bedrockMockSecret, vertexMockToken } from "../../src/testing/index.js";

/** The user message of every call. */
export const PROMPT = "Say hello.";

/** One vendor: our adapter, its official SDK and the bare request, all sending the same call. */
export interface Contender {
  name: "openai" | "anthropic" | "gemini" | "azure-openai" | "bedrock" | "vertex";
  model: string;
  ours: LlmProvider;
  /** One non-streaming call through the official SDK; resolves to the reply text. */
  sdk(): Promise<string | null | undefined>;
  /** The same call with undici's bare `request()`: the floor (mock and network only). */
  floor: { path: string; body: string; headers: Record<string, string> };
}

const AWS_CREDENTIALS = {
  accessKeyId: "AKIABENCH",
  secretAccessKey: bedrockMockSecret("AKIABENCH"),
};
const BEDROCK_MODEL = "anthropic.claude-haiku-4-5-v1:0";
const AZURE_VERSION = "2024-10-21";

/** The Bedrock floor's headers: the same request, signed once (the mock checks, not dates). */
async function bedrockFloorHeaders(url: string, body: string): Promise<Record<string, string>> {
  const target = new URL(url);
  return signRequest(
    {
      method: "POST",
      protocol: target.protocol,
      hostname: target.hostname,
      port: Number(target.port),
      path: `/model/${encodeURIComponent(BEDROCK_MODEL)}/converse`,
      headers: {
        host: target.host,
        "content-type": "application/json",
        accept: "application/json",
      },
      body,
    },
    { credentials: AWS_CREDENTIALS, region: "us-east-1", service: "bedrock" },
  );
}

/** The cloud contenders: Azure OpenAI, Bedrock (Converse) and Claude on Vertex. */
export async function cloudContenders(url: string): Promise<Contender[]> {
  const messages = [{ role: "user" as const, content: PROMPT }];
  const json = { "content-type": "application/json" };
  const token = vertexMockToken(Date.now() + 3_600_000);
  const azure = new AzureOpenAI({
    endpoint: url,
    apiKey: "azure-bench",
    apiVersion: AZURE_VERSION,
    deployment: "gpt-4o-mini",
    maxRetries: 0,
  });
  const bedrock = new BedrockRuntimeClient({
    region: "us-east-1",
    endpoint: url,
    credentials: AWS_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler(),
  });
  const vertex = new AnthropicVertex({
    baseURL: `${url}/v1`,
    region: "us-east5",
    projectId: "bench",
    authClient: {
      projectId: "bench",
      getRequestHeaders: async () => new Headers({ authorization: `Bearer ${token}` }),
    } as never,
    maxRetries: 0,
  });
  const converseBody = JSON.stringify({
    messages: [{ role: "user", content: [{ text: PROMPT }] }],
    inferenceConfig: { maxTokens: 256 },
  });
  return [
    {
      name: "azure-openai",
      model: "gpt-4o-mini",
      ours: createAzureOpenAIProvider({ apiKey: "azure-bench", baseUrl: url }),
      sdk: async () =>
        (await azure.chat.completions.create({ model: "gpt-4o-mini", messages })).choices[0]
          ?.message.content,
      floor: {
        path: `/openai/deployments/gpt-4o-mini/chat/completions?api-version=${AZURE_VERSION}`,
        body: JSON.stringify({ model: "gpt-4o-mini", messages }),
        headers: { ...json, "api-key": "azure-bench" },
      },
    },
    {
      name: "bedrock",
      model: BEDROCK_MODEL,
      ours: createBedrockProvider({
        region: "us-east-1",
        baseUrl: url,
        credentials: AWS_CREDENTIALS,
      }),
      sdk: async () =>
        (
          await bedrock.send(
            new ConverseCommand({
              modelId: BEDROCK_MODEL,
              messages: [{ role: "user", content: [{ text: PROMPT }] }],
              inferenceConfig: { maxTokens: 256 },
            }),
          )
        ).output?.message?.content?.[0]?.text,
      floor: {
        path: `/model/${encodeURIComponent(BEDROCK_MODEL)}/converse`,
        body: converseBody,
        headers: await bedrockFloorHeaders(url, converseBody),
      },
    },
    {
      name: "vertex",
      model: "claude-haiku-4-5@20251001",
      ours: createVertexProvider({
        project: "bench",
        location: "us-east5",
        baseUrl: url,
        tokenSource: async () => ({ value: token, expiresAtMs: undefined }),
      }),
      sdk: async () => {
        const message = await vertex.messages.create({
          model: "claude-haiku-4-5@20251001",
          max_tokens: 256,
          messages,
        });
        const first = message.content[0];
        return first?.type === "text" ? first.text : undefined;
      },
      floor: {
        path:
          "/v1/projects/bench/locations/us-east5/publishers/anthropic/models/" +
          "claude-haiku-4-5%4020251001:rawPredict",
        body: JSON.stringify({ anthropic_version: "vertex-2023-10-16", max_tokens: 256, messages }),
        headers: { ...json, authorization: `Bearer ${token}` },
      },
    },
  ];
}

/** The direct contenders: OpenAI, Anthropic and Gemini. */
export function contenders(url: string): Contender[] {
  const messages = [{ role: "user" as const, content: PROMPT }];
  const openai = new OpenAI({ apiKey: "sk-bench", baseURL: `${url}/v1`, maxRetries: 0 });
  const anthropic = new Anthropic({ apiKey: "sk-ant-bench", baseURL: url, maxRetries: 0 });
  const google = new GoogleGenAI({ apiKey: "bench-key", httpOptions: { baseUrl: url } });
  const json = { "content-type": "application/json" };
  return [
    {
      name: "openai",
      model: "gpt-4o-mini",
      ours: createOpenAIProvider({ apiKey: "sk-bench", baseUrl: `${url}/v1` }),
      sdk: async () =>
        (await openai.chat.completions.create({ model: "gpt-4o-mini", messages })).choices[0]
          ?.message.content,
      floor: {
        path: "/v1/chat/completions",
        body: JSON.stringify({ model: "gpt-4o-mini", messages }),
        headers: { ...json, authorization: "Bearer sk-bench" },
      },
    },
    {
      name: "anthropic",
      model: "claude-haiku-4-5",
      ours: createAnthropicProvider({ apiKey: "sk-ant-bench", baseUrl: url }),
      sdk: async () => {
        const message = await anthropic.messages.create({
          model: "claude-haiku-4-5",
          max_tokens: 256,
          messages,
        });
        const first = message.content[0];
        return first?.type === "text" ? first.text : undefined;
      },
      floor: {
        path: "/v1/messages",
        body: JSON.stringify({ model: "claude-haiku-4-5", max_tokens: 256, messages }),
        headers: { ...json, "x-api-key": "sk-ant-bench", "anthropic-version": "2023-06-01" },
      },
    },
    {
      name: "gemini",
      model: "gemini-2.5-flash",
      ours: createGeminiProvider({ apiKey: "bench-key", baseUrl: `${url}/v1beta` }),
      sdk: async () =>
        (await google.models.generateContent({ model: "gemini-2.5-flash", contents: PROMPT })).text,
      floor: {
        path: "/v1beta/models/gemini-2.5-flash:generateContent",
        body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: PROMPT }] }] }),
        headers: { ...json, "x-goog-api-key": "bench-key" },
      },
    },
  ];
}
