import { createHash, timingSafeEqual } from "node:crypto";
import type { ClientConfig } from "../../config/index.js";
import type { HeaderSource } from "../http/exchange.js";
import { ModelAllowList } from "./model-allow-list.js";

/** A client the gateway knows by its virtual key. */
export interface Client {
  name: string;
  /** Models it may call (names and patterns such as `claude/*`); undefined means all. */
  models: ModelAllowList | undefined;
  config: ClientConfig;
  /** The team of a runtime key: its rate limit and budget (`team:<id>`) bind the key too. */
  team?: { name: string; config: Pick<ClientConfig, "rateLimit" | "budget"> };
}

/** Runtime virtual keys (made through the admin API), looked up by hash in memory. */
export interface RuntimeKeyLookup {
  /** Whether any runtime key was ever made: from then on every request needs a key. */
  readonly active: boolean;
  /** The client of a key hash, when it is a live key; undefined when unknown, revoked or expired. */
  find(hash: string): Client | undefined;
}

export type Authentication =
  | { ok: true; client: Client | undefined }
  | { ok: false; reason: "missing" | "invalid" };

/** `sha256:<hex>` of a key, the form `keyHash` takes in the config. */
export function hashKey(key: string): string {
  return `sha256:${createHash("sha256").update(key).digest("hex")}`;
}

/**
 * Virtual keys, held only as SHA-256 hashes. A presented key is hashed and looked up; the match is
 * confirmed with a constant-time comparison. Keys come from `Authorization: Bearer` (OpenAI SDKs) or
 * `x-api-key` (Anthropic SDKs). With no clients configured, every request is let through.
 */
export class ClientRegistry {
  private readonly byHash = new Map<string, Client>();

  constructor(
    clients: readonly ClientConfig[] | undefined,
    private readonly runtime?: RuntimeKeyLookup,
  ) {
    for (const config of clients ?? []) {
      const hash = config.keyHash ?? hashKey(config.key ?? "");
      const client = {
        name: config.name,
        models: config.models ? new ModelAllowList(config.models) : undefined,
        config,
      };
      this.byHash.set(hash, client);
    }
  }

  get authRequired(): boolean {
    return this.byHash.size > 0 || this.runtime?.active === true;
  }

  authenticate(headers: HeaderSource): Authentication {
    if (!this.authRequired) return { ok: true, client: undefined };
    const key = presentedKey(headers);
    if (!key) return { ok: false, reason: "missing" };
    const hash = hashKey(key);
    const client = this.byHash.get(hash) ?? this.runtime?.find(hash);
    if (!client) return { ok: false, reason: "invalid" };
    const expected = client.config.keyHash ?? hashKey(client.config.key ?? "");
    if (!sameHash(expected, hash)) return { ok: false, reason: "invalid" };
    return { ok: true, client };
  }
}

/** Whether two key hashes are equal, compared in constant time. */
export function sameHash(expected: string, actual: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(actual);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The key a request presents: `Authorization: Bearer <key>` or `x-api-key: <key>`. */
export function presentedKey(headers: HeaderSource): string | undefined {
  const authorization = headers.get("authorization");
  if (authorization?.toLowerCase().startsWith("bearer ")) {
    const key = authorization.slice(7).trim();
    if (key) return key;
  }
  const apiKey = headers.get("x-api-key")?.trim();
  return apiKey || undefined;
}
