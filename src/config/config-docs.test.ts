import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  defaultOf,
  ENGINE_OPTION_NAMES,
  ENGINE_OPTIONS,
  type OptionField,
} from "../engine/option-table.js";
import { clientSchema } from "./client-schema.js";
import { configSchema, serverSchema } from "./config-schema.js";
import { type DocsRow, docsTables, formatDefault } from "./docs-tables.test-helper.js";
import { modelSchema } from "./model-schema.js";
import { providerSchema } from "./provider-schema.js";
import { type SchemaNode, shapeOf } from "./schema-shape.test-helper.js";

/** What the schema does when a key is left out: fills in a default, leaves it unset, or refuses. */
function absence(schema: unknown): { default: unknown } | "optional" | "required" {
  const def = (schema as SchemaNode).def ?? {};
  if (def.type === "default" || def.type === "prefault") return { default: def.defaultValue };
  return def.type === "optional" ? "optional" : "required";
}

/**
 * A documented table: the keys the schema accepts (less `skip`, plus `key.field` rows for the keys in
 * `nested`) and what each does when left out.
 */
function expectedRows(
  schema: unknown,
  { nested = [], skip = [] }: { nested?: readonly string[]; skip?: readonly string[] } = {},
): Map<string, ReturnType<typeof absence>> {
  const rows = new Map<string, ReturnType<typeof absence>>();
  for (const [key, field] of Object.entries(shapeOf(schema))) {
    if (skip.includes(key)) continue;
    rows.set(key, absence(field));
    if (nested.includes(key)) {
      for (const [inner, innerField] of Object.entries(shapeOf(field))) {
        rows.set(`${key}.${inner}`, absence(innerField));
      }
    }
  }
  return rows;
}

function checkTable(rows: readonly DocsRow[] | undefined, expected: Map<string, unknown>): void {
  expect(rows, "a table in docs/config.md").toBeDefined();
  const documented = (rows ?? []).map((row) => row.name);
  expect([...documented].sort()).toEqual([...expected.keys()].sort());
  for (const row of rows ?? []) {
    const rule = expected.get(row.name);
    const cell = row.cells[1] ?? "";
    if (rule === "required") expect(cell, row.name).toMatch(/^required/);
    else if (rule === "optional") expect(cell, row.name).not.toMatch(/^required/);
    else if (typeof rule === "object" && rule !== null && "default" in rule) {
      expect(cell.startsWith(formatDefault(rule.default)), `${row.name}: ${cell}`).toBe(true);
    }
  }
}

const engineRows = ENGINE_OPTION_NAMES.flatMap((name) => {
  const spec = ENGINE_OPTIONS[name];
  const fields: [string, OptionField][] =
    spec.type.kind === "object" ? Object.entries(spec.type.fields) : [];
  return [
    { name, option: spec as OptionField, target: spec.scope === "target" },
    ...fields.map(([field, option]) => ({
      name: `${name}.${field}`,
      option,
      target: spec.scope === "target",
    })),
  ];
});

/** The docs' Default cell for an engine option: its value, "see below", "required" or none. */
function engineDefaultPattern(option: OptionField): RegExp | string {
  const value = defaultOf(option, true);
  if (value === undefined) return option.required ? /^required/ : /^(none|off)/;
  if (typeof value === "object") return /^see below/;
  return formatDefault(value);
}

describe("docs/config.md", () => {
  const docs = readFileSync("docs/config.md", "utf8");
  const providerShape = shapeOf(providerSchema);
  const modelShape = shapeOf(modelSchema);
  const sections = shapeOf(configSchema);

  it("has a section for every top-level key", () => {
    const headings = docs.split("\n").filter((line) => line.startsWith("## "));
    const missing = Object.keys(sections).filter(
      (key) => !headings.some((heading) => heading.includes(`\`${key}\``)),
    );
    expect(missing).toEqual([]);
  });

  it("lists exactly the engine options of the option table, with their defaults and scope", () => {
    const [rows] = docsTables(docs, "## `defaults`");
    expect(rows?.map((row) => row.name)).toEqual(engineRows.map((row) => row.name));
    for (const { name, option, target } of engineRows) {
      const row = rows?.find((candidate) => candidate.name === name);
      const [, defaultCell = "", targetCell] = row?.cells ?? [];
      const pattern = engineDefaultPattern(option);
      if (typeof pattern === "string") expect(defaultCell.startsWith(pattern), name).toBe(true);
      else expect(defaultCell, name).toMatch(pattern);
      expect(targetCell, name).toBe(target ? "yes" : "no");
    }
  });

  it("lists exactly the server keys, with their defaults", () => {
    checkTable(docsTables(docs, "## `server`")[0], expectedRows(serverSchema));
  });

  it("lists exactly the provider and key-entry keys, with their defaults", () => {
    const [providers, keys] = docsTables(docs, "## `providers`");
    checkTable(providers, expectedRows(providerSchema));
    checkTable(keys, expectedRows(providerShape.keys));
  });

  it("lists exactly the model and target keys besides the engine options", () => {
    const [models, targets] = docsTables(docs, "## `models`");
    checkTable(models, expectedRows(modelSchema, { skip: [...ENGINE_OPTION_NAMES] }));
    checkTable(targets, expectedRows(modelShape.targets, { skip: [...ENGINE_OPTION_NAMES] }));
  });

  it("lists exactly the client keys, with their defaults", () => {
    const [clients] = docsTables(docs, "## `clients`");
    checkTable(clients, expectedRows(clientSchema, { nested: ["rateLimit", "budget"] }));
  });

  it("lists exactly the pricing, state, database and logging keys", () => {
    checkTable(docsTables(docs, "## `pricing`")[0], expectedRows(sections.pricing));
    const [rest] = docsTables(docs, "## `state`, `database`, `logging`");
    const nested = ["state", "database", "logging"];
    const expected = expectedRows(configSchema, { nested });
    for (const key of Object.keys(sections)) expected.delete(key);
    checkTable(rest, expected);
  });
});
