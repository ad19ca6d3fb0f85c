/** What the engine hands a provider on each call. */
export interface ProviderContext {
  /**
   * Aborted when the attempt times out, loses a hedge, the caller cancels, or the factory closes
   * with in-flight calls. `signal.reason` says which.
   */
  readonly signal: AbortSignal;
  /** 1 for the first attempt on this provider within the call, 2 for its first retry, and so on. */
  readonly attempt: number;
  /** The target id the provider was registered under. */
  readonly targetId: string;
  /**
   * The same cancellation as `signal`, cheaper to watch: the engine's contexts have it. Node builds
   * an `AbortSignal` slowly (about 3 us, and as much again to add and remove a listener), so code
   * that only needs to know when the attempt is aborted watches this when it is there.
   */
  readonly cancellation?: Cancellation;
}

/** An attempt's cancellation, watched without an `AbortSignal`. */
export interface Cancellation {
  readonly aborted: boolean;
  /** Why the attempt was aborted (what `signal.reason` would be). */
  readonly abortReason: unknown;
  /**
   * Calls `listener` once, when the attempt is aborted (not if it already is: check `aborted`
   * first); returns the function that stops listening.
   */
  onAbort(listener: () => void): () => void;
}

/**
 * Anything that can serve a call: a chat model, an embeddings endpoint, a text-to-speech voice, an
 * image generator. A provider signals failure by throwing; a `ProviderError` carries its
 * classification, and plain errors with a numeric `status` or a network `code` are classified too.
 */
export interface Provider<Request, Result, Chunk = unknown> {
  generate(request: Request, context: ProviderContext): Promise<Result>;
  /** Optional streaming: chunks as they come. A throw before the first chunk still fails over. */
  stream?(request: Request, context: ProviderContext): AsyncIterable<Chunk>;
  /** Optional liveness probe; resolve for healthy, throw for unhealthy. */
  healthCheck?(context: ProviderContext): Promise<unknown>;
}
