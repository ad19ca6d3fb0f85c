/** The options every LLM adapter accepts; each adapter extends them with its own. */
export interface AdapterOptions {
  /** Sent as the vendor's auth header; never appears in error messages. */
  apiKey: string;
  /** The API root; the vendor default when absent. */
  baseUrl?: string;
  /** The provider name in errors; defaults to the adapter type. */
  name?: string;
  /** Extra headers sent on every request (e.g. an attribution header some routers ask for). */
  headers?: Record<string, string>;
  /**
   * Top-level request fields this server rejects although its protocol has them: on a same-protocol
   * pass-through a request using one is not sent here. Default none (presets may add some).
   */
  unsupportedFields?: readonly string[];
  /** Time to open a connection; default 10_000. */
  connectTimeoutMs?: number;
  /** Time until response headers arrive; default 60_000. */
  firstByteTimeoutMs?: number;
  /** Longest gap between body chunks (a stalled stream); default 30_000. */
  idleTimeoutMs?: number;
  /** Pooled keep-alive connections per origin; default 128. */
  maxConnections?: number;
  /**
   * Which of the vendor's chat APIs to call, for adapters that speak more than one: `chat` (Chat
   * Completions, the default) or `responses` (the Responses API).
   */
  api?: "chat" | "responses";
  /**
   * Bytes buffered from one answer at most (a JSON body, an error body, one stream event), counted
   * after content decoding; past it the call fails as `transient`. Default 67_108_864 (64 MiB).
   */
  maxResponseBytes?: number;
  /** The wall clock, for Retry-After dates; default `Date.now`. */
  now?: () => number;
}
