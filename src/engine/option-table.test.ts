import { readFileSync } from "node:fs";
import { describe, expect, expectTypeOf, it } from "vitest";
import { InvalidOptionError } from "../errors/invalid-option-error.js";
import type { CallOptions } from "./call.js";
import {
  defaultOf,
  ENGINE_OPTION_NAMES,
  ENGINE_OPTIONS,
  type EngineOptionName,
  optionsOfScope,
} from "./option-table.js";
import {
  DEFAULT_FACTORY_OPTIONS,
  DEFAULT_TARGET_OPTIONS,
  type ProviderFactoryOptions,
  type TargetOptions,
} from "./options.js";
import { ProviderFactory } from "./provider-factory.js";

/** What is passed in code rather than configured: not in the table. */
type Injected = "classify" | "failOverOn" | "cacheStore" | "sharedState" | "clock" | "random";

/** The rows of the markdown table under `heading`: first cell's name -> its default cell. */
function tableUnder(markdown: string, heading: string): Map<string, string> {
  const lines = markdown.split("\n");
  const rows = new Map<string, string>();
  for (const line of lines.slice(lines.indexOf(heading) + 1)) {
    if (line.startsWith("#")) break;
    const [name, defaultCell] = line.split(/(?<!\\)\|/).slice(1, 3);
    const key = /^\s*`([^`]+)`/.exec(name ?? "")?.[1];
    if (key !== undefined) rows.set(key, (defaultCell ?? "").trim());
  }
  return rows;
}

describe("ENGINE_OPTIONS", () => {
  it("describes exactly the options of the engine's option types", () => {
    expectTypeOf<EngineOptionName>().toEqualTypeOf<
      keyof Omit<ProviderFactoryOptions, Injected> | "deadlineMs" | "hedge" | "cache"
    >();
    const targetNames: (keyof TargetOptions)[] = optionsOfScope(
      "target",
    ) as (keyof TargetOptions)[];
    expect(targetNames.sort()).toEqual(Object.keys(DEFAULT_TARGET_OPTIONS).sort());
    expectTypeOf<"deadlineMs" | "hedge" | "cache">().toExtend<keyof CallOptions<unknown>>();
  });

  it("gives the engine its defaults", () => {
    expect(DEFAULT_TARGET_OPTIONS.failureThreshold).toBe(ENGINE_OPTIONS.failureThreshold.default);
    expect(DEFAULT_TARGET_OPTIONS.retry).toEqual({
      maxAttempts: 2,
      baseDelayMs: 100,
      maxDelayMs: 2000,
    });
    expect(DEFAULT_TARGET_OPTIONS.maxCooldownMs).toBe(300_000);
    expect(DEFAULT_TARGET_OPTIONS.timeoutMs).toBe(Number.POSITIVE_INFINITY);
    expect(DEFAULT_FACTORY_OPTIONS.retryBudget).toEqual({
      ratio: 0.2,
      windowMs: 10_000,
      minPerSecond: 3,
    });
  });

  it("validates every option by its type, naming it", () => {
    const bad: Record<string, unknown> = {
      count: 1.5,
      duration: -1,
      ratio: 2,
      number: -1,
      enum: "fastest",
      object: 7,
    };
    for (const name of optionsOfScope("factory", "target")) {
      const options = { [name]: bad[ENGINE_OPTIONS[name].type.kind] };
      expect(() => new ProviderFactory(options), name).toThrow(InvalidOptionError);
      expect(() => new ProviderFactory(options), name).toThrow(name);
    }
    expect(() => new ProviderFactory({ retry: { maxAttempts: 0 } })).toThrow("retry.maxAttempts");
    expect(() =>
      new ProviderFactory().register(
        "a",
        { generate: async () => 1 },
        {
          adaptiveConcurrency: {} as { maxLimit: number },
        },
      ),
    ).toThrow("a.adaptiveConcurrency.maxLimit must be set");
  });

  it("is what docs/engine.md documents, with the engine's defaults", () => {
    const docs = readFileSync("docs/engine.md", "utf8");
    const factory = tableUnder(docs, "### `new ProviderFactory(options)`");
    const call = tableUnder(
      docs,
      "### Call options: `generate(request, options)`, `generateWithReport`, `stream`, `openStream`",
    );
    for (const name of ENGINE_OPTION_NAMES) {
      const spec = ENGINE_OPTIONS[name];
      const cell = (spec.scope === "call" ? call : factory).get(name);
      expect(cell, `${name} in docs/engine.md`).toBeDefined();
      const value = defaultOf(spec);
      if (value === undefined) expect(cell, name).toMatch(/^(none|off|unlimited)/);
      else if (typeof value !== "object") expect(cell, name).toContain(`\`${String(value)}\``);
      else {
        for (const [field, fieldValue] of Object.entries(value as object)) {
          expect(cell, name).toContain(`${field}: ${String(fieldValue)}`);
        }
      }
    }
  });
});
