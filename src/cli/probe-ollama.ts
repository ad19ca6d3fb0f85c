import type { OllamaServer } from "./default-config.js";

export interface ProbeOllamaOptions {
  /** Default `http://127.0.0.1:11434`. */
  baseUrl?: string;
  /** How long to wait for an answer; default 300. */
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
}

/** Finds a local Ollama, or a function that pretends to (tests). */
export type OllamaProbe = () => Promise<OllamaServer | undefined>;

/**
 * Asks `GET /api/tags` whether an Ollama is running, within `timeoutMs`. Resolves with the models it
 * has pulled, or undefined when nothing answers in time or the answer is not a success. Never throws.
 */
export async function probeOllama(
  options: ProbeOllamaOptions = {},
): Promise<OllamaServer | undefined> {
  const baseUrl = options.baseUrl ?? "http://127.0.0.1:11434";
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const signal = AbortSignal.timeout(options.timeoutMs ?? 300);
  try {
    const response = await fetchImpl(`${baseUrl}/api/tags`, { signal });
    if (!response.ok) {
      await response.body?.cancel();
      return undefined;
    }
    const body: unknown = await response.json().catch(() => undefined);
    return { models: modelNames(body) };
  } catch {
    return undefined;
  }
}

function modelNames(body: unknown): string[] {
  if (body === null || typeof body !== "object") return [];
  const models = (body as { models?: unknown }).models;
  if (!Array.isArray(models)) return [];
  return models.flatMap((entry: unknown) => {
    const name = (entry as { name?: unknown } | null)?.name;
    return typeof name === "string" && /^\S+$/.test(name) ? [name] : [];
  });
}
