import { ProviderError } from "../../errors/provider-error.js";
import { cachedToken } from "../shared/cached-token.js";
import { loadOptionalPackage } from "../shared/load-optional-package.js";

/** The scope of Azure OpenAI (Cognitive Services) tokens. */
export const AZURE_OPENAI_SCOPE = "https://cognitiveservices.azure.com/.default";

/**
 * The part of `@azure/identity`'s `TokenCredential` the adapter uses. Any credential of that
 * library fits, and so does a test's stand-in: offline tests inject one rather than run an HTTPS
 * token server.
 */
export interface AzureTokenCredential {
  getToken(
    scopes: string | string[],
    options?: { abortSignal?: AbortSignal },
  ): Promise<{ token: string; expiresOnTimestamp: number; refreshAfterTimestamp?: number } | null>;
}

/** How the adapter authenticates when it has no API key. */
export type AzureAuth =
  | {
      type: "entra";
      tenantId: string;
      clientId: string;
      clientSecret: string;
      /** Default `https://login.microsoftonline.com`. */
      authorityHost?: string;
    }
  | { type: "managed-identity"; clientId?: string };

interface IdentityPackage {
  ClientSecretCredential: new (
    tenantId: string,
    clientId: string,
    clientSecret: string,
    options?: { authorityHost?: string },
  ) => AzureTokenCredential;
  ManagedIdentityCredential: new (options?: { clientId?: string }) => AzureTokenCredential;
}

/** The credential for an `auth` setting, from `@azure/identity` (loaded on first use). */
export function createAzureCredential(auth: AzureAuth): AzureTokenCredential {
  const identity = loadOptionalPackage<IdentityPackage>(
    "@azure/identity",
    "an azure-openai provider with Entra ID auth",
  );
  if (auth.type === "entra") {
    return new identity.ClientSecretCredential(auth.tenantId, auth.clientId, auth.clientSecret, {
      ...(auth.authorityHost === undefined ? {} : { authorityHost: auth.authorityHost }),
    });
  }
  return new identity.ManagedIdentityCredential(
    auth.clientId === undefined ? {} : { clientId: auth.clientId },
  );
}

/**
 * The `authorization` header from an Entra ID token, cached until shortly before it expires (or
 * until the credential's own `refreshAfterTimestamp`). A credential that fails, or gives no token,
 * is an `auth` failure of this provider; its message never carries the secret.
 */
export function azureTokenHeaders(options: {
  provider: string;
  credential: () => AzureTokenCredential;
  secret: string | undefined;
  now: () => number;
}): () => Promise<Record<string, string>> {
  const { provider, now } = options;
  const token = cachedToken(
    async () => {
      let answer: Awaited<ReturnType<AzureTokenCredential["getToken"]>>;
      try {
        answer = await options.credential().getToken(AZURE_OPENAI_SCOPE);
      } catch (error) {
        throw tokenError(provider, error, options.secret);
      }
      if (answer === null) throw tokenError(provider, new Error("no token"), options.secret);
      const refreshAtMs = answer.refreshAfterTimestamp;
      return {
        value: { authorization: `Bearer ${answer.token}` },
        // With a refresh time from the credential, honour it (the margin is then measured from it).
        expiresAtMs:
          refreshAtMs === undefined ? answer.expiresOnTimestamp : refreshAtMs + REFRESH_MARGIN_MS,
      };
    },
    { now, refreshMarginMs: REFRESH_MARGIN_MS },
  );
  return token;
}

const REFRESH_MARGIN_MS = 300_000;

function tokenError(provider: string, cause: unknown, secret: string | undefined): ProviderError {
  let detail = cause instanceof Error ? cause.message : String(cause);
  if (secret !== undefined && secret !== "") detail = detail.replaceAll(secret, "***");
  return new ProviderError(
    `${provider}: could not get an Entra ID token: ${detail.slice(0, 300)}`,
    { kind: "auth", provider },
  );
}
