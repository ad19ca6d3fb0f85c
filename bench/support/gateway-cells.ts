import type { Dispatcher } from "undici";
import { runAutocannonCell } from "./autocannon-cell.js";
import { runOpenLoop } from "./open-loop.js";

/** What one cell measured; cells of the same kind from several rounds are added up. */
export interface CellSample {
  requests: number;
  seconds: number;
  /** Latencies of the successful requests, ms (first-byte times for the `ttfb` cell). */
  latenciesMs: number[];
  errors: number;
}

export const GATEWAY_CELLS = [
  "throughput",
  "latency",
  "streamThroughput",
  "streamLatency",
  "ttfb",
] as const;
export type GatewayCell = (typeof GATEWAY_CELLS)[number];

export interface CellSettings {
  connections: number;
  ratePerSecond: number;
  cellSeconds: number;
  ttfbSeconds: number;
}

/** The request every target gets: the same bytes, to the mock or through a proxy or gateway. */
export function chatBody(stream: boolean): string {
  return JSON.stringify({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: "Say hello." }],
    max_tokens: 64,
    ...(stream ? { stream: true } : {}),
  });
}

const PATH = "/v1/chat/completions";

async function autocannonSample(
  origin: string,
  stream: boolean,
  connections: number,
  seconds: number,
  ratePerSecond?: number,
): Promise<CellSample> {
  const result = await runAutocannonCell({
    url: `${origin}${PATH}`,
    body: chatBody(stream),
    connections,
    durationSeconds: seconds,
    ...(ratePerSecond === undefined ? {} : { ratePerSecond }),
  });
  return {
    requests: result.requests,
    seconds: result.seconds,
    latenciesMs: result.latenciesMs,
    errors: result.errors,
  };
}

/** Closed loop: `connections` connections, each sending its next request as soon as it is answered. */
export function closedLoopCell(
  origin: string,
  stream: boolean,
  settings: CellSettings,
  seconds = settings.cellSeconds,
): Promise<CellSample> {
  return autocannonSample(origin, stream, settings.connections, seconds);
}

/**
 * Autocannon at a fixed rate on one connection. Its rate limit lets each connection send its
 * per-second quota back to back at the top of every second, so with many connections a "fixed
 * rate" is a synchronised burst and the median measures queueing in it. With one connection the
 * requests go one after another, never two in flight: the median is the unloaded latency.
 */
export function fixedRateCell(
  origin: string,
  stream: boolean,
  settings: CellSettings,
): Promise<CellSample> {
  return autocannonSample(origin, stream, 1, settings.cellSeconds, settings.ratePerSecond);
}

/** Streams sent at evenly spaced times (open loop); the samples are the times to the first byte. */
export async function firstByteCell(
  origin: string,
  settings: CellSettings,
  dispatcher: Dispatcher,
): Promise<CellSample> {
  const records = await runOpenLoop({
    dispatcher,
    origin,
    path: PATH,
    body: chatBody(true),
    stream: true,
    ratePerSecond: settings.ratePerSecond,
    durationMs: settings.ttfbSeconds * 1000,
  });
  const good = records.filter((record) => record.ok);
  return {
    requests: records.length,
    seconds: settings.ttfbSeconds,
    latenciesMs: good.map((record) => record.firstByteMs ?? record.latencyMs),
    errors: records.length - good.length,
  };
}
