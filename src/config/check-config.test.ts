import { describe, expect, it } from "vitest";
import { checkConfig, checkConfigText } from "./check-config.js";
import { isConfigError } from "./config-error.js";
import { loadConfig } from "./load-config.js";

const EXAMPLE = "switchyard.yaml";
const BROKEN = "src/config/fixtures/broken.yaml";

describe("loadConfig", () => {
  it("loads the repository's example config", async () => {
    const loaded = await loadConfig(EXAMPLE, {
      OPENAI_API_KEY: "sk-openai",
      ANTHROPIC_API_KEY: "sk-ant",
      SWITCHYARD_ADMIN_KEY: "admin",
    });
    const { config } = loaded;
    expect(config.providers.map((provider) => [provider.name, provider.type])).toEqual([
      ["openai-main", "openai"],
      ["claude", "anthropic"],
    ]);
    expect(config.providers[0]?.keys[0]).toMatchObject({ key: "sk-openai", id: "main" });
    expect(config.models.map((model) => model.name)).toEqual(["smart", "fast"]);
    expect(config.models[0]?.targets.map((target) => target.provider)).toEqual([
      "openai-main",
      "claude",
    ]);
    expect(config.server.adminKey).toBe("admin");
    expect(loaded.skippedProviders).toEqual([]);
  });

  it("loads the example with no variables set, skipping both providers", async () => {
    const loaded = await loadConfig(EXAMPLE, {});
    expect(loaded.skippedProviders).toEqual(["openai-main", "claude"]);
    expect(loaded.config.server.adminKey).toBeUndefined();
    expect(loaded.config.server.port).toBe(8787);
  });

  it("throws a ConfigError for a file it cannot read", async () => {
    const error = await loadConfig("src/config/fixtures/missing.yaml", {}).catch(
      (caught: unknown) => caught,
    );
    expect(isConfigError(error) && error.message).toBe(
      "src/config/fixtures/missing.yaml cannot read the config file: no such file",
    );
    const directory = await loadConfig("src/config/fixtures", {}).catch(
      (caught: unknown) => caught,
    );
    expect(isConfigError(directory) && directory.problems[0]?.message).toMatch(/directory/);
  });

  it("throws a ConfigError naming the file and every problem", async () => {
    const error = await loadConfig(BROKEN, {}).catch((caught: unknown) => caught);
    expect(isConfigError(error) && error.message.split("\n")).toEqual([
      `${BROKEN}:16:60 models[0].targets[0].timeoutMs: must be at least 0, got -1`,
      `${BROKEN}:17:21 models[0].targets[1].provider: unknown provider "claud" (known: openai-main, claude)`,
    ]);
  });
});

describe("checkConfig", () => {
  it("reports problems and a summary for an invalid file", async () => {
    const result = await checkConfig(BROKEN, { env: { OPENAI_API_KEY: "k" } });
    expect(result.ok).toBe(false);
    expect(result.file).toBe(BROKEN);
    expect(result.problems.map((problem) => [problem.path, problem.line])).toEqual([
      ["models[0].targets[0].timeoutMs", 16],
      ["models[0].targets[1].provider", 17],
    ]);
    expect(result.summary).toEqual({ providers: 2, skippedProviders: [], models: 1, clients: 0 });
    expect(result.loaded).toBeUndefined();
  });

  it("reports warnings and a summary for a valid file", async () => {
    const result = await checkConfig(EXAMPLE, { env: { OPENAI_API_KEY: "k" } });
    expect(result.ok).toBe(true);
    expect(result.problems).toEqual([]);
    expect(result.warnings.map((warning) => warning.path)).toEqual([
      "providers[1].keys",
      "clients",
    ]);
    expect(result.summary).toEqual({
      providers: 2,
      skippedProviders: ["claude"],
      models: 2,
      clients: 0,
    });
  });

  it("reports an unreadable file as a problem", async () => {
    const result = await checkConfig("src/config/fixtures/missing.yaml");
    expect(result.ok).toBe(false);
    expect(result.problems[0]?.line).toBe(0);
  });

  it("counts what it can from text that is not even YAML", () => {
    const result = checkConfigText("providers: [\n", { env: {} });
    expect(result.ok).toBe(false);
    expect(result.summary.providers).toBe(0);
    expect(result.problems[0]?.message).toMatch(/^YAML: /);
  });
});
