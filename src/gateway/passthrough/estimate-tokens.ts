import type { Tiktoken } from "js-tiktoken/lite";

/** Fields whose strings are not text the model reads as tokens (ids, media, signatures, names of types). */
const NOT_TEXT = new Set(["type", "id", "tool_use_id", "data", "signature", "media_type", "model"]);

/** A fixed estimate for an image or a document given as data or a URL (no pixels are counted). */
const MEDIA_TOKENS = 1_600;

let encoder: Promise<Tiktoken> | undefined;

/**
 * An offline estimate of a request's input tokens: every text in it (system prompt, messages, tool
 * names, descriptions and schemas) counted with the `o200k_base` tokenizer, whose ranks ship in
 * `js-tiktoken` (loaded on first use, so a gateway that never estimates never pays their memory),
 * plus a flat amount per image or document. Other vendors' tokenizers differ: an estimate, not a count.
 */
export async function estimateTokens(body: unknown): Promise<number> {
  encoder ??= loadEncoder();
  const tiktoken = await encoder;
  let tokens = 0;
  const visit = (value: unknown, key: string | undefined): void => {
    if (typeof value === "string") {
      if (key === undefined || !NOT_TEXT.has(key)) tokens += tiktoken.encode(value).length;
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
  return new Tiktoken(ranks.default);
}
