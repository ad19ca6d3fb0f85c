import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AnthropicVertex } from "@anthropic-ai/vertex-sdk";
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
} from "@aws-sdk/client-bedrock-runtime";
import { GoogleGenAI } from "@google/genai";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { OAuth2Client } from "google-auth-library";
import { AzureOpenAI } from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  bedrockMockSecret,
  type MockProviderServer,
  startMockProviderServer,
  vertexMockToken,
} from "../../src/testing/index.js";

/**
 * Fidelity: the official cloud clients pointed at the mock. What the mock answers must parse in
 * them, and what they send (paths, api-version, SigV4 signatures, tokens) must be accepted by it.
 */
let mock: MockProviderServer;
beforeAll(async () => {
  mock = await startMockProviderServer();
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

describe("openai's AzureOpenAI against the Azure mock", () => {
  it("chat, streaming and embeddings on the deployment paths", async () => {
    const client = new AzureOpenAI({
      endpoint: mock.url,
      apiKey: "azure-sdk-key",
      apiVersion: "2024-10-21",
      deployment: "prod-gpt4o",
      maxRetries: 0,
    });
    mock.enqueue({
      reply: { text: "Hello from Azure.", usage: { inputTokens: 4, outputTokens: 3 } },
    });
    const completion = await client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Hi" }],
    });
    expect(completion.choices[0]?.message.content).toBe("Hello from Azure.");
    expect(completion.usage?.total_tokens).toBe(7);
    mock.enqueue({ reply: { text: "one two three" } });
    const stream = await client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Hi" }],
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    expect(text).toBe("one two three");
    const embeddings = await client.embeddings.create({
      model: "text-embedding-3-small",
      input: ["a"],
    });
    expect(embeddings.data).toHaveLength(1);
    expect(mock.requests.map((request) => request.url)).toEqual([
      "/openai/deployments/prod-gpt4o/chat/completions?api-version=2024-10-21",
      "/openai/deployments/prod-gpt4o/chat/completions?api-version=2024-10-21",
      "/openai/deployments/prod-gpt4o/embeddings?api-version=2024-10-21",
    ]);
  });

  it("the client sees Azure's content filter error", async () => {
    const client = new AzureOpenAI({
      endpoint: mock.url,
      apiKey: "azure-sdk-key",
      apiVersion: "2024-10-21",
      deployment: "prod-gpt4o",
      maxRetries: 0,
    });
    mock.enqueue({ error: { kind: "content_filter" } });
    await expect(
      client.chat.completions.create({
        model: "gpt-4o",
        messages: [{ role: "user", content: "x" }],
      }),
    ).rejects.toMatchObject({ status: 400, code: "content_filter" });
  });
});

describe("@aws-sdk/client-bedrock-runtime against the Bedrock mock", () => {
  const client = (secret = bedrockMockSecret("AKIASDKTEST")) =>
    new BedrockRuntimeClient({
      region: "us-west-2",
      endpoint: mock.url,
      credentials: {
        accessKeyId: "AKIASDKTEST",
        secretAccessKey: secret,
        sessionToken: "sdk-session",
      },
      maxAttempts: 1,
      // HTTP/1.1: the mock speaks no HTTP/2 (the SDK's default for event streams).
      requestHandler: new NodeHttpHandler(),
    });

  it("Converse: the SDK's signature is accepted and the answer parses", async () => {
    mock.enqueue({
      reply: {
        text: "Hello from Bedrock.",
        toolCalls: [{ name: "lookup", arguments: { q: "x" } }],
        usage: { inputTokens: 12, outputTokens: 5, cachedInputTokens: 2 },
      },
    });
    const answer = await client().send(
      new ConverseCommand({
        modelId: "anthropic.claude-sonnet-4-5-20250929-v1:0",
        messages: [{ role: "user", content: [{ text: "Hi" }] }],
      }),
    );
    expect(answer.output?.message?.content?.[0]?.text).toBe("Hello from Bedrock.");
    expect(answer.output?.message?.content?.[1]?.toolUse).toMatchObject({
      name: "lookup",
      input: { q: "x" },
    });
    expect(answer.stopReason).toBe("tool_use");
    expect(answer.usage).toMatchObject({
      inputTokens: 10,
      outputTokens: 5,
      cacheReadInputTokens: 2,
    });
  });

  it("ConverseStream: the event stream decodes in the SDK, exceptions included", async () => {
    mock.enqueue({ reply: { text: "one two three", usage: { inputTokens: 3, outputTokens: 3 } } });
    const answer = await client().send(
      new ConverseStreamCommand({
        modelId: "amazon.nova-pro-v1:0",
        messages: [{ role: "user", content: [{ text: "Hi" }] }],
      }),
    );
    let text = "";
    const events: string[] = [];
    for await (const event of answer.stream ?? []) {
      events.push(Object.keys(event)[0] ?? "");
      text += event.contentBlockDelta?.delta?.text ?? "";
    }
    expect(text).toBe("one two three");
    expect(events.at(-2)).toBe("messageStop");
    expect(events.at(-1)).toBe("metadata");

    mock.enqueue({
      fault: "error-event",
      kind: "server",
      afterChunks: 1,
      reply: { text: "one two" },
    });
    const failing = await client().send(
      new ConverseStreamCommand({
        modelId: "amazon.nova-pro-v1:0",
        messages: [{ role: "user", content: [{ text: "Hi" }] }],
      }),
    );
    await expect(
      (async () => {
        for await (const _event of failing.stream ?? []) {
          // reading until the exception
        }
      })(),
    ).rejects.toMatchObject({ name: "ModelStreamErrorException" });
  });

  it("a wrong secret is refused with Bedrock's own InvalidSignatureException", async () => {
    await expect(
      client("wrong-secret").send(
        new ConverseCommand({
          modelId: "amazon.nova-pro-v1:0",
          messages: [{ role: "user", content: [{ text: "Hi" }] }],
        }),
      ),
    ).rejects.toMatchObject({
      name: "InvalidSignatureException",
      $metadata: { httpStatusCode: 403 },
    });
  });
});

