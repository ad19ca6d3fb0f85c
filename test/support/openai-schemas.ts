import { readFileSync } from "node:fs";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { expect } from "vitest";

// OpenAI's own OpenAPI schemas, to validate the mock's and the gateway's OpenAI-format answers (a copy in
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

export const validator = loadValidators();

export function expectValid(name: string, value: unknown): void {
  const validate = validator(name);
  const valid = validate(value);
  expect(valid ? [] : validate.errors, `${name}: ${JSON.stringify(value)}`).toEqual([]);
}

/** The JSON of each `data:` line of an SSE body, with its `event:` name when it has one. */
export function sseEvents(raw: string): { event: string | undefined; data: string }[] {
  return raw
    .split("\n\n")
    .filter((block) => block.includes("data: "))
    .map((block) => {
      const lines = block.split("\n");
      const event = lines.find((line) => line.startsWith("event: "))?.slice("event: ".length);
      const data = lines.find((line) => line.startsWith("data: "))?.slice("data: ".length) ?? "";
      return { event, data };
    });
}

/** The schema of each Responses stream event type (`response.created` -> `ResponseCreatedEvent`). */
const STREAM_EVENT_SCHEMAS: ReadonlyMap<string, string> = (() => {
  const document = JSON.parse(readFileSync(SCHEMAS_URL, "utf8")) as {
    components: {
      schemas: Record<
        string,
        { anyOf?: { $ref: string }[]; properties?: Record<string, { enum?: string[] }> }
      >;
    };
  };
  const schemas = document.components.schemas;
  const byType = new Map<string, string>();
  for (const branch of schemas.ResponseStreamEvent?.anyOf ?? []) {
    const name = branch.$ref.split("/").at(-1) ?? "";
    const type = schemas[name]?.properties?.type?.enum?.[0];
    if (type) byType.set(type, name);
  }
  return byType;
})();

/** Validates one Responses stream event against the schema of its own type. */
export function expectValidStreamEvent(event: { type: string }): void {
  const name = STREAM_EVENT_SCHEMAS.get(event.type);
  expect(name, `a schema for ${event.type}`).toBeDefined();
  expectValid(name as string, event);
}
