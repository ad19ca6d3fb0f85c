import { LLM_PROVIDER_BUILDERS, type LlmProviderModules } from "./llm-provider-builders.js";
import type { LlmProviderBuilder, LlmProviderType } from "./llm-provider-types.js";

/** Each type's module, imported on demand (a gateway loads only the types its config names). */
const IMPORTS: { [T in LlmProviderType]: () => Promise<LlmProviderModules[T]> } = {
  openai: () => import("./openai/index.js"),
  anthropic: () => import("./anthropic/index.js"),
  gemini: () => import("./gemini/index.js"),
  "openai-compatible": () => import("./openai-compatible/index.js"),
  "azure-openai": () => import("./azure-openai/index.js"),
  bedrock: () => import("./bedrock/index.js"),
  vertex: () => import("./vertex/index.js"),
};

const loaded = new Map<LlmProviderType, LlmProviderBuilder>();

/** Makes a type's builder available to `loadedLlmProviderBuilder` (its module is already loaded). */
export function registerLlmProviderType<T extends LlmProviderType>(
  type: T,
  module: LlmProviderModules[T],
): void {
  if (!loaded.has(type)) loaded.set(type, LLM_PROVIDER_BUILDERS[type](module));
}

/** Imports the modules of the given adapter types (once each), so they can be built synchronously. */
export async function loadLlmProviderTypes(types: Iterable<LlmProviderType>): Promise<void> {
  await Promise.all(
    [...new Set(types)].map(async (type) => {
      if (!loaded.has(type)) registerLlmProviderType(type, await IMPORTS[type]());
    }),
  );
}

/** A loaded type's builder; undefined when nothing has loaded that type yet. */
export function loadedLlmProviderBuilder(type: LlmProviderType): LlmProviderBuilder | undefined {
  return loaded.get(type);
}
