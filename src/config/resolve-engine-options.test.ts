import { describe, expect, expectTypeOf, it } from "vitest";
import { lines, PROVIDERS } from "./config-text.test-helper.js";
import { ENGINE_DEFAULTS, type EngineOverrides, type TargetOverrides } from "./engine-defaults.js";
import type { ModelConfig, TargetConfig } from "./model-schema.js";
import { parseConfigText } from "./parse-config-text.js";
import { resolveEngineOptions } from "./resolve-engine-options.js";

describe("resolveEngineOptions", () => {
  it("gives the defaults when nothing overrides them", () => {
    expect(resolveEngineOptions(ENGINE_DEFAULTS)).toEqual(ENGINE_DEFAULTS);
  });

  it("applies the model, then the target, merging nested options field by field", () => {
    const { config } = parseConfigText(
      lines(
        "defaults:",
        "  retry: { maxAttempts: 3 }",
        "  failureRateThreshold: 0.5",
        ...PROVIDERS,
        "models:",
        "  - name: smart",
        "    timeoutMs: 20000",
        "    retry: { baseDelayMs: 50 }",
        "    hedge: { delayMs: 3000 }",
        "    retryBudget: false",
        "    targets:",
        "      - { provider: openai-main, model: a, timeoutMs: 5000, retry: { maxAttempts: 1 }, maxConcurrency: 4 }",
      ),
      { env: {} },
    );
    const model = config.models[0];
    const target = model?.targets[0];
    if (model === undefined || target === undefined) throw new Error("missing model");
    const forModel = resolveEngineOptions(config.defaults, model);
    expect(forModel.timeoutMs).toBe(20_000);
    expect(forModel.retry).toEqual({ maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 2000 });
    expect(forModel.hedge).toEqual({ delayMs: 3000, maxExtra: 1 });
    expect(forModel.retryBudget).toBe(false);
    expect(forModel.failureRateThreshold).toBe(0.5);
    const forTarget = resolveEngineOptions(config.defaults, model, target);
    expect(forTarget.timeoutMs).toBe(5000);
    expect(forTarget.retry).toEqual({ maxAttempts: 1, baseDelayMs: 50, maxDelayMs: 2000 });
    expect(forTarget.maxConcurrency).toBe(4);
    expect(config.defaults.retry.baseDelayMs).toBe(100);
  });

  it("turns a feature back on at a lower level", () => {
    const resolved = resolveEngineOptions(
      { ...ENGINE_DEFAULTS, retryBudget: false },
      { retryBudget: { ratio: 0.5 } },
      { hedge: { maxExtra: 2 } },
    );
    expect(resolved.retryBudget).toEqual({ ratio: 0.5, windowMs: 10_000, minPerSecond: 3 });
    expect(resolved.hedge).toEqual({ delayMs: 8000, maxExtra: 2 });
  });

  it("has schema outputs that fit the override types", () => {
    expectTypeOf<ModelConfig>().toExtend<EngineOverrides>();
    expectTypeOf<TargetConfig>().toExtend<TargetOverrides>();
  });
});
