import { ProviderError } from "../../errors/provider-error.js";

const WINDOW_MS = 60_000;

/**
 * A provider key's own request and token limits (`keys[].rpm`, `keys[].tpm`), over a sliding minute,
 * in this instance. A call that would break them is refused before it is sent, as a rate limit with
 * the wait until the window frees up: the engine cools the key down and fails over to its siblings.
 */
export class KeyLimits {
  private readonly requests: number[] = [];
  private readonly tokens: { atMs: number; count: number }[] = [];
  private tokenSum = 0;

  constructor(
    private readonly label: string,
    private readonly rpm: number | undefined,
    private readonly tpm: number | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a request against the limits, or throws the rate limit it would break. */
  admit(): void {
    const now = this.now();
    this.prune(now);
    if (this.rpm !== undefined && this.requests.length >= this.rpm) {
      throw this.refusal(`rpm limit of ${this.rpm}`, (this.requests[0] ?? now) + WINDOW_MS - now);
    }
    if (this.tpm !== undefined && this.tokenSum >= this.tpm) {
      throw this.refusal(
        `tpm limit of ${this.tpm}`,
        (this.tokens[0]?.atMs ?? now) + WINDOW_MS - now,
      );
    }
    this.requests.push(now);
  }

  /** Counts the tokens a served call used. */
  recordTokens(count: number): void {
    if (this.tpm === undefined || !(count > 0)) return;
    this.tokens.push({ atMs: this.now(), count });
    this.tokenSum += count;
  }

  private prune(now: number): void {
    const since = now - WINDOW_MS;
    while ((this.requests[0] ?? now) <= since) this.requests.shift();
    while ((this.tokens[0]?.atMs ?? now) <= since) this.tokenSum -= this.tokens.shift()?.count ?? 0;
  }

  private refusal(limit: string, waitMs: number): ProviderError {
    return new ProviderError(`${this.label} is at its ${limit} per minute (not sent)`, {
      kind: "rate_limited",
      retryAfterMs: Math.max(1, Math.ceil(waitMs)),
      vendorCode: "local_key_limit",
    });
  }
}
