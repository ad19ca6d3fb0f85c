import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stripSchemaDialect, toOpenApiSchema } from "./convert-json-schema.js";

const ALLOWED_KEYS = new Set([
  "type",
  "format",
  "title",
  "description",
  "nullable",
  "enum",
  "minItems",
  "maxItems",
  "minLength",
  "maxLength",
  "pattern",
  "minimum",
  "maximum",
  "minProperties",
  "maxProperties",
  "default",
  "example",
  "propertyOrdering",
  "properties",
  "required",
  "items",
  "anyOf",
]);
const TYPES = new Set(["STRING", "NUMBER", "INTEGER", "BOOLEAN", "ARRAY", "OBJECT", "NULL"]);

/** Every key at every schema level is in Gemini's subset; every `type` is an upper-case name. */
function checkSubset(schema: unknown): void {
  if (typeof schema !== "object" || schema === null) throw new Error("schema is not an object");
  for (const [key, value] of Object.entries(schema)) {
    if (!ALLOWED_KEYS.has(key)) throw new Error(`unsupported keyword ${key}`);
    if (key === "type" && !TYPES.has(String(value))) throw new Error(`bad type ${String(value)}`);
    if (key === "items") checkSubset(value);
    if (key === "anyOf") for (const variant of value as unknown[]) checkSubset(variant);
    if (key === "properties")
      for (const child of Object.values(value as object)) checkSubset(child);
  }
}

