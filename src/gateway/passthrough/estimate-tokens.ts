import { countTokensInWorker } from "./token-counter-worker.js";

/** Fields whose strings are not text the model reads as tokens (ids, media, signatures, names of types). */
const NOT_TEXT = new Set(["type", "id", "tool_use_id", "data", "signature", "media_type", "model"]);

/** A fixed estimate for an image or a document given as data or a URL (no pixels are counted). */
const MEDIA_TOKENS = 1_600;

/**
 * An offline estimate of a request's input tokens: every text in it (system prompt, messages, tool
 * names, descriptions and schemas) counted with the `o200k_base` tokenizer, whose ranks ship in
 * `js-tiktoken`, plus a flat amount per image or document. The tokenizer runs on a worker thread
 * (token-counter-worker.ts), started on first use: building it takes seconds of CPU, which on the main
 * thread would stall every request and stream; a gateway that never estimates never pays its memory.
 * Other vendors' tokenizers differ: an estimate, not a count.
 */
export async function estimateTokens(body: unknown): Promise<number> {
  const texts: string[] = [];
  const media = countTokens(body, (text) => {
    texts.push(text);
    return 0;
  });
  return media + (texts.length === 0 ? 0 : await countTokensInWorker(texts));
}

/** `estimateTokens` without waiting, for a request in flight: 4 characters a token. */
export function estimateTokensNow(body: unknown): number {
  return countTokens(body, (text) => Math.ceil(text.length / 4));
}

function countTokens(body: unknown, count: (text: string) => number): number {
  let tokens = 0;
  const visit = (value: unknown, key: string | undefined): void => {
    if (typeof value === "string") {
      if (key === undefined || !NOT_TEXT.has(key)) tokens += count(value);
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) visit(item, undefined);
      return;
    }
    if (typeof value !== "object" || value === null) return;
    const record = value as Record<string, unknown>;
    if (record.type === "image" || record.type === "document") tokens += MEDIA_TOKENS;
    for (const name in record) {
      if (name === "source" && (record.type === "image" || record.type === "document")) continue;
      visit(record[name], name);
    }
  };
  if (typeof body === "object" && body !== null) {
    const { system, messages, tools } = body as Record<string, unknown>;
    visit([system, messages, tools], undefined);
  }
  return tokens;
}
