import type {
  MockRequestContext,
  RenderedResponse,
} from "../../../testing/mock-kit/mock-vendor.js";
import { randomHex } from "../../../testing/mock-kit/mock-wire-helpers.js";

/** How long the mock's access tokens live. */
export const VERTEX_MOCK_TOKEN_LIFETIME_SECONDS = 3600;
const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const TOKEN = /^ya29\.mock-(\d+)-[0-9a-f]{16}$/;

/**
 * A mock access token that expires at `expiresAtMs` (the mock keeps no state: the expiry is in the
 * token).
 */
export function vertexMockToken(expiresAtMs: number): string {
  return `ya29.mock-${Math.floor(expiresAtMs / 1000)}-${randomHex(16)}`;
}

/**
 * The OAuth2 token endpoint (`POST /token`): takes a JWT-bearer grant whose assertion is an RS256
 * JWT for the cloud-platform scope with this endpoint as its audience, and answers an access token.
 * The JWT's claims are checked, not its signature (the mock has no public key).
 */
export function answerTokenRequest(context: MockRequestContext): RenderedResponse {
  const form = new URLSearchParams(context.rawBody ?? "");
  if (form.get("grant_type") !== JWT_BEARER) {
    return oauthError(400, "unsupported_grant_type", "Invalid grant_type.");
  }
  const parts = (form.get("assertion") ?? "").split(".");
  const header = decodePart(parts[0]);
  const claims = decodePart(parts[1]);
  const host = context.headers.host ?? "";
  const nowSeconds = Date.now() / 1000;
  if (parts.length !== 3 || header?.alg !== "RS256" || claims === undefined) {
    return oauthError(400, "invalid_grant", "Invalid JWT: not an RS256 JWT.");
  }
  if (claims.aud !== `http://${host}${context.path}`) {
    return oauthError(400, "invalid_grant", "Invalid JWT: audience is not this token endpoint.");
  }
  if (typeof claims.exp !== "number" || claims.exp < nowSeconds) {
    return oauthError(400, "invalid_grant", "Invalid JWT: Token must be a short-lived token.");
  }
  if (typeof claims.iss !== "string" || !String(claims.scope).includes("cloud-platform")) {
    return oauthError(400, "invalid_scope", "Invalid JWT: no issuer or scope.");
  }
  const lifetimeMs = VERTEX_MOCK_TOKEN_LIFETIME_SECONDS * 1000;
  return {
    status: 200,
    headers: { "content-type": "application/json; charset=utf-8" },
    body: JSON.stringify({
      access_token: vertexMockToken(Date.now() + lifetimeMs),
      expires_in: VERTEX_MOCK_TOKEN_LIFETIME_SECONDS - 1,
      token_type: "Bearer",
    }),
  };
}

/** Google's 401 for a request without a valid, unexpired bearer token; `undefined` if it has one. */
export function checkBearerToken(context: MockRequestContext): RenderedResponse | undefined {
  const found = /^Bearer (.+)$/.exec(context.headers.authorization ?? "");
  const token = found === null ? null : TOKEN.exec(found[1] ?? "");
  if (token !== null && Number(token[1]) * 1000 > Date.now()) return undefined;
  return {
    status: 401,
    headers: {
      "content-type": "application/json; charset=UTF-8",
      "www-authenticate": 'Bearer realm="https://accounts.google.com/"',
    },
    body: JSON.stringify({
      error: {
        code: 401,
        message:
          "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
        status: "UNAUTHENTICATED",
      },
    }),
  };
}

function decodePart(part: string | undefined): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part ?? "", "base64url").toString("utf8"));
    return typeof value === "object" && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function oauthError(status: number, error: string, description: string): RenderedResponse {
  return {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
    body: JSON.stringify({ error, error_description: description }),
  };
}
