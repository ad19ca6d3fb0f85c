import type { Tiktoken } from "js-tiktoken/lite";

/** Fields whose strings are not text the model reads as tokens (ids, media, signatures, names of types). */
const NOT_TEXT = new Set(["type", "id", "tool_use_id", "data", "signature", "media_type", "model"]);

/** A fixed estimate for an image or a document given as data or a URL (no pixels are counted). */
const MEDIA_TOKENS = 1_600;

let encoder: Promise<Tiktoken> | undefined;
/** The tokenizer once it has loaded. */
let loaded: Tiktoken | undefined;

/**
 * An offline estimate of a request's input tokens: every text in it (system prompt, messages, tool
 * names, descriptions and schemas) counted with the `o200k_base` tokenizer, whose ranks ship in
 * `js-tiktoken` (loaded on first use, so a gateway that never estimates never pays their memory),
 * plus a flat amount per image or document. Other vendors' tokenizers differ: an estimate, not a count.
 */
export async function estimateTokens(body: unknown): Promise<number> {
  encoder ??= loadEncoder();
  const tiktoken = await encoder;
  return countTokens(body, (text) => tiktoken.encode(text).length);
}

/**
 * `estimateTokens` without waiting, for a request in flight: with the tokenizer when token counting
 * has loaded it already, else at 4 characters a token. It never loads the tokenizer itself (building
 * it takes seconds of CPU, which would stall every stream the gateway is relaying).
 */
export function estimateTokensNow(body: unknown): number {
  const tiktoken = loaded;
  return countTokens(
    body,
    tiktoken ? (text) => tiktoken.encode(text).length : (text) => Math.ceil(text.length / 4),
  );
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

async function loadEncoder(): Promise<Tiktoken> {
  const [{ Tiktoken }, ranks] = await Promise.all([
    import("js-tiktoken/lite"),
    import("js-tiktoken/ranks/o200k_base"),
  ]);
  loaded = new Tiktoken(ranks.default);
  return loaded;
}
