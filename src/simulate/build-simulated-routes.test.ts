import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type LoadedConfig, parseConfigText } from "../config/index.js";
import { adapterFingerprint } from "../gateway/routing/create-adapter.js";
import { ModelRouter } from "../gateway/routing/model-router.js";
import type { LlmProvider } from "../llm/llm-provider.js";
import { buildSimulatedRoutes, priceOf } from "./build-simulated-routes.js";
import { TWO_PROVIDERS } from "./simulation.test-helper.js";
import { simulationEnv } from "./simulation-env.js";
import { VirtualScheduler } from "./virtual-scheduler.js";

const stubAdapter: LlmProvider = {
  type: "stub",
  generate: () => Promise.reject(new Error("not called")),
  stream: () => ({
    [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error("not called")) }),
  }),
  healthCheck: () => Promise.resolve(),
  close: () => Promise.resolve(),
};

function exampleConfig(): LoadedConfig {
  const text = readFileSync("examples/scenarios/switchyard.sim.yaml", "utf8");
  return parseConfigText(text, { env: simulationEnv(text, {}) });
}

describe("buildSimulatedRoutes", () => {
  it.each([
    ["the test config", TWO_PROVIDERS],
    ["the example config", exampleConfig()],
  ])("builds the same routes as the gateway's ModelRouter for %s", (_, loaded) => {
    const { config, skippedProviders } = loaded;
    const reuse = new Map<string, LlmProvider>();
    for (const provider of config.providers) {
      const keys = provider.keys.length > 0 ? provider.keys : [undefined];
      for (const key of keys) reuse.set(adapterFingerprint(provider, key), stubAdapter);
    }
    const clock = new VirtualScheduler(0);
    const router = new ModelRouter(config, skippedProviders, { clock, reuse });
    const simulated = buildSimulatedRoutes(config, skippedProviders, {
      clock,
      randomFor: () => () => 0.5,
      adapterFor: () => stubAdapter,
      tokens: { input: 1000, output: 300 },
    });
    expect([...simulated.keys()]).toEqual([...router.routes.keys()]);
    for (const [name, route] of router.routes) {
      const mine = simulated.get(name);
      expect(mine?.direct).toBe(route.direct);
      expect(mine?.chat.targetIds).toEqual(route.chat.targetIds);
      expect(mine?.chatOptions).toEqual(route.chatOptions);
      const targets = [...(mine?.targets.values() ?? [])].map(
        ({ costPerCall: _, ...target }) => target,
      );
      expect(targets).toEqual([...route.targets.values()]);
    }
  });

  it("prices a call from a target's cost, else from pricing and the nominal tokens", () => {
    const { config } = TWO_PROVIDERS;
    expect(priceOf(config, "big", { input: 1000, output: 500 })).toBeCloseTo(0.006, 10);
    expect(priceOf(config, "unpriced", { input: 1000, output: 500 })).toBe(0);
    const routes = buildSimulatedRoutes(config, [], {
      clock: new VirtualScheduler(0),
      randomFor: () => () => 0.5,
      adapterFor: () => stubAdapter,
      tokens: { input: 1000, output: 500 },
    });
    expect(routes.get("chat")?.targets.get("backup/other")?.costPerCall).toBeCloseTo(0.0105, 10);
  });
});
