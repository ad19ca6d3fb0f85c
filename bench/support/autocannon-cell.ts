import autocannon from "autocannon";

export interface AutocannonCellOptions {
  /** Full URL of the endpoint. */
  url: string;
  body: string;
  connections: number;
  durationSeconds: number;
  /** Fixed rate over all connections; absent: closed loop (as fast as answers come). */
  ratePerSecond?: number;
}

export interface AutocannonCellResult {
  requests: number;
  /** How long it ran. */
  seconds: number;
  /** Latency of each 2xx answer, ms. */
  latenciesMs: number[];
  /** Socket errors, timeouts and non-2xx answers together. */
  errors: number;
}

/**
 * One autocannon run. Latencies are taken from each response as autocannon timed it (fractions of a
 * millisecond kept: its own histogram rounds to whole milliseconds, too coarse on loopback), and at
 * a fixed rate without its coordinated-omission filler samples.
 */
export async function runAutocannonCell(
  options: AutocannonCellOptions,
): Promise<AutocannonCellResult> {
  const latencies: number[] = [];
  const instance = autocannon({
    url: options.url,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: options.body,
    connections: options.connections,
    duration: options.durationSeconds,
    timeout: 30,
    ...(options.ratePerSecond === undefined
      ? {}
      : { overallRate: options.ratePerSecond, ignoreCoordinatedOmission: true }),
  });
  instance.on("response", (_client: unknown, statusCode: number, _bytes: number, ms: number) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(ms);
  });
  const result = await instance;
  return {
    requests: result.requests.total,
    seconds: result.duration,
    latenciesMs: latencies,
    errors: result.errors + result.non2xx,
  };
}
