import { afterEach, describe, expect, it, vi } from "vitest";
import { lines } from "../../config/config-text.test-helper.js";
import { parseConfigText } from "../../config/parse-config-text.js";
import {
  defaultOf,
  ENGINE_OPTIONS,
  type EngineOptionName,
  type OptionField,
  type OptionType,
  optionsOfScope,
} from "../../engine/option-table.js";
import type { ProviderFactoryOptions, RegisterOptions } from "../../engine/options.js";
import { ProviderFactory } from "../../engine/provider-factory.js";
import { ModelRouter } from "./model-router.js";

/** Every factory the router builds, with the options it was given. */
const built: { factory: object; options: ProviderFactoryOptions }[] = [];

vi.mock("../../engine/provider-factory.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../engine/provider-factory.js")>();
  class RecordingFactory<Request, Result, Chunk> extends original.ProviderFactory<
    Request,
    Result,
    Chunk
  > {
    constructor(options: ProviderFactoryOptions = {}) {
      super(options);
      built.push({ factory: this, options });
    }
  }
  return { ...original, ProviderFactory: RecordingFactory };
});

/**
 * A value of `type` that is no option's default and differs per `level` (0: `defaults:`, 1: a model,
 * 2: a target), so the test can tell which level a value came from.
 */
function valueFor(option: OptionField, level: number): unknown {
  const type: OptionType = option.type;
  const base =
    typeof defaultOf(option, true) === "number" ? (defaultOf(option, true) as number) : 0;
  switch (type.kind) {
    case "count":
    case "number":
      return Math.max(base, type.min) + 1 + level;
    case "duration":
      return Math.max(base, type.min) + 1000 + level;
    case "ratio":
      return 0.6 + level / 10;
    case "enum":
      return type.values.filter((value) => value !== defaultOf(option, true))[level];
    case "object":
      return Object.fromEntries(
        Object.entries(type.fields).map(([name, field]) => [name, valueFor(field, level)]),
      );
  }
}

function valuesFor(names: readonly EngineOptionName[], level: number): Record<string, unknown> {
  return Object.fromEntries(names.map((name) => [name, valueFor(ENGINE_OPTIONS[name], level)]));
}

const EVERY = Object.keys(ENGINE_OPTIONS) as EngineOptionName[];
const TARGET = optionsOfScope("target");
const FACTORY_AND_TARGET = optionsOfScope("factory", "target");
const CALL = optionsOfScope("call");

function pick(values: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(names.map((name) => [name, values[name]]));
}

afterEach(() => {
  built.length = 0;
  vi.restoreAllMocks();
});

describe("every engine option in YAML reaches the engine", () => {
  it("globally, per model and per target: the factory, each registered target and each call", async () => {
    const global = valuesFor(EVERY, 0);
    const model = valuesFor(EVERY, 1);
    const target = valuesFor(TARGET, 2);
    const { config, skippedProviders } = parseConfigText(
      lines(
        `defaults: ${JSON.stringify(global)}`,
        "providers:",
        "  - { name: up, type: openai, keys: [{ key: sk-test-1 }] }",
        "models:",
        "  - name: plain",
        "    targets: [{ provider: up, model: m-plain }]",
        "  - name: per-model",
        `    targets: [{ provider: up, model: m-model }]`,
        ...Object.entries(model).map(([name, value]) => `    ${name}: ${JSON.stringify(value)}`),
        "  - name: per-target",
        `    targets: [${JSON.stringify({ provider: "up", model: "m-target", ...target })}]`,
        ...Object.entries(model).map(([name, value]) => `    ${name}: ${JSON.stringify(value)}`),
      ),
      { env: {} },
    );
    const registered: { factory: number; options: RegisterOptions }[] = [];
    vi.spyOn(ProviderFactory.prototype, "register").mockImplementation(function (
      this: ProviderFactory<unknown, unknown>,
      _name,
      _provider,
      options = {},
    ) {
      registered.push({ factory: built.findIndex((entry) => entry.factory === this), options });
      return this;
    });
    const router = new ModelRouter(config, skippedProviders);
    try {
      // Two factories per model (chat, embeddings), in the order of `models:`.
      expect(built).toHaveLength(6);
      const expected = [
        { route: "plain", factory: global, target: global, call: global },
        { route: "per-model", factory: model, target: model, call: model },
        { route: "per-target", factory: model, target, call: model },
      ];
      expected.forEach((want, index) => {
        const engines = [2 * index, 2 * index + 1];
        for (const engine of engines) {
          expect(built[engine]?.options, want.route).toMatchObject(
            pick(want.factory, FACTORY_AND_TARGET),
          );
        }
        const targets = registered.filter((entry) => engines.includes(entry.factory));
        expect(targets, want.route).toHaveLength(2);
        for (const { options } of targets) {
          expect(options, want.route).toMatchObject(pick(want.target, TARGET));
        }
        const route = router.route(want.route);
        expect(route?.chatOptions, want.route).toEqual(pick(want.call, CALL));
        expect(route?.embeddingsOptions, want.route).toEqual(pick(want.call, CALL));
      });
    } finally {
      await router.close();
    }
  });
});
