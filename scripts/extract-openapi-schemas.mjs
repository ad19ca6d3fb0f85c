#!/usr/bin/env node
// Regenerates test/fixtures/openai-openapi/ from a copy of openai/openai-openapi's openapi.yaml (MIT):
// the component schemas the mock provider server's OpenAI responses are validated against, plus
// every schema they reference, unchanged.
//
// Usage: node scripts/extract-openapi-schemas.mjs [path/to/openapi.yaml] [path/to/LICENSE]
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const ROOTS = [
  "CreateChatCompletionResponse",
  "CreateChatCompletionStreamResponse",
  "CreateEmbeddingResponse",
  "ListModelsResponse",
  "Model",
  "ErrorResponse",
  "Response",
  "ResponseStreamEvent",
];

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const sourcePath = process.argv[2] ?? "/work/shared/reference/openai-openapi.yaml";
const licensePath = process.argv[3] ?? join(dirname(sourcePath), "openai-openapi.LICENSE");
const outputDirectory = join(root, "test/fixtures/openai-openapi");

const document = parse(readFileSync(sourcePath, "utf8"), { maxAliasCount: -1 });
const all = document.components.schemas;
const picked = {};
const pending = [...ROOTS];
while (pending.length > 0) {
  const name = pending.pop();
  if (name in picked) continue;
  const schema = all[name];
  if (schema === undefined) throw new Error(`schema ${name} is not in ${sourcePath}`);
  picked[name] = schema;
  collectReferences(schema, pending);
}

function collectReferences(node, into) {
  if (Array.isArray(node)) {
    for (const item of node) collectReferences(item, into);
  } else if (node !== null && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") {
        const match = /^#\/components\/schemas\/(.+)$/.exec(value);
        if (match === null) throw new Error(`unsupported $ref ${value}`);
        into.push(match[1]);
      } else {
        collectReferences(value, into);
      }
    }
  }
}

const sorted = Object.fromEntries(
  Object.keys(picked)
    .sort()
    .map((name) => [name, picked[name]]),
);
const output = {
  openapi: document.openapi,
  info: { title: document.info.title, version: document.info.version },
  components: { schemas: sorted },
};
mkdirSync(outputDirectory, { recursive: true });
writeFileSync(join(outputDirectory, "schemas.json"), `${JSON.stringify(output, null, 2)}\n`);
writeFileSync(join(outputDirectory, "LICENSE"), readFileSync(licensePath));
console.log(`wrote ${Object.keys(sorted).length} schemas: ${Object.keys(sorted).join(", ")}`);
