import type { HeaderSource } from "../http/exchange.js";
import { echoed, GatewayRequestError } from "../protocols/gateway-request-error.js";

/** How a request asks to be routed by provider (`provider` in the body, or the headers). */
export interface ProviderPreferences {
  /** These providers' targets first, in this order; the model's others after them. */
  order?: string[];
  /** Only these providers' targets. */
  only?: string[];
  /** Never these providers' targets. */
  ignore?: string[];
}

/** What a request asks of routing, beyond its `model`. */
export interface RoutingAsk {
  /** Models to try, in order, after the request's `model` (`models` / `x-switchyard-models`). */
  fallbacks: string[];
  provider: ProviderPreferences | undefined;
}

/** The headers of a routing ask, for clients that cannot add body fields. Comma-separated lists. */
export const ROUTING_HEADERS = {
  models: "x-switchyard-models",
  order: "x-switchyard-provider-order",
  only: "x-switchyard-provider-only",
  ignore: "x-switchyard-provider-ignore",
} as const;

const PREFERENCE_KEYS = ["order", "only", "ignore"] as const;

/** The most models a fallback list may name (the request's own `model` not counted). */
export const MAX_FALLBACK_MODELS = 8;

/**
 * Takes the gateway-only fields out of a request: `models` (a fallback list) and `provider` (order,
 * only, ignore) from the body, or the `x-switchyard-*` headers. Switchyard consumes them: the body
 * returned has neither field, so they never reach an upstream (translated or passed through). A
 * field given both in the body and in its header, or malformed, is a 400 naming it.
 */
export function takeRoutingAsk(
  body: unknown,
  headers: HeaderSource,
  providers: readonly string[],
): { body: unknown; ask: RoutingAsk } {
  let rest = body;
  let bodyModels: unknown;
  let bodyProvider: unknown;
  if (isRecord(body) && ("models" in body || "provider" in body)) {
    const { models, provider, ...others } = body;
    bodyModels = models;
    bodyProvider = provider;
    rest = others;
  }
  const fallbacks = fallbackList(bodyModels, headers.get(ROUTING_HEADERS.models));
  const provider = preferences(bodyProvider, headers, providers);
  return { body: rest, ask: { fallbacks, provider } };
}

function fallbackList(field: unknown, header: string | null | undefined): string[] {
  if (field !== undefined && field !== null && header) {
    throw bothGiven("models", ROUTING_HEADERS.models);
  }
  let names: string[];
  if (header) names = splitList(header);
  else if (field === undefined || field === null) return [];
  else if (Array.isArray(field) && field.every((name) => typeof name === "string" && name !== "")) {
    names = field as string[];
  } else {
    throw invalid("models", "models must be an array of model names (strings)");
  }
  if (names.length > MAX_FALLBACK_MODELS) {
    throw invalid(
      "models",
      `models may name at most ${MAX_FALLBACK_MODELS} models (got ${names.length})`,
    );
  }
  return names;
}

function preferences(
  field: unknown,
  headers: HeaderSource,
  providers: readonly string[],
): ProviderPreferences | undefined {
  const fromHeaders: ProviderPreferences = {};
  for (const key of PREFERENCE_KEYS) {
    const value = headers.get(ROUTING_HEADERS[key]);
    if (value) fromHeaders[key] = splitList(value);
  }
  const headerGiven = Object.keys(fromHeaders).length > 0;
  if (field === undefined || field === null) {
    return headerGiven ? checked(fromHeaders, providers, "header") : undefined;
  }
  if (!isRecord(field)) throw invalid("provider", "provider must be an object");
  if (headerGiven) throw bothGiven("provider", "x-switchyard-provider-*");
  const given: ProviderPreferences = {};
  for (const [key, value] of Object.entries(field)) {
    if (!(PREFERENCE_KEYS as readonly string[]).includes(key)) {
      throw invalid(
        `provider.${echoed(key)}`,
        `provider.${echoed(key)} is not supported by Switchyard (it takes order, only and ignore)`,
      );
    }
    if (value === undefined || value === null) continue;
    if (!Array.isArray(value) || !value.every((name) => typeof name === "string")) {
      throw invalid(`provider.${key}`, `provider.${key} must be an array of provider names`);
    }
    given[key as (typeof PREFERENCE_KEYS)[number]] = value as string[];
  }
  return checked(given, providers, "body");
}

/** Every name must be a provider of the gateway: a typo is a 400, not a silent no-op. */
function checked(
  given: ProviderPreferences,
  providers: readonly string[],
  where: "body" | "header",
): ProviderPreferences {
  for (const key of PREFERENCE_KEYS) {
    for (const name of given[key] ?? []) {
      if (providers.includes(name)) continue;
      const param = where === "body" ? `provider.${key}` : ROUTING_HEADERS[key];
      throw invalid(
        param,
        `${param}: unknown provider '${echoed(name)}' (known: ${providers.join(", ") || "none"})`,
      );
    }
  }
  return given;
}

function splitList(text: string): string[] {
  return text
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
}

function bothGiven(field: string, header: string): GatewayRequestError {
  return invalid(field, `give ${field} in the body or in the ${header} header, not both`);
}

function invalid(param: string, message: string): GatewayRequestError {
  return new GatewayRequestError(message, { status: 400, param, code: "invalid_request" });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
