import { loadOptionalPackage } from "../shared/load-optional-package.js";
import type { AwsCredentials } from "./aws-credentials.js";

/** What SigV4 covers: the request as it will be sent. */
export interface SignableRequest {
  method: string;
  /** `https:` or `http:`. */
  protocol: string;
  hostname: string;
  port?: number;
  /** The path exactly as sent (already percent-encoded). */
  path: string;
  query?: Record<string, string>;
  headers: Record<string, string>;
  body?: string;
}

interface Signer {
  sign(request: SignableRequest, options?: { signingDate?: Date }): Promise<SignableRequest>;
}

interface SignatureV4Package {
  SignatureV4: new (options: {
    credentials: AwsCredentials;
    region: string;
    service: string;
    sha256: unknown;
    uriEscapePath?: boolean;
  }) => Signer;
}

interface Sha256Package {
  Sha256: unknown;
}

/**
 * Signs a request with AWS Signature Version 4 through the AWS SDK's own signer
 * (`@smithy/signature-v4` with `@aws-crypto/sha256-js`, loaded on first use); returns the headers
 * to send (`authorization`, `x-amz-date`, `x-amz-security-token` and `x-amz-content-sha256` added).
 */
export async function signRequest(
  request: SignableRequest,
  options: { credentials: AwsCredentials; region: string; service: string; signingDate?: Date },
): Promise<Record<string, string>> {
  const { SignatureV4 } = loadOptionalPackage<SignatureV4Package>(
    "@smithy/signature-v4",
    "AWS request signing",
  );
  const { Sha256 } = loadOptionalPackage<Sha256Package>(
    "@aws-crypto/sha256-js",
    "AWS request signing",
  );
  const signer = new SignatureV4({
    credentials: options.credentials,
    region: options.region,
    service: options.service,
    sha256: Sha256,
    uriEscapePath: true,
  });
  const signed = await signer.sign(
    { ...request, query: request.query ?? {} },
    options.signingDate === undefined ? {} : { signingDate: options.signingDate },
  );
  return signed.headers;
}
