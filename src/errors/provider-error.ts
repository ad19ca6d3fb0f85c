import type { ErrorKind } from "./error-kind.js";
import { SwitchyardError } from "./switchyard-error.js";

export interface ProviderErrorOptions {
  kind: ErrorKind;
  /** The provider's name, when known. */
  provider?: string;
  /** The HTTP status the provider answered with, if any. */
  status?: number;
  /** How long the provider asked us to wait before trying it again. */
  retryAfterMs?: number;
  /** The vendor's own error code or type (e.g. `insufficient_quota`), for logs and traces. */
  vendorCode?: string;
  cause?: unknown;
}

/** A failure of one provider call, already classified. Adapters throw these at their boundary. */
export class ProviderError extends SwitchyardError {
  readonly kind: ErrorKind;
  readonly provider: string | undefined;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly vendorCode: string | undefined;

  constructor(message: string, options: ProviderErrorOptions) {
    super(`provider_${options.kind}`, message, { cause: options.cause });
    this.kind = options.kind;
    this.provider = options.provider;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.vendorCode = options.vendorCode;
  }
}

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}
