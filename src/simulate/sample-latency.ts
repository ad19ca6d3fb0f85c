import type { LatencySpec } from "./scenario-schema.js";
import type { SeededRandom } from "./seeded-random.js";

/** The standard normal's 99th percentile: a lognormal's p99 is `median * exp(sigma * Z99)`. */
const Z99 = 2.326_347_874;

/** One latency draw in milliseconds: fixed, or lognormal fitted to the median and p99. */
export function sampleLatency(spec: LatencySpec, random: SeededRandom): number {
  if (spec.kind === "fixed") return spec.ms;
  if (spec.p99Ms <= spec.medianMs) return spec.medianMs;
  const sigma = Math.log(spec.p99Ms / spec.medianMs) / Z99;
  return spec.medianMs * Math.exp(sigma * random.normal());
}
