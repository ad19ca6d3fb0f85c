import { z } from "zod";
import type { CacheControl } from "../../llm/chat.js";

/**
 * A prompt-cache breakpoint as clients write it (`{"type": "ephemeral", "ttl": "1h"}`): the Messages
 * API's, and the convention of routers in front of Anthropic models on Chat Completions parts.
 */
export const cacheControlSchema = z
  .object({ type: z.literal("ephemeral"), ttl: z.string().min(1).nullish() })
  .nullish();

export type WireCacheControl = z.infer<typeof cacheControlSchema>;

export function toCacheControl(value: WireCacheControl): CacheControl | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value.ttl === "string"
    ? { type: value.type, ttl: value.ttl }
    : { type: value.type };
}

/** Sets `cacheControl` on `target` when the wire object marks a breakpoint. */
export function withCacheControl<T extends { cacheControl?: CacheControl }>(
  target: T,
  value: WireCacheControl,
): T {
  const cacheControl = toCacheControl(value);
  if (cacheControl !== undefined) target.cacheControl = cacheControl;
  return target;
}
