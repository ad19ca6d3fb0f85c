import type { LlmProvider } from "../../llm/llm-provider.js";
import { createOpenAIWireProvider } from "../openai/create-openai-wire-provider.js";
import { COMPATIBLE_CONTENT } from "../openai/map-content.js";
import type { AdapterOptions } from "../shared/adapter-options.js";
import { OPENAI_COMPATIBLE_PRESETS, type OpenAICompatiblePreset } from "./presets.js";

export interface OpenAICompatibleProviderOptions extends Omit<AdapterOptions, "apiKey"> {
  /** A known server: its base URL and quirks. `baseUrl` and the options below override it. */
  preset?: OpenAICompatiblePreset;
  /** Required for hosted presets and custom hosted servers; local servers need none. */
  apiKey?: string;
  /** Where `maxTokens` goes; default from the preset, else `max_tokens` (the widely supported field). */
  maxTokensField?: "max_completion_tokens" | "max_tokens";
  /** Send `stream_options.include_usage`; default from the preset, else true. */
  includeStreamUsage?: boolean;
  /** Fields the server rejects, added to the preset's (see `PresetSettings.unsupportedFields`). */
  unsupportedFields?: readonly string[];
}

/**
 * An LlmProvider for any base URL speaking OpenAI's chat format, with presets for well-known
 * servers. `type` is `openai-compatible`; the provider name defaults to the preset name. Request
 * bodies merge `providerOptions["openai-compatible"]`, then the preset's key, then the name's key.
 */
export function createOpenAICompatibleProvider(
  options: OpenAICompatibleProviderOptions,
): LlmProvider {
  const preset =
    options.preset === undefined ? undefined : OPENAI_COMPATIBLE_PRESETS[options.preset];
  if (options.preset !== undefined && preset === undefined) {
    const known = Object.keys(OPENAI_COMPATIBLE_PRESETS).join(", ");
    throw new TypeError(
      `createOpenAICompatibleProvider: unknown preset "${options.preset}" (known: ${known})`,
    );
  }
  const baseUrl = options.baseUrl ?? preset?.baseUrl;
  if (baseUrl === undefined || baseUrl === "") {
    throw new TypeError("createOpenAICompatibleProvider: give `baseUrl` or a `preset`");
  }
  const name = options.name ?? options.preset ?? "openai-compatible";
  const needsKey = preset?.requiresApiKey ?? false;
  if (needsKey && (options.apiKey === undefined || options.apiKey === "")) {
    throw new TypeError(
      `createOpenAICompatibleProvider: preset "${options.preset}" needs an \`apiKey\``,
    );
  }
  const headers: Record<string, string> = {};
  if (options.apiKey !== undefined && options.apiKey !== "") {
    headers.authorization = `Bearer ${options.apiKey}`;
  }
  const keys = ["openai-compatible"];
  for (const key of [options.preset, name])
    if (key !== undefined && !keys.includes(key)) keys.push(key);
  return createOpenAIWireProvider({
    type: "openai-compatible",
    name,
    baseUrl,
    headers: { ...headers, ...options.headers },
    maxTokensField: options.maxTokensField ?? preset?.maxTokensField ?? "max_tokens",
    includeStreamUsage: options.includeStreamUsage ?? preset?.includeStreamUsage ?? true,
    providerOptionsKeys: keys,
    api: options.api,
    acceptedContent: COMPATIBLE_CONTENT,
    unsupportedFields: [...(preset?.unsupportedFields ?? []), ...(options.unsupportedFields ?? [])],
    connectTimeoutMs: options.connectTimeoutMs,
    firstByteTimeoutMs: options.firstByteTimeoutMs,
    idleTimeoutMs: options.idleTimeoutMs,
    maxConnections: options.maxConnections,
    maxResponseBytes: options.maxResponseBytes,
    now: options.now ?? Date.now,
  });
}
