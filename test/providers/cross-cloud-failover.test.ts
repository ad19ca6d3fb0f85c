import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { bedrockMockSecret } from "../../src/testing/index.js";
import { type Harness, startHarness } from "../gateway/harness.js";
import { writeServiceAccountKey } from "../support/service-account-key.js";

/**
 * The same model in two clouds behind one logical model: Claude on Bedrock failing over to Claude on
 * Vertex AI, and GPT on Azure OpenAI failing over to OpenAI, plain and streamed, through the
 * gateway with the official OpenAI client.
 */
const folder = mkdtempSync(join(tmpdir(), "switchyard-cross-cloud-"));

type Mocks = "aws" | "gcp" | "azure" | "openai";
let h: Harness<Mocks>;

beforeAll(async () => {
  h = await startHarness<Mocks>({
    mocks: ["aws", "gcp", "azure", "openai"],
    config: (mocks) => {
      const keyFile = writeServiceAccountKey(folder, `${mocks.gcp.url}/token`);
      return {
        providers: [
          {
            name: "bedrock-us",
            type: "bedrock",
            region: "us-east-1",
            baseUrl: mocks.aws.url,
            keys: [
              { accessKeyId: "AKIAFAILOVER", secretAccessKey: bedrockMockSecret("AKIAFAILOVER") },
            ],
          },
          {
            name: "vertex-eu",
            type: "vertex",
            project: "p",
            location: "europe-west1",
            baseUrl: mocks.gcp.url,
            credentials: { file: keyFile },
          },
          ...["azure-east", "azure-east-streams"].map((name) => ({
            name,
            type: "azure-openai",
            baseUrl: mocks.azure.url,
            deployments: { "gpt-4o": "prod-gpt4o" },
            keys: [{ key: "azure-failover-key" }],
          })),
          {
            name: "openai",
            type: "openai",
            baseUrl: `${mocks.openai.url}/v1`,
            keys: [{ key: "sk-failover-openai" }],
          },
        ],
        models: [
          {
            name: "claude",
            targets: [
              {
                provider: "bedrock-us",
                model: "anthropic.claude-sonnet-4-5-20250929-v1:0",
                priority: 1,
              },
              { provider: "vertex-eu", model: "claude-sonnet-4-5@20250929", priority: 2 },
            ],
            retry: { maxAttempts: 1 },
          },
          {
            name: "tuned-claude",
            targets: [{ provider: "vertex-eu", model: "my-tuned-model", publisher: "anthropic" }],
          },
          ...[
            ["gpt", "azure-east"],
            ["gpt-streams", "azure-east-streams"],
          ].map(([name, azure]) => ({
            name,
            targets: [
              { provider: azure, model: "gpt-4o", priority: 1 },
              { provider: "openai", model: "gpt-4o", priority: 2 },
            ],
            retry: { maxAttempts: 1 },
          })),
        ],
      };
    },
  });
});
afterAll(async () => {
  await h.close();
  rmSync(folder, { recursive: true, force: true });
});
beforeEach(() => {
  for (const mock of Object.values(h.mocks)) mock.reset();
});

describe("cross-cloud failover", () => {
  it.each([false, true])(
    "Claude on Bedrock fails over to Claude on Vertex (streamed: %s)",
    async (streamed) => {
      h.mocks.aws.enqueueFor(streamed ? "bedrock.converse-stream" : "bedrock.converse", {
        error: { kind: "overloaded" },
      });
      h.mocks.gcp.enqueueFor(streamed ? "vertex.stream-raw-predict" : "vertex.raw-predict", {
        reply: { text: "Claude on Vertex here." },
      });
      const client = h.openai();
      let text = "";
      if (streamed) {
        const stream = await client.chat.completions.create({
          model: "claude",
          messages: [{ role: "user", content: "Hi" }],
          stream: true,
        });
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
      } else {
        const completion = await client.chat.completions.create({
          model: "claude",
          messages: [{ role: "user", content: "Hi" }],
        });
        text = completion.choices[0]?.message.content ?? "";
      }
      expect(text).toBe("Claude on Vertex here.");
      expect(h.mocks.aws.requests.map((request) => request.route)).toEqual([
        streamed ? "bedrock.converse-stream" : "bedrock.converse",
      ]);
      const vertexCall = h.mocks.gcp.requests.find(
        (request) => request.route.startsWith("vertex.") && request.route !== "vertex.models",
      );
      expect(vertexCall?.path).toContain(
        "/publishers/anthropic/models/claude-sonnet-4-5%4020250929:",
      );
      expect(vertexCall?.body).toMatchObject({ anthropic_version: "vertex-2023-10-16" });
    },
  );

  it.each([false, true])("GPT on Azure fails over to OpenAI (streamed: %s)", async (streamed) => {
    h.mocks.azure.enqueueFor("azure.chat", {
      error: { kind: "rate_limit", retryAfterSeconds: 30 },
    });
    h.mocks.openai.enqueueFor("openai.chat", { reply: { text: "GPT on OpenAI here." } });
    const client = h.openai();
    let text = "";
    if (streamed) {
      const stream = await client.chat.completions.create({
        model: "gpt-streams",
        messages: [{ role: "user", content: "Hi" }],
        stream: true,
      });
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    } else {
      const completion = await client.chat.completions.create({
        model: "gpt",
        messages: [{ role: "user", content: "Hi" }],
      });
      text = completion.choices[0]?.message.content ?? "";
    }
    expect(text).toBe("GPT on OpenAI here.");
    const azureCall = h.mocks.azure.requestsFor("azure.chat")[0];
    expect(azureCall?.url).toBe(
      "/openai/deployments/prod-gpt4o/chat/completions?api-version=2024-10-21",
    );
  });

  it("a target's publisher picks the Vertex wire format for a model its name does not tell", async () => {
    const completion = await h.openai().chat.completions.create({
      model: "tuned-claude",
      messages: [{ role: "user", content: "Hi" }],
    });
    expect(completion.choices[0]?.message.content).toBeTruthy();
    expect(h.mocks.gcp.requestsFor("vertex.raw-predict")[0]?.path).toBe(
      "/v1/projects/p/locations/europe-west1/publishers/anthropic/models/my-tuned-model:rawPredict",
    );
  });
});
