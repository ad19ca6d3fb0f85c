import type { ProviderContext } from "../../engine/provider.js";
import type { TargetAdditions, TargetCallContext } from "../../llm/target-additions.js";

/**
 * A request as an adapter sends it, with its target's additions (`TargetAdditions`) applied: `params`
 * merged into a JSON object body (a body already serialised, as a pass-through's, is left alone: the
 * pass-through merged them itself) and `headers` set last.
 */
export function applyTargetAdditions<Body>(
  context: ProviderContext,
  body: Body,
  headers: Record<string, string> | undefined,
): { body: Body; headers: Record<string, string> | undefined } {
  const target = (context as TargetCallContext).target;
  if (target === undefined) return { body, headers };
  return {
    body: isPlainObject(body) ? (mergeTargetParams(body, target) as Body) : body,
    headers: target.headers === undefined ? headers : withHeaders(headers, target.headers),
  };
}

/** `headers` with `added` set last, replacing any header of the same name in another case. */
function withHeaders(
  headers: Record<string, string> | undefined,
  added: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    if (added[name.toLowerCase()] === undefined) out[name] = headers[name] as string;
  }
  return Object.assign(out, added);
}

/**
 * `body` with a target's `params` merged in: a field the body lacks is added; where both hold a plain
 * object the two are merged key by key, at any depth; anything else (a value, an array) stays as the
 * body has it, unless `overrideParams` is set, when the param's value replaces it. `body` is not changed.
 */
export function mergeTargetParams(
  body: Readonly<Record<string, unknown>>,
  target: TargetAdditions | undefined,
): Record<string, unknown> {
  const params = target?.params;
  if (params === undefined) return { ...body };
  return mergeObjects(body, params, target?.overrideParams === true);
}

function mergeObjects(
  base: Readonly<Record<string, unknown>>,
  extra: Readonly<Record<string, unknown>>,
  override: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    if (isPlainObject(current) && isPlainObject(value)) {
      out[key] = mergeObjects(current, value, override);
    } else if (current === undefined || override) {
      out[key] = structuredClone(value);
    }
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array)
  );
}
