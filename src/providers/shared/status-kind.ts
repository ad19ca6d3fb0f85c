import type { ErrorKind } from "../../errors/error-kind.js";

/**
 * The default classification of an HTTP status, before any vendor-specific reading of the body.
 * 429 rate_limited, 402 quota_exhausted, 401/403 auth, 404 not_found, 408/5xx transient (529 is an
 * overload status some vendors use), other 4xx (413 included) invalid_request.
 */
export function kindForStatus(status: number): ErrorKind {
  switch (status) {
    case 429:
      return "rate_limited";
    case 402:
      return "quota_exhausted";
    case 401:
    case 403:
      return "auth";
    case 404:
      return "not_found";
    case 408:
      return "transient";
  }
  if (status >= 500 && status <= 599) return "transient";
  if (status >= 400 && status <= 499) return "invalid_request";
  return "unknown";
}
