/**
 * Redis key pieces. Names (models, providers, clients) are percent-encoded, `*` included, so a
 * piece never holds `:` or a glob character and every key splits back unambiguously.
 */
export function encodeKeyPart(name: string): string {
  return encodeURIComponent(name).replace(/\*/g, "%2A");
}

export function decodeKeyPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** The kinds of per-provider keys of one namespace (see redis-scripts.ts). */
export type ProviderKeyKind = "fail" | "open" | "cool" | "slots";
