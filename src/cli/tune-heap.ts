import { setFlagsFromString } from "node:v8";

/**
 * How far V8 lets the heap grow past what the last full collection kept, in percent. V8's own
 * factor adapts between 1.1x and 4x and, under a steady request load, settles near the top: the
 * gateway (about 30 MB live) then held a 110 MB heap and 170 MB of RSS after a load run. At 1.3x the
 * same run ends near 70 MB of heap and 140 MB of RSS, at the same throughput (bench/README.md).
 */
export const HEAP_GROWING_PERCENT = 30;

/*
 * The young generation is left at V8's default (16 MB semi-spaces, 32 MB once grown, which startup
 * already does). `--max-semi-space-size` cannot be set here: V8 reads it when the heap is set up;
 * set through `setFlagsFromString` the new space stayed at 32 MB. Given on the node command line, 8
 * took 15 to 18 MB off the RSS after 30k-40k requests (132-138 -> 116-120 MB) but cost about 11%
 * more CPU per plain request and 22% per streamed one (means of 7 runs each, 50 connections, the
 * bench's one-provider config); 12 rounds up to 16.
 */

/**
 * Sets V8's heap growing factor for a long-running `switchyard` process, unless the node command line
 * already sets one (`node --heap-growing-percent=N dist/cli/main.js`; Node refuses it in
 * `NODE_OPTIONS`). Process-wide, so only the executable calls it, never the library. Returns the
 * flag it set, if any.
 */
export function tuneHeap(
  execArgv: readonly string[] = process.execArgv,
  setFlags: (flags: string) => void = setFlagsFromString,
): string | undefined {
  const given = execArgv.some((argument) => /^--heap[-_]growing[-_]percent\b/.test(argument));
  if (given) return undefined;
  const flag = `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
  setFlags(flag);
  return flag;
}