describe("toOpenApiSchema", () => {
  it("upper-cases types, keeps the subset and drops additionalProperties and $schema", () => {
    expect(
      toOpenApiSchema({
        $schema: "https://json-schema.org/draft/2020-12/schema",
        type: "object",
        properties: {
          name: { type: "string", minLength: 1, format: "email" },
          when: { type: "string", format: "date-time" },
          tags: { type: "array", items: { type: "string" }, maxItems: 3 },
          ratio: { type: "number", format: "float", exclusiveMinimum: 0 },
        },
        required: ["name", "missing"],
        additionalProperties: false,
      }),
    ).toEqual({
      type: "OBJECT",
      properties: {
        name: { type: "STRING", minLength: 1 },
        when: { type: "STRING", format: "date-time" },
        tags: { type: "ARRAY", items: { type: "STRING" }, maxItems: 3 },
        ratio: { type: "NUMBER", format: "float" },
      },
      required: ["name"],
    });
  });

  it("turns null unions into nullable, oneOf into anyOf and a string const into an enum", () => {
    expect(toOpenApiSchema({ type: ["string", "null"] })).toEqual({
      type: "STRING",
      nullable: true,
    });
    expect(toOpenApiSchema({ anyOf: [{ type: "integer" }, { type: "null" }] })).toEqual({
      type: "INTEGER",
      nullable: true,
    });
    expect(toOpenApiSchema({ oneOf: [{ type: "string" }, { type: "number" }] })).toEqual({
      anyOf: [{ type: "STRING" }, { type: "NUMBER" }],
    });
    expect(toOpenApiSchema({ const: "fixed" })).toEqual({ type: "STRING", enum: ["fixed"] });
    expect(toOpenApiSchema({ enum: ["a", "b"] })).toEqual({ type: "STRING", enum: ["a", "b"] });
    expect(toOpenApiSchema({ type: "integer", enum: [1, 2] })).toEqual({ type: "INTEGER" });
  });

  it("inlines local $refs, cuts recursion off, and merges allOf", () => {
    const schema = {
      type: "object",
      properties: {
        home: { $ref: "#/$defs/address", description: "Home" },
        node: { $ref: "#/definitions/node" },
        both: {
          allOf: [
            { properties: { a: { type: "string" } }, required: ["a"] },
            { properties: { b: { type: "boolean" } } },
          ],
        },
      },
      $defs: { address: { type: "object", properties: { city: { type: "string" } } } },
      definitions: {
        node: { type: "object", properties: { next: { $ref: "#/definitions/node" } } },
      },
    };
    const result = toOpenApiSchema(schema);
    const properties = result.properties as Record<string, Record<string, unknown>>;
    expect(properties.home).toEqual({
      type: "OBJECT",
      properties: { city: { type: "STRING" } },
      description: "Home",
    });
    expect(properties.both).toEqual({
      type: "OBJECT",
      properties: { a: { type: "STRING" }, b: { type: "BOOLEAN" } },
      required: ["a"],
    });
    let depth = 0;
    let node: Record<string, unknown> | undefined = properties.node;
    while (node?.properties !== undefined) {
      node = (node.properties as Record<string, Record<string, unknown>>).next;
      depth += 1;
    }
    expect(depth).toBeGreaterThan(3);
    expect(node).toEqual({ type: "OBJECT" });
    checkSubset(result);
  });

  it("stops inlining after a bounded number of $refs, so refs to refs cannot blow up", () => {
    const defs: Record<string, unknown> = { d0: { type: "string" } };
    for (let level = 1; level <= 12; level += 1) {
      const ref = { $ref: `#/$defs/d${level - 1}` };
      defs[`d${level}`] = { type: "object", properties: { a: ref, b: ref, c: ref, d: ref } };
    }
    const result = toOpenApiSchema({ $ref: "#/$defs/d12", $defs: defs });
    expect(JSON.stringify(result).length).toBeLessThan(200_000);
    checkSubset(result);
  });

  it("never throws and always yields Gemini's subset, whatever JSON it is given", () => {
    const leaf = fc.record(
      {
        type: fc.oneof(
          fc.constantFrom(
            "string",
            "number",
            "integer",
            "boolean",
            "array",
            "object",
            "null",
            "weird",
          ),
          fc.array(fc.constantFrom("string", "null", "integer")),
        ),
        enum: fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 3 }),
        const: fc.jsonValue({ maxDepth: 2 }),
        $ref: fc.constantFrom("#/$defs/x", "#/definitions/y", "http://elsewhere"),
        format: fc.constantFrom("date-time", "email", "int64", "float", "enum"),
        description: fc.string(),
        additionalProperties: fc.boolean(),
      },
      { requiredKeys: [] },
    );
    const schemaLike = fc.letrec((tie) => ({
      schema: fc.oneof(
        { maxDepth: 4, depthSize: "small" },
        leaf,
        fc.record(
          {
            type: fc.constantFrom("object", "array"),
            properties: fc.dictionary(fc.string({ maxLength: 5 }), tie("schema"), { maxKeys: 3 }),
            items: tie("schema"),
            anyOf: fc.array(tie("schema"), { maxLength: 3 }),
            oneOf: fc.array(tie("schema"), { maxLength: 2 }),
            allOf: fc.array(tie("schema"), { maxLength: 2 }),
            required: fc.array(fc.string({ maxLength: 5 })),
            $ref: fc.constantFrom("#/$defs/x", "#/definitions/y"),
          },
          { requiredKeys: [] },
        ),
      ),
    }));
    fc.assert(
      fc.property(schemaLike.schema, fc.jsonValue({ maxDepth: 3 }), (schema, junk) => {
        const root = { ...schema, $defs: { x: schema }, definitions: { y: junk } };
        checkSubset(toOpenApiSchema(root as Record<string, unknown>));
      }),
      { numRuns: 200 },
    );
  });
});

describe("stripSchemaDialect", () => {
  it("removes $schema at every level and keeps everything else", () => {
    expect(
      stripSchemaDialect({
        $schema: "x",
        type: "object",
        additionalProperties: false,
        properties: { a: { $schema: "y", type: "string" } },
        anyOf: [{ $schema: "z" }],
      }),
    ).toEqual({
      type: "object",
      additionalProperties: false,
      properties: { a: { type: "string" } },
      anyOf: [{}],
    });
  });
});
