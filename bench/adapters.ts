// Adapter benchmark: the per-call time of our LLM adapters next to the official SDKs, against the
// same mock provider server in the same run, plus the streaming parse throughput of our adapters.
//
//   npm run bench:adapters               a table
//   npm run -s bench:adapters -- --json  one JSON object: {"adapters": {...}, "environment": {...}}
//
// Options: --batches N (default 41), --calls N per batch (default 50), --warmup N (default 300),
// --stream-chunks N (default 2000), --stream-runs N (default 15), --cpu-time (time the calls by
// this process's CPU time instead of the wall clock: the client's own cost, the mock's excluded).
//
// A call is a whole non-streaming generate, awaited, sequential, timed the same way for both
// clients; both figures include the same mock server time. So the mock runs in its own process (as
// a real upstream would), with request recording off, and the environment reports the floor: the
// same request sent with undici's bare `request()`, i.e. the mock and the network alone.

import { fileURLToPath } from "node:url";
import { type AdapterBenchSettings, runAdapterBench } from "./support/adapter-bench.js";
import { serveMock } from "./support/adapter-mock-process.js";

/** The command line: `--json`, and the settings of the benchmark. */
interface Cli {
  json: boolean;
  settings: AdapterBenchSettings;
}

function parseCli(argv: readonly string[]): Cli {
  const count = (flag: string, fallback: number): number => {
    const at = argv.indexOf(flag);
    if (at === -1) return fallback;
    const value = Number(argv[at + 1]);
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`${flag} must be a positive integer (got ${argv[at + 1]})`);
    }
    return value;
  };
  return {
    json: argv.includes("--json"),
    settings: {
      cpuTime: argv.includes("--cpu-time"),
      batches: count("--batches", 41),
      calls: count("--calls", 50),
      warmup: count("--warmup", 300),
      streamChunks: count("--stream-chunks", 2000),
      streamRuns: count("--stream-runs", 15),
    },
  };
}

async function main(): Promise<void> {
  const { json, settings } = parseCli(process.argv.slice(2));
  // The mock runs in a child process of this same script (`--serve-mock`, below).
  const { adapters, environment } = await runAdapterBench(settings, fileURLToPath(import.meta.url));
  const { floorNsPerCall } = environment;
  if (json) {
    console.log(JSON.stringify({ adapters, environment }));
    return;
  }
  const us = (ns: number | undefined) => ((ns ?? 0) / 1000).toFixed(1).padStart(10);
  const { node, cpu, cpuCount, timing } = environment;
  console.log(`node ${node}, ${cpu} x${cpuCount}, ${timing} time`);
  console.log("adapter         ours us    SDK us    ratio   floor us   stream chunks/s");
  for (const [name, figures] of Object.entries(adapters)) {
    const row = [
      name.padEnd(13),
      us(figures.nsPerCall),
      us(figures.sdkNsPerCall),
      String(figures.ratio).padStart(9),
      us(floorNsPerCall[name]),
      String(figures.streamChunksPerSecond).padStart(18),
    ];
    console.log(row.join(""));
  }
  console.log(environment.note);
}

if (process.argv[2] === "--serve-mock") {
  await serveMock(Number(process.argv[3] ?? 2000));
} else {
  await main();
}
