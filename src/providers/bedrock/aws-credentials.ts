import { ProviderError } from "../../errors/provider-error.js";
import { cachedToken } from "../shared/cached-token.js";
import { loadOptionalPackage } from "../shared/load-optional-package.js";

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** When temporary credentials stop working. */
  expiration?: Date;
}

/** Anything that hands out AWS credentials: the SDK's providers fit, and so does a test's stub. */
export type AwsCredentialSource = () => Promise<AwsCredentials>;

/** The SDK's chain: `forceRefresh` makes it fetch anew rather than hand back what it holds. */
type SdkCredentialProvider = (options?: { forceRefresh?: boolean }) => Promise<AwsCredentials>;

interface CredentialProvidersPackage {
  fromNodeProviderChain: (options?: Record<string, unknown>) => SdkCredentialProvider;
}

/**
 * The AWS default credential chain (environment, shared config and SSO profiles, web identity,
 * ECS and EC2 instance metadata), from `@aws-sdk/credential-providers`, loaded on first use. It is
 * asked with `forceRefresh`: `cachedCredentials` calls it only when it wants new credentials, and
 * the SDK's own cache would otherwise answer near expiry with the old ones (refreshing them in the
 * background for a later call).
 */
export function defaultCredentialChain(): AwsCredentialSource {
  let chain: SdkCredentialProvider | undefined;
  return () => {
    chain ??= loadOptionalPackage<CredentialProvidersPackage>(
      "@aws-sdk/credential-providers",
      "a bedrock provider without keys",
    ).fromNodeProviderChain();
    return chain({ forceRefresh: true });
  };
}

/**
 * Credentials from `source`, cached until five minutes before they expire (static ones forever).
 * A source that fails is an `auth` failure of this provider; the message names no secret.
 */
export function cachedCredentials(
  source: AwsCredentialSource,
  provider: string,
  now: () => number,
): () => Promise<AwsCredentials> {
  return cachedToken(
    async () => {
      let credentials: AwsCredentials;
      try {
        credentials = await source();
      } catch (error) {
        const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        throw new ProviderError(
          `${provider}: could not get AWS credentials: ${detail.slice(0, 300)}`,
          {
            kind: "auth",
            provider,
            cause: error,
          },
        );
      }
      return { value: credentials, expiresAtMs: credentials.expiration?.getTime() };
    },
    { now },
  );
}
