import { describe, expect, it } from "vitest";
import { parseConfigText } from "../config/index.js";
import { DEFAULT_CONFIG_LABEL, planDefaultConfig } from "./default-config.js";

const KEYS = {
  OPENAI_API_KEY: "sk-openai-secret-1",
  ANTHROPIC_API_KEY: "sk-ant-secret-2",
  GEMINI_API_KEY: "gemini-secret-3",
  GROQ_API_KEY: "gsk-secret-4",
};

function load(env: Record<string, string>, ollama?: { models: string[] }) {
  const plan = planDefaultConfig({ env, ollama });
  if (plan.text === undefined) throw new Error("expected a config");
  const loaded = parseConfigText(plan.text, { path: DEFAULT_CONFIG_LABEL, env });
  return { plan, loaded };
}

function targetsOf(loaded: ReturnType<typeof load>["loaded"], model: string) {
  const found = loaded.config.models.find((entry) => entry.name === model);
  return found?.targets.map((target) => `${target.provider}:${target.model}:${target.priority}`);
}

describe("planDefaultConfig", () => {
  it("plans nothing (demo mode) with no key and no Ollama", () => {
    const plan = planDefaultConfig({ env: {} });
    expect(plan).toEqual({ text: undefined, providers: [], notes: [] });
  });

  it("treats empty and blank keys as unset", () => {
    expect(planDefaultConfig({ env: { OPENAI_API_KEY: "", GROQ_API_KEY: "  " } }).text).toBe(
      undefined,
    );
  });

  it("uses every provider with a key, in the default order, smart and fast over all", () => {
    const { plan, loaded } = load({ ...KEYS });
    expect(plan.providers).toEqual(["openai", "anthropic", "gemini", "groq"]);
    expect(targetsOf(loaded, "smart")).toEqual([
      "openai:gpt-4o:1",
      "anthropic:claude-sonnet-4-5:2",
      "gemini:gemini-2.5-pro:3",
      "groq:llama-3.3-70b-versatile:4",
    ]);
    expect(targetsOf(loaded, "fast")).toEqual([
      "openai:gpt-4o-mini:1",
      "anthropic:claude-haiku-4-5:2",
      "gemini:gemini-2.5-flash:3",
      "groq:llama-3.1-8b-instant:4",
    ]);
    const groq = loaded.config.providers.find((provider) => provider.name === "groq");
    expect(groq).toMatchObject({ type: "openai-compatible", preset: "groq" });
    expect(groq?.models).toEqual(["llama-3.3-70b-versatile", "llama-3.1-8b-instant"]);
    expect(loaded.config.providers.map((provider) => provider.keys[0]?.key)).toEqual(
      Object.values(KEYS),
    );
    expect(loaded.skippedProviders).toEqual([]);
  });

  it("never writes a key into the config text", () => {
    const { plan } = load({ ...KEYS });
    for (const key of Object.values(KEYS)) expect(plan.text).not.toContain(key);
    expect(plan.text).toContain(`\${OPENAI_API_KEY}`);
  });

  it("puts the primary, then the fallbacks, first; the others follow in the default order", () => {
    const { plan, loaded } = load({
      ...KEYS,
      LLM_PRIMARY_PROVIDER: "Groq",
      LLM_FALLBACK_PROVIDERS: " gemini , anthropic,groq",
    });
    expect(plan.providers).toEqual(["groq", "gemini", "anthropic", "openai"]);
    expect(targetsOf(loaded, "smart")).toEqual([
      "groq:llama-3.3-70b-versatile:1",
      "gemini:gemini-2.5-pro:2",
      "anthropic:claude-sonnet-4-5:3",
      "openai:gpt-4o:4",
    ]);
    expect(plan.notes).toEqual([]);
  });

  it("notes unknown names and named providers without a key, and leaves them out", () => {
    const { plan } = load({
      ANTHROPIC_API_KEY: "sk-ant",
      LLM_PRIMARY_PROVIDER: "openai",
      LLM_FALLBACK_PROVIDERS: "claude,anthropic",
    });
    expect(plan.providers).toEqual(["anthropic"]);
    expect(plan.notes).toEqual([
      'LLM_FALLBACK_PROVIDERS names unknown provider "claude" (known: openai, anthropic, gemini, groq, ollama); ignored',
      "openai is named, but OPENAI_API_KEY is not set; openai is left out",
    ]);
  });

  it("adds a local Ollama that answered, without a key, using llama3.2 when pulled", () => {
    const { plan, loaded } = load(
      { OPENAI_API_KEY: "sk-x", LLM_PRIMARY_PROVIDER: "ollama" },
      { models: ["qwen2.5:7b", "llama3.2:latest"] },
    );
    expect(plan.providers).toEqual(["ollama", "openai"]);
    const ollama = loaded.config.providers.find((provider) => provider.name === "ollama");
    expect(ollama).toMatchObject({ type: "openai-compatible", preset: "ollama", keys: [] });
    expect(ollama?.models).toEqual(["llama3.2", "qwen2.5:7b"]);
    expect(targetsOf(loaded, "fast")).toEqual(["ollama:llama3.2:1", "openai:gpt-4o-mini:2"]);
    expect(loaded.skippedProviders).toEqual([]);
  });

  it("falls back to Ollama's first model when llama3.2 is not pulled", () => {
    const { loaded } = load({}, { models: ["qwen2.5:7b"] });
    expect(targetsOf(loaded, "smart")).toEqual(["ollama:qwen2.5:7b:1"]);
  });

  it("notes a named Ollama that did not answer", () => {
    const plan = planDefaultConfig({ env: { LLM_PRIMARY_PROVIDER: "ollama" } });
    expect(plan.text).toBeUndefined();
    expect(plan.notes).toEqual([
      "ollama is named, but no Ollama answers at http://127.0.0.1:11434; ollama is left out",
    ]);
  });

  it("reads the server address and log level from the SWITCHYARD_ variables", () => {
    const { loaded } = load({
      GROQ_API_KEY: "gsk",
      SWITCHYARD_PORT: "9999",
      SWITCHYARD_HOST: "0.0.0.0",
      SWITCHYARD_LOG_LEVEL: "debug",
      SWITCHYARD_ADMIN_KEY: "admin-secret",
    });
    expect(loaded.config.server).toMatchObject({
      host: "0.0.0.0",
      port: 9999,
      adminKey: "admin-secret",
    });
    expect(loaded.config.logging.level).toBe("debug");
    const defaults = load({ GROQ_API_KEY: "gsk" }).loaded.config;
    expect(defaults.server).toMatchObject({ host: "127.0.0.1", port: 8787 });
    expect(defaults.server.adminKey).toBeUndefined();
  });
});
