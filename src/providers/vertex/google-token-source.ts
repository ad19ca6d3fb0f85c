import { createSign } from "node:crypto";
import { readFile } from "node:fs/promises";
import { ProviderError } from "../../errors/provider-error.js";
import { cachedToken, type ExpiringValue } from "../shared/cached-token.js";
import { isRecord, readNumber, readString } from "../shared/json-fields.js";
import { loadOptionalPackage } from "../shared/load-optional-package.js";

/** The OAuth2 scope Vertex AI needs. */
export const CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";
const DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token";
const JWT_LIFETIME_SECONDS = 3600;

/** Hands out an OAuth2 access token and when it expires. */
export type GoogleTokenSource = () => Promise<ExpiringValue<string>>;

interface ServiceAccountKey {
  clientEmail: string;
  privateKey: string;
  privateKeyId: string | undefined;
  tokenUri: string;
}

function readKeyFile(text: string, file: string): ServiceAccountKey {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not JSON`);
  }
  const clientEmail = isRecord(json) ? readString(json, "client_email") : undefined;
  const privateKey = isRecord(json) ? readString(json, "private_key") : undefined;
  if (!isRecord(json) || clientEmail === undefined || privateKey === undefined) {
    throw new Error(`${file} is not a service-account key (no client_email or private_key)`);
  }
  return {
    clientEmail,
    privateKey,
    privateKeyId: readString(json, "private_key_id"),
    tokenUri: readString(json, "token_uri") ?? DEFAULT_TOKEN_URI,
  };
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

/** A signed RS256 JWT asserting the service account, for the token endpoint `audience`. */
export function signServiceAccountJwt(
  key: { clientEmail: string; privateKey: string; privateKeyId?: string | undefined },
  audience: string,
  nowMs: number,
): string {
  const issuedAt = Math.floor(nowMs / 1000);
  const header = {
    alg: "RS256",
    typ: "JWT",
    ...(key.privateKeyId ? { kid: key.privateKeyId } : {}),
  };
  const claims = {
    iss: key.clientEmail,
    scope: CLOUD_PLATFORM_SCOPE,
    aud: audience,
    iat: issuedAt,
    exp: issuedAt + JWT_LIFETIME_SECONDS,
  };
  const unsigned = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = createSign("RSA-SHA256").update(unsigned).sign(key.privateKey);
  return `${unsigned}.${base64url(signature)}`;
}

/**
 * Access tokens for a service-account key file: a JWT signed with its private key, exchanged at the
 * file's own `token_uri` (google-auth-library always uses Google's endpoint, so this is done here,
 * with `node:crypto` and `fetch`).
 */
export function serviceAccountTokenSource(
  file: string,
  now: () => number,
  fetchImpl: typeof fetch = fetch,
): GoogleTokenSource {
  let key: Promise<ServiceAccountKey> | undefined;
  return async () => {
    key ??= readFile(file, "utf8").then((text) => readKeyFile(text, file));
    const account = await key.catch((error: unknown) => {
      key = undefined;
      throw error;
    });
    const assertion = signServiceAccountJwt(account, account.tokenUri, now());
    const response = await fetchImpl(account.tokenUri, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
        assertion,
      }).toString(),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const token = isRecord(body) ? readString(body, "access_token") : undefined;
    if (!response.ok || token === undefined) {
      const reason = isRecord(body)
        ? (readString(body, "error_description") ?? readString(body, "error"))
        : undefined;
      throw new Error(
        `the token endpoint ${account.tokenUri} answered HTTP ${response.status}${reason ? `: ${reason}` : ""}`,
      );
    }
    const expiresInSeconds = isRecord(body) ? readNumber(body, "expires_in") : undefined;
    return { value: token, expiresAtMs: now() + (expiresInSeconds ?? 3600) * 1000 };
  };
}

interface GoogleAuthPackage {
  GoogleAuth: new (options: {
    scopes: string[];
  }) => {
    getClient(): Promise<{
      getAccessToken(): Promise<{ token?: string | null }>;
      credentials?: { expiry_date?: number | null };
    }>;
  };
}

/**
 * Application default credentials (`GOOGLE_APPLICATION_CREDENTIALS`, gcloud's user credentials,
 * the metadata server) through `google-auth-library`, loaded on first use.
 */
export function applicationDefaultTokenSource(): GoogleTokenSource {
  let auth: InstanceType<GoogleAuthPackage["GoogleAuth"]> | undefined;
  return async () => {
    auth ??= new (loadOptionalPackage<GoogleAuthPackage>(
      "google-auth-library",
      "a vertex provider with application default credentials",
    ).GoogleAuth)({ scopes: [CLOUD_PLATFORM_SCOPE] });
    const client = await auth.getClient();
    const { token } = await client.getAccessToken();
    if (!token) throw new Error("application default credentials gave no access token");
    return { value: token, expiresAtMs: client.credentials?.expiry_date ?? undefined };
  };
}

/**
 * The `authorization` header, from tokens cached until five minutes before they expire. A source
 * that fails is an `auth` failure of this provider, never a crash; no token is ever in a message.
 */
export function googleAuthHeaders(
  source: GoogleTokenSource,
  provider: string,
  now: () => number,
): () => Promise<Record<string, string>> {
  const token = cachedToken(
    async () => {
      try {
        const fresh = await source();
        return {
          value: { authorization: `Bearer ${fresh.value}` },
          expiresAtMs: fresh.expiresAtMs,
        };
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        throw new ProviderError(
          `${provider}: could not get a Google access token: ${detail.slice(0, 300)}`,
          {
            kind: "auth",
            provider,
            cause: error,
          },
        );
      }
    },
    { now },
  );
  return token;
}
