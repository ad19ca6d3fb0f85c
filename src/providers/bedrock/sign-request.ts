import { loadOptionalPackage } from "../shared/load-optional-package.js";
import type { AwsCredentials } from "./aws-credentials.js";
import { NodeSha256 } from "./node-sha256.js";

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

let signatureV4: SignatureV4Package["SignatureV4"] | undefined;

/**
 * One signer per credentials object and region: the SDK's signer keeps the day's signing key, so a
 * signer reused for the same credentials derives it once a day rather than on every request.
 */
const signers = new WeakMap<AwsCredentials, Map<string, Signer>>();

function signerFor(credentials: AwsCredentials, region: string, service: string): Signer {
  signatureV4 ??= loadOptionalPackage<SignatureV4Package>(
    "@smithy/signature-v4",
    "AWS request signing",
  ).SignatureV4;
  let byScope = signers.get(credentials);
  if (byScope === undefined) {
    byScope = new Map();
    signers.set(credentials, byScope);
  }
  const scope = `${region}/${service}`;
  let signer = byScope.get(scope);
  if (signer === undefined) {
    signer = new signatureV4({
      credentials,
      region,
      service,
      sha256: NodeSha256,
      uriEscapePath: true,
    });
    byScope.set(scope, signer);
  }
  return signer;
}

/**
 * Signs a request with AWS Signature Version 4 through the AWS SDK's own signer
 * (`@smithy/signature-v4`, loaded on first use, hashing with Node's crypto: `NodeSha256`); returns
 * the headers to send (`authorization`, `x-amz-date`, `x-amz-security-token` and
 * `x-amz-content-sha256` added).
 */
export async function signRequest(
  request: SignableRequest,
  options: { credentials: AwsCredentials; region: string; service: string; signingDate?: Date },
): Promise<Record<string, string>> {
  const signer = signerFor(options.credentials, options.region, options.service);
  const signed = await signer.sign(
    { ...request, query: request.query ?? {} },
    options.signingDate === undefined ? {} : { signingDate: options.signingDate },
  );
  return signed.headers;
}