describe("@anthropic-ai/vertex-sdk against the Vertex mock", () => {
  it("messages, plain and streamed, on rawPredict and streamRawPredict with a bearer token", async () => {
    const client = new AnthropicVertex({
      baseURL: `${mock.url}/v1`,
      region: "us-east5",
      projectId: "my-project",
      // A stand-in for google-auth-library's AuthClient: the mock's token as the bearer header.
      authClient: {
        projectId: "my-project",
        getRequestHeaders: async () =>
          new Headers({ authorization: `Bearer ${vertexMockToken(Date.now() + 600_000)}` }),
      } as never,
      maxRetries: 0,
    });
    mock.enqueue({ reply: { text: "Claude on Vertex." } }, { reply: { text: "streamed claude" } });
    const message = await client.messages.create({
      model: "claude-sonnet-4-5@20250929",
      max_tokens: 100,
      messages: [{ role: "user", content: "Hi" }],
    });
    expect(message.content[0]).toMatchObject({ type: "text", text: "Claude on Vertex." });
    const stream = client.messages.stream({
      model: "claude-sonnet-4-5@20250929",
      max_tokens: 100,
      messages: [{ role: "user", content: "Hi" }],
    });
    expect(await stream.finalText()).toBe("streamed claude");
    expect(mock.requests.map((request) => request.route)).toEqual([
      "vertex.raw-predict",
      "vertex.stream-raw-predict",
    ]);
  });
});

describe("@google/genai in Vertex mode against the Vertex mock", () => {
  it("generateContent and streamGenerateContent under the project and location", async () => {
    const authClient = new OAuth2Client();
    authClient.setCredentials({
      access_token: vertexMockToken(Date.now() + 600_000),
      expiry_date: Date.now() + 600_000,
    });
    const ai = new GoogleGenAI({
      vertexai: true,
      project: "my-project",
      location: "europe-west1",
      httpOptions: { baseUrl: mock.url },
      googleAuthOptions: { authClient },
    });
    mock.enqueue({ reply: { text: "Gemini on Vertex." } }, { reply: { text: "one two three" } });
    const answer = await ai.models.generateContent({ model: "gemini-2.5-pro", contents: "Hi" });
    expect(answer.text).toBe("Gemini on Vertex.");
    let text = "";
    for await (const chunk of await ai.models.generateContentStream({
      model: "gemini-2.5-pro",
      contents: "Hi",
    })) {
      text += chunk.text ?? "";
    }
    expect(text).toBe("one two three");
    expect(mock.requests.map((request) => request.path)).toEqual([
      "/v1beta1/projects/my-project/locations/europe-west1/publishers/google/models/gemini-2.5-pro:generateContent",
      "/v1beta1/projects/my-project/locations/europe-west1/publishers/google/models/gemini-2.5-pro:streamGenerateContent",
    ]);
  });
});

describe("the Vertex mock's token endpoint with a real service-account JWT", () => {
  const folder = mkdtempSync(join(tmpdir(), "switchyard-vertex-sdk-"));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  it("rejects a grant for another audience", async () => {
    const { signServiceAccountJwt } = await import("../../src/providers/vertex/index.js");
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    writeFileSync(join(folder, "unused.json"), "{}");
    const assertion = signServiceAccountJwt(
      { clientEmail: "a@b.iam.gserviceaccount.com", privateKey: pem },
      "https://oauth2.googleapis.com/token",
      Date.now(),
    );
    const response = await fetch(`${mock.url}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
        assertion,
      }).toString(),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_grant" });
  });
});
