import type {
  MockRequestContext,
  RenderedResponse,
} from "../../../testing/mock-kit/mock-vendor.js";
import { bedrockError } from "./bedrock-mock-errors.js";
import { sigV4Headers } from "./mock-aws-packages.js";

/**
 * The secret the mock expects for an access key id. Any access key id works; its secret is derived
 * from it, so tests can use many keys and the mock can still check every signature.
 */
export function bedrockMockSecret(accessKeyId: string): string {
  return `${accessKeyId}/mock-secret`;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

/** The access key id a request was signed with, read from its `authorization` header. */
export function signedAccessKeyId(authorization: string | undefined): string | undefined {
  return authorization === undefined ? undefined : AUTHORIZATION.exec(authorization)?.[1];
}

/**
 * Checks a request's SigV4 signature by signing the same request again with the AWS SDK's signer
 * (the secret from `bedrockMockSecret`, the date, region and service the request claims) and
 * comparing. Answers as Bedrock does: 403 `MissingAuthenticationTokenException` without a
 * signature, `InvalidSignatureException` for a wrong one.
 */
export async function verifyBedrockSignature(
  context: MockRequestContext,
): Promise<RenderedResponse | undefined> {
  const authorization = header(context, "authorization");
  const found = authorization === undefined ? null : AUTHORIZATION.exec(authorization);
  const date = header(context, "x-amz-date");
  if (found === null || date === undefined) {
    return bedrockError(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
  }
  const [, accessKeyId = "", , region = "", service = "", signedHeaders = ""] = found;
  const headers: Record<string, string> = {};
  for (const name of signedHeaders.split(";")) {
    if (name === "x-amz-date" || name === "x-amz-security-token") continue;
    headers[name] = header(context, name) ?? "";
  }
  const sessionToken = header(context, "x-amz-security-token");
  const host = header(context, "host") ?? "";
  const [hostname = "", port] = host.split(":");
  const query = Object.fromEntries(context.query.entries());
  const expected = await sigV4Headers(
    {
      method: context.method,
      protocol: "http:",
      hostname,
      ...(port === undefined ? {} : { port: Number(port) }),
      path: context.path,
      query,
      headers,
      ...(context.rawBody === undefined ? {} : { body: context.rawBody }),
    },
    {
      credentials: {
        accessKeyId,
        secretAccessKey: bedrockMockSecret(accessKeyId),
        ...(sessionToken === undefined ? {} : { sessionToken }),
      },
      region,
      service,
      signingDate: parseAmzDate(date),
    },
  );
  if (expected.authorization === authorization) return undefined;
  return bedrockError(
    403,
    "InvalidSignatureException",
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
  );
}

function header(context: MockRequestContext, name: string): string | undefined {
  const value = context.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/** `20250102T030405Z` -> the Date. */
function parseAmzDate(text: string): Date {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (match === null) return new Date(Number.NaN);
  const [, year, month, day, hour, minute, second] = match.map(Number);
  return new Date(
    Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 0, hour ?? 0, minute ?? 0, second ?? 0),
  );
}
