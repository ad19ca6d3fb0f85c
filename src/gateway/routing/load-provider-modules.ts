import { dirname, isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { LoadedConfig } from "../../config/index.js";
import { isLlmProviderType } from "../../providers/llm-provider-types.js";
import { loadLlmProviderTypes } from "../../providers/load-llm-provider-types.js";
import type { LlmProviderFactory } from "../../providers/provider-type-factory.js";

/** The factories of `type: module` providers, by their `module` text as written in the config. */
export type ProviderTypes = Readonly<Record<string, LlmProviderFactory>>;

/**
 * Imports the adapters of the built-in provider types the config names (only those: an adapter
 * costs memory in every gateway process), and the module of every `type: module` provider not already among `known` (a relative path
 * is resolved from the config file's folder; anything else is a package name) and checks that it
 * default-exports a function. A module that fails to load or has no such export is an error naming
 * the provider and the module.
 */
export async function loadProviderModules(
  loaded: LoadedConfig,
  known: ProviderTypes = {},
): Promise<ProviderTypes> {
  await loadLlmProviderTypes(
    loaded.config.providers.map((provider) => provider.type).filter(isLlmProviderType),
  );
  const types: Record<string, LlmProviderFactory> = { ...known };
  for (const provider of loaded.config.providers) {
    const specifier = provider.module;
    if (provider.type !== "module" || specifier === undefined || types[specifier] !== undefined) {
      continue;
    }
    const target =
      specifier.startsWith(".") || isAbsolute(specifier)
        ? pathToFileURL(resolve(dirname(resolve(loaded.file)), specifier)).href
        : specifier;
    let exported: unknown;
    try {
      exported = ((await import(target)) as { default?: unknown }).default;
    } catch (error) {
      throw new Error(
        `provider ${provider.name}: could not load module ${specifier}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    if (typeof exported !== "function") {
      throw new TypeError(
        `provider ${provider.name}: module ${specifier} must default-export a function (options, context) => LlmProvider`,
      );
    }
    types[specifier] = exported as LlmProviderFactory;
  }
  return types;
}
