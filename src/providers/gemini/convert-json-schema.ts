import { asArray, asRecord, asString, type JsonRecord } from "../shared/json-fields.js";

/**
 * How schemas (tool parameters, `json_schema` response formats) reach Gemini:
 * - `json-schema`: as JSON Schema in `parametersJsonSchema` / `responseJsonSchema` (Gemini 2.5 and
 *   later); only `$schema` is removed.
 * - `openapi`: converted to the OpenAPI 3.0 subset of `parameters` / `responseSchema`, which every
 *   model accepts; keywords outside the subset are dropped (see `toOpenApiSchema`).
 */
export type GeminiSchemaFormat = "json-schema" | "openapi";

/** Removes `$schema` at every level; everything else passes as is. */
export function stripSchemaDialect(schema: JsonRecord): JsonRecord {
  return stripDialect(schema) as JsonRecord;
}

function stripDialect(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDialect);
  const object = asRecord(value);
  if (object === undefined) return value;
  const result: JsonRecord = {};
  for (const [key, child] of Object.entries(object)) {
    if (key !== "$schema") result[key] = stripDialect(child);
  }
  return result;
}

const COPIED_KEYWORDS = [
  "title",
  "description",
  "nullable",
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
] as const;

const FORMATS_BY_TYPE: Record<string, readonly string[]> = {
  STRING: ["enum", "date-time"],
  NUMBER: ["float", "double"],
  INTEGER: ["int32", "int64"],
};

const TYPES = new Set(["STRING", "NUMBER", "INTEGER", "BOOLEAN", "ARRAY", "OBJECT", "NULL"]);

/** How deep `$ref`s are followed before a recursive schema is cut off as a bare object. */
const MAX_REF_DEPTH = 8;

/** How many `$ref`s are inlined in all, so a schema of many refs to refs cannot blow up. */
const MAX_REF_EXPANSIONS = 1000;

interface ConvertContext {
  root: JsonRecord;
  expansionsLeft: number;
}

/**
 * Converts JSON Schema to Gemini's OpenAPI 3.0 `Schema` subset: types upper-cased, `["x","null"]`
 * and `anyOf [..., {type:"null"}]` become `nullable`, `oneOf` becomes `anyOf`, a string `const`
 * becomes a one-value `enum`, local `$ref`s (`#/$defs/...`, `#/definitions/...`) are inlined, and
 * unsupported keywords (`additionalProperties`, `$schema`, `not`, `if`, ...) are dropped.
 */
export function toOpenApiSchema(schema: JsonRecord): JsonRecord {
  return convert(schema, { root: schema, expansionsLeft: MAX_REF_EXPANSIONS }, 0);
}

function convert(node: unknown, context: ConvertContext, refDepth: number): JsonRecord {
  const schema = asRecord(node);
  if (schema === undefined) return {};
  const ref = asString(schema.$ref);
  if (ref !== undefined) {
    const usable = refDepth < MAX_REF_DEPTH && context.expansionsLeft > 0;
    const target = usable ? resolveRef(ref, context.root) : undefined;
    const { $ref: _ref, ...siblings } = schema;
    if (target === undefined) return { type: "OBJECT", ...copyKeywords(siblings) };
    context.expansionsLeft -= 1;
    return { ...convert(target, context, refDepth + 1), ...copyKeywords(siblings) };
  }

  const allOf = asArray(schema.allOf);
  if (allOf.length > 0) {
    const { allOf: _allOf, ...rest } = schema;
    return mergeSchemas([
      ...allOf.map((part) => convert(part, context, refDepth)),
      convert(rest, context, refDepth),
    ]);
  }

  const result: JsonRecord = copyKeywords(schema);
  let type = readType(schema, result);

  const variants = [...asArray(schema.anyOf), ...asArray(schema.oneOf)];
  if (variants.length > 0) {
    const converted = variants.map((variant) => convert(variant, context, refDepth));
    const nonNull = converted.filter((variant) => variant.type !== "NULL");
    if (nonNull.length < converted.length) result.nullable = true;
    if (nonNull.length === 1 && nonNull[0] !== undefined) Object.assign(result, nonNull[0]);
    else if (nonNull.length > 1) result.anyOf = nonNull;
  }

  const constant = schema.const;
  if (typeof constant === "string") {
    result.enum = [constant];
    type ??= "STRING";
  }
  const enumValues = asArray(schema.enum);
  if (enumValues.length > 0 && enumValues.every((value) => typeof value === "string")) {
    result.enum = enumValues;
    type ??= "STRING";
  }
  if (type !== undefined) result.type = type;

  const format = asString(schema.format);
  if (format !== undefined && type !== undefined && FORMATS_BY_TYPE[type]?.includes(format)) {
    result.format = format;
  }

  const properties = asRecord(schema.properties);
  if (properties !== undefined) {
    const converted: JsonRecord = {};
    for (const [name, child] of Object.entries(properties)) {
      converted[name] = convert(child, context, refDepth);
    }
    result.properties = converted;
    const required = asArray(schema.required).filter(
      (name): name is string => typeof name === "string" && name in converted,
    );
    if (required.length > 0) result.required = required;
    result.type ??= "OBJECT";
  }

  const items = Array.isArray(schema.items) ? schema.items[0] : schema.items;
  if (asRecord(items) !== undefined) {
    result.items = convert(items, context, refDepth);
    result.type ??= "ARRAY";
  }
  return result;
}

function readType(schema: JsonRecord, result: JsonRecord): string | undefined {
  const raw = schema.type;
  const names = (Array.isArray(raw) ? raw : [raw])
    .filter((name): name is string => typeof name === "string")
    .map((name) => name.toUpperCase())
    .filter((name) => TYPES.has(name));
  const nonNull = names.filter((name) => name !== "NULL");
  if (nonNull.length < names.length && nonNull.length > 0) result.nullable = true;
  if (nonNull.length === 0) return names.length > 0 ? "NULL" : undefined;
  if (nonNull.length === 1) return nonNull[0];
  result.anyOf = nonNull.map((name) => ({ type: name }));
  return undefined;
}

function copyKeywords(schema: JsonRecord): JsonRecord {
  const result: JsonRecord = {};
  for (const keyword of COPIED_KEYWORDS) {
    if (schema[keyword] !== undefined) result[keyword] = schema[keyword];
  }
  return result;
}

function resolveRef(ref: string, root: JsonRecord): JsonRecord | undefined {
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  if (match === null) return undefined;
  const name = (match[2] ?? "").replaceAll("~1", "/").replaceAll("~0", "~");
  return asRecord(asRecord(root[match[1] ?? ""])?.[name]);
}

function mergeSchemas(schemas: JsonRecord[]): JsonRecord {
  const result: JsonRecord = {};
  const properties: JsonRecord = {};
  const required = new Set<string>();
  for (const schema of schemas) {
    for (const [key, value] of Object.entries(schema)) {
      if (key === "properties") Object.assign(properties, asRecord(value));
      else if (key === "required") {
        for (const name of asArray(value)) if (typeof name === "string") required.add(name);
      } else result[key] = value;
    }
  }
  if (Object.keys(properties).length > 0) {
    result.properties = properties;
    result.type ??= "OBJECT";
  }
  if (required.size > 0) result.required = [...required];
  return result;
}
