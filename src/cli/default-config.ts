import { stringify } from "yaml";
import type { Environment } from "../config/index.js";

/**
 * The built-in config used when there is no `switchyard.yaml`: the providers whose API key is in the
 * environment, plus a local Ollama when one answers. Like `providers/presets`, this file spells vendor
 * names because the config format names them.
 */

/** The provider names the default config knows, in their default order. */
export const DEFAULT_PROVIDER_NAMES = ["openai", "anthropic", "gemini", "groq", "ollama"] as const;
export type DefaultProviderName = (typeof DEFAULT_PROVIDER_NAMES)[number];

/** The name problems in the built-in config are reported under. */
export const DEFAULT_CONFIG_LABEL = "(built-in default config)";

interface ProviderRecipe {
  /** The variable holding the key; none for local servers. */
  keyVariable?: string;
  provider: Record<string, unknown>;
  smart: string;
  fast: string;
  models: string[];
}

const RECIPES: Record<Exclude<DefaultProviderName, "ollama">, ProviderRecipe> = {
  openai: {
    keyVariable: "OPENAI_API_KEY",
    provider: { type: "openai" },
    smart: "gpt-4o",
    fast: "gpt-4o-mini",
    models: ["gpt-4o", "gpt-4o-mini"],
  },
  anthropic: {
    keyVariable: "ANTHROPIC_API_KEY",
    provider: { type: "anthropic" },
    smart: "claude-sonnet-4-5",
    fast: "claude-haiku-4-5",
    models: ["claude-sonnet-4-5", "claude-haiku-4-5"],
  },
  gemini: {
    keyVariable: "GEMINI_API_KEY",
    provider: { type: "gemini" },
    smart: "gemini-2.5-pro",
    fast: "gemini-2.5-flash",
    models: ["gemini-2.5-pro", "gemini-2.5-flash"],
  },
  groq: {
    keyVariable: "GROQ_API_KEY",
    provider: { type: "openai-compatible", preset: "groq" },
    smart: "llama-3.3-70b-versatile",
    fast: "llama-3.1-8b-instant",
    models: ["llama-3.3-70b-versatile", "llama-3.1-8b-instant"],
  },
};

/** The Ollama model used for `smart` and `fast` when it is pulled (or when the list is unknown). */
export const OLLAMA_DEFAULT_MODEL = "llama3.2";

/** A local Ollama that answered the probe, with the models it has pulled (may be empty). */
export interface OllamaServer {
  models: string[];
}

export interface DefaultConfigOptions {
  env: Environment;
  /** The local Ollama, when the probe found one. */
  ollama?: OllamaServer | undefined;
}

export interface DefaultConfigPlan {
  /** The config's YAML (keys as `${VAR}` references, never in clear); undefined: nothing found, demo mode. */
  text: string | undefined;
  /** The providers used, in failover order. */
  providers: DefaultProviderName[];
  /** Things worth logging: unknown names in the ordering variables, named providers not available. */
  notes: string[];
}

/**
 * Plans the built-in config from the environment. Providers named by `LLM_PRIMARY_PROVIDER` and then
 * `LLM_FALLBACK_PROVIDERS` (comma-separated) come first, in that order; the other available ones follow
 * in the default order (openai, anthropic, gemini, groq, ollama). Models `smart` and `fast` run over all
 * of them by priority; each provider's own models are routed directly too.
 */
export function planDefaultConfig(options: DefaultConfigOptions): DefaultConfigPlan {
  const { env } = options;
  const notes: string[] = [];
  const available = new Set<DefaultProviderName>(
    DEFAULT_PROVIDER_NAMES.filter((name) =>
      name === "ollama"
        ? options.ollama !== undefined
        : isSet(env[RECIPES[name].keyVariable ?? ""]),
    ),
  );
  const named = namedOrder(env, notes);
  for (const name of named) {
    if (!available.has(name)) notes.push(`${unavailableReason(name)}; ${name} is left out`);
  }
  const providers = [...new Set([...named, ...DEFAULT_PROVIDER_NAMES])].filter((name) =>
    available.has(name),
  );
  if (providers.length === 0) return { text: undefined, providers, notes };
  const recipes = providers.map((name) => ({ name, recipe: recipeFor(name, options.ollama) }));
  const document = {
    ...commonSections(),
    providers: recipes.map(({ name, recipe }) => ({
      name,
      ...recipe.provider,
      ...(recipe.keyVariable ? { keys: [{ key: envReference(recipe.keyVariable) }] } : {}),
      models: recipe.models,
    })),
    models: (["smart", "fast"] as const).map((model) => ({
      name: model,
      strategy: "priority",
      targets: recipes.map(({ name, recipe }, index) => ({
        provider: name,
        model: recipe[model],
        priority: index + 1,
      })),
    })),
  };
  return {
    text: `# ${DEFAULT_CONFIG_LABEL}: providers found in the environment\n${stringify(document)}`,
    providers,
    notes,
  };
}

/** `server` and `logging`, read from the same variables as the example `switchyard.yaml`. */
export function commonSections(): Record<string, unknown> {
  return {
    server: {
      host: envReference("SWITCHYARD_HOST", "127.0.0.1"),
      port: envReference("SWITCHYARD_PORT", "8787"),
      adminKey: envReference("SWITCHYARD_ADMIN_KEY", ""),
    },
    logging: { level: envReference("SWITCHYARD_LOG_LEVEL", "info") },
  };
}

/** `${NAME}`, or `${NAME:-fallback}` when a fallback is given: interpolated when the config loads. */
function envReference(name: string, fallback?: string): string {
  return fallback === undefined ? `\${${name}}` : `\${${name}:-${fallback}}`;
}

function recipeFor(name: DefaultProviderName, ollama: OllamaServer | undefined): ProviderRecipe {
  if (name !== "ollama") return RECIPES[name];
  const pulled = ollama?.models ?? [];
  const model =
    pulled.length === 0 || pulled.some((entry) => baseName(entry) === OLLAMA_DEFAULT_MODEL)
      ? OLLAMA_DEFAULT_MODEL
      : (pulled[0] ?? OLLAMA_DEFAULT_MODEL);
  const models = [...new Set([model, ...pulled.map(baseName)])];
  return {
    provider: { type: "openai-compatible", preset: "ollama" },
    smart: model,
    fast: model,
    models,
  };
}

/** `llama3.2:latest` -> `llama3.2`; other tags are kept (`qwen2.5:7b`). */
function baseName(model: string): string {
  return model.endsWith(":latest") ? model.slice(0, -":latest".length) : model;
}

function namedOrder(env: Environment, notes: string[]): DefaultProviderName[] {
  const named: DefaultProviderName[] = [];
  for (const variable of ["LLM_PRIMARY_PROVIDER", "LLM_FALLBACK_PROVIDERS"]) {
    for (const entry of (env[variable] ?? "").split(",")) {
      const name = entry.trim().toLowerCase();
      if (name === "") continue;
      if (isDefaultProviderName(name)) {
        if (!named.includes(name)) named.push(name);
      } else {
        notes.push(
          `${variable} names unknown provider "${name}" (known: ${DEFAULT_PROVIDER_NAMES.join(", ")}); ignored`,
        );
      }
    }
  }
  return named;
}

function unavailableReason(name: DefaultProviderName): string {
  if (name === "ollama") return "ollama is named, but no Ollama answers at http://127.0.0.1:11434";
  return `${name} is named, but ${RECIPES[name].keyVariable} is not set`;
}

function isDefaultProviderName(name: string): name is DefaultProviderName {
  return (DEFAULT_PROVIDER_NAMES as readonly string[]).includes(name);
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== "";
}
