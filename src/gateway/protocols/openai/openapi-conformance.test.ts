/**
 * Conformance: what these modules render validates against the vendor's published OpenAPI response
 * schemas (test/fixtures/openai-openapi/schemas.json, a trimmed copy of the spec's components).
 */
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { AllProvidersUnavailableError } from "../../../errors/all-providers-unavailable-error.js";
import type { ChatStreamPart } from "../../../llm/stream-part.js";
import { describeError } from "../../error-response.js";
import { createChatStreamEncoder } from "./chat-stream-encoder.js";
import { renderChatResponse } from "./render-chat-response.js";
import { renderEmbeddingsResponse } from "./render-embeddings-response.js";
import { renderError } from "./render-error.js";
import { renderModels } from "./render-models.js";

const SPEC_ID = "https://switchyard.test/openai-openapi.json";
const spec = JSON.parse(
  readFileSync(
    new URL("../../../../test/fixtures/openai-openapi/schemas.json", import.meta.url),
    "utf8",
  ),
) as Record<string, unknown>;
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema({ ...(withNullable(spec) as Record<string, unknown>), $id: SPEC_ID });

/** Rewrites the spec's OpenAPI 3.0 `nullable: true` leftovers as JSON Schema. */
function withNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withNullable);
  if (typeof node !== "object" || node === null) return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) copy[key] = withNullable(value);
  if (copy.nullable !== true) return copy;
  delete copy.nullable;
  if (Array.isArray(copy.enum)) copy.enum = [...copy.enum, null];
  if (typeof copy.type === "string") return { ...copy, type: [copy.type, "null"] };
  return { anyOf: [copy, { type: "null" }] };
}

function validate(schemaName: string, value: unknown): void {
  const check = ajv.getSchema(`${SPEC_ID}#/components/schemas/${schemaName}`);
  if (check === undefined) throw new Error(`no schema ${schemaName}`);
  const valid = check(value);
  expect(check.errors ?? [], JSON.stringify(value)).toEqual([]);
  expect(valid).toBe(true);
}

const usage = { inputTokens: 9, outputTokens: 3, cachedInputTokens: 2, totalTokens: 12 };

describe("rendered bodies conform to the vendor's OpenAPI schemas", () => {
  it("chat completion, with text and with tool calls", () => {
    const base = {
      id: "abc",
      model: "m",
      adapterType: "p",
      text: "hi",
      toolCalls: [],
      finishReason: "stop" as const,
      rawFinishReason: null,
      usage,
    };
    validate("CreateChatCompletionResponse", renderChatResponse(base));
    validate(
      "CreateChatCompletionResponse",
      renderChatResponse({
        ...base,
        text: "",
        toolCalls: [{ id: "c", name: "f", arguments: "{}" }],
        finishReason: "tool_calls",
        usage: undefined,
      }),
    );
  });

  it("every stream chunk, including the usage chunk", () => {
    const parts: ChatStreamPart[] = [
      { type: "response-metadata", id: "x", model: "m" },
      { type: "text-delta", text: "a" },
      { type: "tool-call-delta", index: 0, id: "c1", name: "f", argumentsDelta: "{" },
      { type: "tool-call-delta", index: 0, argumentsDelta: "}" },
      { type: "finish", finishReason: "tool_calls", rawFinishReason: null },
      { type: "usage", usage },
    ];
    for (const includeUsage of [false, true]) {
      const encoder = createChatStreamEncoder({ includeUsage });
      const text = parts.map((part) => encoder.encode(part)).join("") + encoder.end();
      const payloads = text
        .split("\n\n")
        .filter((frame) => frame !== "" && frame !== "data: [DONE]")
        .map((frame) => JSON.parse(frame.slice("data: ".length)));
      expect(payloads.length).toBeGreaterThanOrEqual(4);
      for (const payload of payloads) validate("CreateChatCompletionStreamResponse", payload);
    }
  });

  it("embeddings, models and errors", () => {
    validate(
      "CreateEmbeddingResponse",
      renderEmbeddingsResponse({
        model: "e",
        adapterType: "p",
        embeddings: [[0.5, 1]],
        usage: { inputTokens: 1, totalTokens: 1 },
      }),
    );
    validate("ListModelsResponse", renderModels([{ id: "fast", ownedBy: undefined }]));
    const failed = new AllProvidersUnavailableError(
      [
        {
          outcome: "skipped",
          targetId: "a",
          startedAfterMs: 0,
          reason: "circuit_open",
          availableInMs: 5,
        },
      ],
      5,
    );
    validate("ErrorResponse", renderError(describeError(failed)).body);
    validate("ErrorResponse", renderError(describeError(new Error("x"))).body);
  });
});
