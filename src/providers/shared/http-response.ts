import type { SseEvents } from "./parse-sse.js";

/** An upstream's answer at its headers: what `HttpClient.request` resolves with. */
export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /**
   * Read once, decoded when sent with a `content-encoding` (gzip, br, deflate). Network faults while
   * reading are thrown as ProviderError (a stall is `timeout`). Not size-limited: the reader pulls.
   */
  body: AsyncIterable<Uint8Array>;
  /** The whole body, within `maxResponseBytes`. */
  text(): Promise<string>;
  /** Throws a `transient` ProviderError on malformed JSON or a body past `maxResponseBytes`. */
  json(): Promise<unknown>;
  /** The body as server-sent events, each within `maxResponseBytes`. */
  events(): SseEvents;
}
