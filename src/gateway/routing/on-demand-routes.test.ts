import { describe, expect, it } from "vitest";
import { lines } from "../../config/config-text.test-helper.js";
import { parseConfigText } from "../../config/parse-config-text.js";
import { FactoryClosedError } from "../../errors/factory-closed-error.js";
import type { LlmProvider } from "../../llm/llm-provider.js";
import { ModelRouter } from "./model-router.js";
import { RouteCache } from "./route-cache.js";

const CONFIG = lines(
  "providers:",
  "  - { name: oa, type: openai, keys: [{ key: k1 }] }",
  "  - { name: an, type: anthropic, keys: [{ key: k2 }] }",
  "models:",
  "  - { name: smart, targets: [{ provider: oa, model: gpt-4o }] }",
  "  - { name: gpt-*, targets: [{ provider: oa, model: gpt-* }, { provider: an, model: x-* }] }",
);

function router(maxOnDemandRoutes: number): ModelRouter {
  const config = parseConfigText(CONFIG, { env: {} }).config;
  const adapter = { close: async () => undefined } as unknown as LlmProvider;
  return new ModelRouter(config, [], { createAdapter: () => adapter, maxOnDemandRoutes });
}

function open(routes: ModelRouter, name: string) {
  const match = routes.match(name);
  if (!match) throw new Error(`no match for ${name}`);
  return routes.open(match);
}

describe("routes made on demand", () => {
  it("makes one route per name asked for, its targets per provider and upstream model", () => {
    const routes = router(8);
    const nano = open(routes, "gpt-4.1-nano");
    expect([...nano.targets.keys()]).toEqual(["oa/gpt-4.1-nano", "an/x-4.1-nano"]);
    expect(nano.configured).toBe("gpt-*");
    expect(open(routes, "gpt-4.1-nano")).toBe(nano);
    const other = open(routes, "gpt-4o");
    expect(other.chat).not.toBe(nano.chat);
    const direct = open(routes, "an/claude-x");
    expect(direct).toMatchObject({ direct: true, configured: "an/*" });
    expect([...direct.targets.keys()]).toEqual(["an/claude-x"]);
    expect(open(routes, "smart")).toBe(routes.routes.get("smart"));
    expect(routes.routes.has("gpt-*")).toBe(false);
    expect(routes.onDemandRoutes).toBe(3);
  });

  it("keeps at most maxOnDemandRoutes, closing the one used longest ago", async () => {
    const routes = router(2);
    const first = open(routes, "gpt-a");
    const second = open(routes, "gpt-b");
    open(routes, "gpt-a"); // used again: gpt-b is now the oldest
    open(routes, "oa/gpt-c");
    expect(routes.onDemandRoutes).toBe(2);
    expect(routes.route("gpt-a")).toBe(first);
    expect(routes.route("gpt-b")).toBeUndefined();
    await expect(second.chat.generate({ model: "gpt-b", messages: [] })).rejects.toBeInstanceOf(
      FactoryClosedError,
    );
    expect(open(routes, "gpt-b")).not.toBe(second);
    await routes.close();
  });

  it("refuses a bound below one", () => {
    expect(() => new RouteCache(0, () => undefined)).toThrow(/positive integer/);
  });
});
