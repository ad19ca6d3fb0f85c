import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { clientSchema } from "./client-schema.js";
import { configSchema, serverSchema } from "./config-schema.js";
import { engineOptionShape } from "./engine-options-schema.js";
import { modelSchema } from "./model-schema.js";
import { providerSchema } from "./provider-schema.js";

/** The shape of an object schema, looking through refinements, transforms, unions and wrappers. */
function shapeOf(schema: unknown): Record<string, unknown> {
  const queue: unknown[] = [schema];
  while (queue.length > 0) {
    const current = queue.shift() as {
      shape?: Record<string, unknown>;
      def?: {
        innerType?: unknown;
        in?: unknown;
        out?: unknown;
        element?: unknown;
        options?: unknown[];
      };
    };
    if (current.shape !== undefined) return current.shape;
    const def = current.def ?? {};
    for (const next of [def.innerType, def.in, def.out, def.element, ...(def.options ?? [])]) {
      if (next !== undefined && next !== null && typeof next === "object") queue.push(next);
    }
  }
  throw new Error("not an object schema");
}

function keysOf(schema: unknown): string[] {
  return Object.keys(shapeOf(schema));
}

function nestedKeys(shape: Record<string, unknown>, key: string): string[] {
  return keysOf(shape[key]);
}

describe("docs/config.md", () => {
  const docs = readFileSync("docs/config.md", "utf8");
  const documented = (name: string) => docs.includes(`\`${name}\``);

  it("documents every key the schema knows", () => {
    const providerShape = shapeOf(providerSchema);
    const modelShape = shapeOf(modelSchema);
    const clientShape = shapeOf(clientSchema);
    const sections = shapeOf(configSchema);
    const names = [
      ...keysOf(configSchema),
      ...keysOf(serverSchema),
      ...Object.keys(engineOptionShape),
      ...["retry", "retryBudget", "hedge", "cache"].flatMap((key) =>
        nestedKeys(engineOptionShape, key).map((inner) => `${key}.${inner}`),
      ),
      ...keysOf(providerSchema),
      ...keysOf(providerShape.keys),
      ...keysOf(modelSchema),
      ...keysOf(modelShape.targets),
      ...keysOf(clientSchema),
      ...["rateLimit", "budget"].flatMap((key) =>
        nestedKeys(clientShape, key).map((inner) => `${key}.${inner}`),
      ),
      ...["state", "database", "logging"].flatMap((key) =>
        nestedKeys(sections, key).map((inner) => `${key}.${inner}`),
      ),
      "input",
      "output",
      "cachedInput",
    ];
    expect(names.length).toBeGreaterThan(80);
    expect(names.filter((name) => !documented(name))).toEqual([]);
  });

  it("states the defaults the schema applies", () => {
    for (const row of [
      "`8787`",
      "`33554432`",
      "`127.0.0.1`",
      "`600000`",
      "`3600000`",
      "`priority`",
    ]) {
      expect(docs).toContain(row);
    }
  });
});
