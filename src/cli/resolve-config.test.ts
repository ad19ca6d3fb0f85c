import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "../config/index.js";
import { demoConfigText } from "./demo-providers.js";
import { resolveConfig } from "./resolve-config.js";

const WITH_KEY = `
providers:
  - { name: main, type: openai, keys: [{ key: "\${MAIN_KEY}" }], models: [gpt-4o] }
`;

let cwd: string;
let demoStarts: number;

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), "switchyard-resolve-"));
  demoStarts = 0;
});
afterEach(() => rm(cwd, { recursive: true, force: true }));

function options(overrides: Partial<Parameters<typeof resolveConfig>[0]> = {}) {
  return {
    cwd,
    env: {},
    probeOllama: async () => undefined,
    demo: async () => {
      demoStarts++;
      return {
        text: demoConfigText("http://127.0.0.1:1", "http://127.0.0.1:2"),
      } as Awaited<ReturnType<Parameters<typeof resolveConfig>[0]["demo"]>>;
    },
    ...overrides,
  };
}

describe("resolveConfig", () => {
  it("loads a named file as is, even with no usable provider", async () => {
    const file = join(cwd, "mine.yaml");
    await writeFile(file, WITH_KEY);
    const resolved = await resolveConfig(options({ configPath: file }));
    expect(resolved).toMatchObject({ source: "file", watchPath: file, notes: [] });
    expect(resolved.loaded.skippedProviders).toEqual(["main"]);
  });

  it("throws a ConfigError naming every problem of a bad named file", async () => {
    const file = join(cwd, "bad.yaml");
    await writeFile(file, "providers:\n  - { name: x, type: nope }\nmodels: 3\n");
    const error = await resolveConfig(options({ configPath: file })).catch((caught) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((problem) => problem.line)).toEqual([2, 3]);
  });

  it("uses switchyard.yaml in cwd when a provider has a key", async () => {
    await writeFile(join(cwd, "switchyard.yaml"), WITH_KEY);
    const resolved = await resolveConfig(options({ env: { MAIN_KEY: "sk-main" } }));
    expect(resolved.source).toBe("file");
    expect(resolved.watchPath).toBe(join(cwd, "switchyard.yaml"));
    expect(resolved.loaded.config.providers[0]?.keys[0]?.key).toBe("sk-main");
  });

  it("builds the default from the environment when switchyard.yaml has no keyed provider", async () => {
    await writeFile(join(cwd, "switchyard.yaml"), WITH_KEY);
    const resolved = await resolveConfig(options({ env: { GROQ_API_KEY: "gsk" } }));
    expect(resolved.source).toBe("default");
    expect(resolved.watchPath).toBe(join(cwd, "switchyard.yaml"));
    expect(resolved.notes).toEqual([
      "switchyard.yaml has no provider with a key (skipped: main); using the built-in default config instead",
    ]);
    expect(resolved.loaded.config.providers.map((provider) => provider.name)).toEqual(["groq"]);
  });

  it("asks the Ollama probe when there is no file", async () => {
    const resolved = await resolveConfig(options({ probeOllama: async () => ({ models: [] }) }));
    expect(resolved).toMatchObject({ source: "default", watchPath: undefined });
    expect(resolved.loaded.config.providers.map((provider) => provider.name)).toEqual(["ollama"]);
    expect(demoStarts).toBe(0);
  });

  it("falls back to the demo with no file, no key and no Ollama", async () => {
    const resolved = await resolveConfig(options());
    expect(resolved.source).toBe("demo");
    expect(demoStarts).toBe(1);
    expect(resolved.loaded.config.models.map((model) => model.name)).toEqual(["smart"]);
    expect(resolved.loaded.config.providers.map((provider) => provider.name)).toEqual([
      "demo-primary",
      "demo-backup",
    ]);
    expect(resolved.loaded.warnings).toEqual([]);
  });
});
