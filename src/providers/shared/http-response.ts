/** An upstream's answer at its headers: what `HttpClient.request` resolves with. */
export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Read once. Network faults while reading are thrown as ProviderError (a stall is `timeout`). */
  body: AsyncIterable<Uint8Array>;
  text(): Promise<string>;
  /** Throws a `transient` ProviderError on malformed JSON. */
  json(): Promise<unknown>;
}
