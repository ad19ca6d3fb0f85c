/** USD per million tokens for one model (the config's `pricing` entries). */
export interface ModelPrice {
  input: number;
  output: number;
  /** Price of cached input tokens; without it they cost as much as other input. */
  cachedInput?: number;
}

/** Prices by vendor model id. */
export type PricingTable = Readonly<Record<string, ModelPrice>>;

export interface TokenCounts {
  inputTokens?: number;
  outputTokens?: number;
  /** Cached input tokens, counted within `inputTokens`. */
  cachedInputTokens?: number;
}

const PER_MILLION = 1_000_000;

/** The price of the first of `models` the table lists (the upstream model first, say). */
export function findPrice(
  pricing: PricingTable,
  ...models: readonly (string | undefined)[]
): ModelPrice | undefined {
  for (const model of models) {
    if (model === undefined) continue;
    if (Object.hasOwn(pricing, model)) return pricing[model];
  }
  return undefined;
}

/**
 * The cost in USD of the tokens at this price. Cached input tokens are part of `inputTokens` and are
 * priced at `cachedInput` when given; the rest of the input at `input`.
 */
export function costOf(price: ModelPrice, tokens: TokenCounts): number {
  const input = Math.max(0, tokens.inputTokens ?? 0);
  const cached = Math.min(input, Math.max(0, tokens.cachedInputTokens ?? 0));
  const output = Math.max(0, tokens.outputTokens ?? 0);
  const cachedPrice = price.cachedInput ?? price.input;
  return (
    ((input - cached) * price.input + cached * cachedPrice + output * price.output) / PER_MILLION
  );
}

/** The cost of a request on `model`, or undefined when the table has no price for it. */
export function computeCost(
  pricing: PricingTable,
  model: string | undefined,
  tokens: TokenCounts,
): number | undefined {
  const price = findPrice(pricing, model);
  return price ? costOf(price, tokens) : undefined;
}

/** `$12.34`, or four decimals below a cent (`$0.0042`) so small costs do not show as zero. */
export function formatUsd(usd: number): string {
  const digits = usd !== 0 && Math.abs(usd) < 0.01 ? 4 : 2;
  return `$${usd.toFixed(digits)}`;
}
