// The few parts of autocannon's API the benchmarks use (the package ships no types).
declare module "autocannon" {
  import type { EventEmitter } from "node:events";

  interface AutocannonOptions {
    url: string;
    method?: "GET" | "POST";
    headers?: Record<string, string>;
    body?: string;
    /** Concurrent connections (closed loop: each sends its next request when the last is answered). */
    connections?: number;
    /** Seconds. */
    duration?: number;
    /** Requests per second over all connections. */
    overallRate?: number;
    /** Seconds before a request counts as timed out. */
    timeout?: number;
    /** Record latencies as measured, without adding estimated delayed samples at a fixed rate. */
    ignoreCoordinatedOmission?: boolean;
    pipelining?: number;
  }

  interface AutocannonHistogram {
    average: number;
    p50: number;
    p99: number;
    max: number;
    total: number;
  }

  interface AutocannonResult {
    /** Seconds actually run. */
    duration: number;
    requests: AutocannonHistogram;
    latency: AutocannonHistogram;
    errors: number;
    timeouts: number;
    non2xx: number;
    "2xx": number;
  }

  interface AutocannonInstance extends EventEmitter, PromiseLike<AutocannonResult> {
    stop(): void;
  }

  function autocannon(options: AutocannonOptions): AutocannonInstance;
  export default autocannon;
  export type { AutocannonInstance, AutocannonOptions, AutocannonResult };
}
