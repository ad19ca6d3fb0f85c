import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Clock } from "../engine/clock.js";

export interface AdminSessionsOptions {
  clock: Clock;
  /** How long a session lasts after sign-in. Default 12 hours. */
  ttlMs?: number;
  /** Sessions kept at most; the oldest goes first. Default 1000. */
  maxSessions?: number;
}

interface Session {
  expiresAt: number;
  /** Digest of the admin key it was made with: changing the key ends every session. */
  keyDigest: Buffer;
}

/** The dashboard's session cookie. */
export const SESSION_COOKIE = "switchyard_session";

/**
 * Server-side dashboard sessions: a random token in an HttpOnly, SameSite=Strict cookie stands for
 * the admin key, so the page (and its EventSource, which cannot send headers) never holds the key.
 */
export class AdminSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly ttlMs: number;
  private readonly maxSessions: number;

  constructor(private readonly options: AdminSessionsOptions) {
    this.ttlMs = options.ttlMs ?? 12 * 3_600_000;
    this.maxSessions = options.maxSessions ?? 1000;
  }

  get lifetimeMs(): number {
    return this.ttlMs;
  }

  /** A new session for whoever presented `adminKey` (already checked); returns its token. */
  create(adminKey: string): string {
    this.sweep();
    while (this.sessions.size >= this.maxSessions) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
    const token = randomBytes(32).toString("base64url");
    this.sessions.set(token, {
      expiresAt: this.options.clock.now() + this.ttlMs,
      keyDigest: digest(adminKey),
    });
    return token;
  }

  /** Whether `token` is a live session made with the current `adminKey`. */
  valid(token: string | undefined, adminKey: string | undefined): boolean {
    if (!token || !adminKey) return false;
    const session = this.sessions.get(token);
    if (!session) return false;
    if (session.expiresAt <= this.options.clock.now()) {
      this.sessions.delete(token);
      return false;
    }
    return timingSafeEqual(session.keyDigest, digest(adminKey));
  }

  revoke(token: string | undefined): void {
    if (token) this.sessions.delete(token);
  }

  private sweep(): void {
    const now = this.options.clock.now();
    for (const [token, session] of this.sessions) {
      if (session.expiresAt <= now) this.sessions.delete(token);
    }
  }
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

/** The value of one cookie in a `Cookie` header. */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const separator = part.indexOf("=");
    if (separator === -1) continue;
    if (part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}

/** `Set-Cookie` for a session (`token`), or one that clears it (`undefined`). */
export function sessionCookie(
  token: string | undefined,
  options: { maxAgeMs: number; secure: boolean },
): string {
  const parts = [
    `${SESSION_COOKIE}=${token ?? ""}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Strict",
    `Max-Age=${token ? Math.floor(options.maxAgeMs / 1000) : 0}`,
  ];
  if (options.secure) parts.push("Secure");
  return parts.join("; ");
}
