import { readFileSync } from "node:fs";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  MOCK_ERROR_KINDS,
  type MockBehaviour,
  type MockProviderServer,
  startMockProviderServer,
} from "../../src/testing/index.js";

// The mock's OpenAI answers validate against OpenAI's own OpenAPI schemas (a copy in
// test/fixtures/openai-openapi, from openai/openai-openapi, MIT).

const SCHEMAS_URL = new URL("../fixtures/openai-openapi/schemas.json", import.meta.url);
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/**
 * OpenAPI 3.1 schemas are JSON Schema 2020-12, except for the OpenAPI 3.0 `nullable` keyword that
 * some still carry: rewrite `{ ..., nullable: true }` as `{ anyOf: [{ ... }, { type: "null" }] }`.
 */
function rewriteNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteNullable);
  if (typeof node !== "object" || node === null) return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const rewritten = Object.fromEntries(
    Object.entries(rest).map(([key, value]) => [key, rewriteNullable(value)]),
  );
  return nullable === true ? { anyOf: [rewritten, { type: "null" }] } : rewritten;
}

function loadValidators(): (name: string) => ValidateFunction {
  const document = rewriteNullable(JSON.parse(readFileSync(SCHEMAS_URL, "utf8")));
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat("unixtime", { type: "number", validate: (value: number) => value > 0 });
  ajv.addSchema(document as object, "openai");
  return (name) => {
    const validate = ajv.getSchema(`openai#/components/schemas/${name}`);
    if (validate === undefined) throw new Error(`schema ${name} is not in the fixture`);
    return validate;
  };
}

const validator = loadValidators();

function expectValid(name: string, value: unknown): void {
  const validate = validator(name);
  const valid = validate(value);
  expect(valid ? [] : validate.errors, `${name}: ${JSON.stringify(value)}`).toEqual([]);
}

let mock: MockProviderServer;

beforeAll(async () => {
  mock = await startMockProviderServer();
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => {
  mock.reset();
});

async function post(path: string, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${mock.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

function dataLines(raw: string): string[] {
  return raw
    .split("\n\n")
    .filter((block) => block.startsWith("data: "))
    .map((block) => block.slice("data: ".length));
}

const REPLIES: [string, MockBehaviour][] = [
  ["text", { reply: { text: "Hello there, friend." } }],
  ["empty text", { reply: { text: "" } }],
  [
    "text and tool calls",
    {
      reply: {
        text: "Checking.",
        toolCalls: [
          { name: "get_weather", arguments: { city: "Paris" } },
          { id: "call_x", name: "get_time", arguments: "{}" },
        ],
      },
      chunkSize: 4,
    },
  ],
  [
    "length stop with cached usage",
    { reply: { finishReason: "length", usage: { cachedInputTokens: 4 } } },
  ],
  ["content filter", { reply: { text: "", finishReason: "content_filter" } }],
];

describe("OpenAI schemas", () => {
  it("reject what does not fit (the validator can fail)", () => {
    expect(validator("CreateChatCompletionResponse")({ object: "chat.completion" })).toBe(false);
    expect(validator("ErrorResponse")({ error: { message: "x" } })).toBe(false);
  });

  it.each(REPLIES)("CreateChatCompletionResponse: %s", async (_, behaviour) => {
    mock.enqueue(behaviour);
    const response = await post("/v1/chat/completions", { model: "gpt-4o-mini", messages: [] });
    expectValid("CreateChatCompletionResponse", await response.json());
  });

  it.each(REPLIES)("CreateChatCompletionStreamResponse: %s", async (_, behaviour) => {
    for (const includeUsage of [false, true]) {
      mock.enqueue(behaviour);
      const response = await post("/v1/chat/completions", {
        model: "gpt-4o-mini",
        messages: [],
        stream: true,
        stream_options: { include_usage: includeUsage },
      });
      const lines = dataLines(await response.text());
      expect(lines.at(-1)).toBe("[DONE]");
      for (const line of lines.slice(0, -1)) {
        expectValid("CreateChatCompletionStreamResponse", JSON.parse(line));
      }
    }
  });

  it("CreateEmbeddingResponse", async () => {
    const response = await post("/v1/embeddings", {
      model: "text-embedding-3-small",
      input: ["a", "b"],
      encoding_format: "float",
    });
    expectValid("CreateEmbeddingResponse", await response.json());
  });

  it("ListModelsResponse and Model", async () => {
    expectValid("ListModelsResponse", await (await fetch(`${mock.url}/v1/models`)).json());
    expectValid("Model", await (await fetch(`${mock.url}/v1/models/gpt-4o-mini`)).json());
  });

  it.each(MOCK_ERROR_KINDS)("ErrorResponse: %s", async (kind) => {
    mock.enqueue({ error: { kind, retryAfterSeconds: 1.5 } });
    const response = await post("/v1/chat/completions", { model: "gpt-4o-mini", messages: [] });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expectValid("ErrorResponse", await response.json());
  });

  it("ErrorResponse: the in-stream error event", async () => {
    mock.enqueue({ fault: "error-event", afterChunks: 1, kind: "server" });
    const response = await post("/v1/chat/completions", { model: "m", messages: [], stream: true });
    const last = dataLines(await response.text()).at(-1) ?? "";
    expectValid("ErrorResponse", JSON.parse(last));
  });
});
