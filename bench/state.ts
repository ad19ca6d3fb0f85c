// State benchmark: gateway throughput with in-memory state, with Redis shared state (`state.redis`,
// a throwaway redis-server) and with Redis plus the SQL trace store (`database: sqlite:<tmp file>`),
// in one run, cells interleaved, on loopback against the mock provider.
//
//   npm run bench:state                 a table
//   npm run -s bench:state -- --json    one JSON object: {"memory": {"rps": n}, ..., "cost": n}
//
// Options: --rounds N (default 2), --cell-seconds N (4), --warmup-seconds N (2; 0 skips),
// --connections N (50),
// --cpu-prof DIR (a CPU profile of the redisAndTraces gateway; read it with
// `node --import tsx bench/support/summarize-profile.ts DIR/*.cpuprofile`).

import { resolve } from "node:path";
import {
  DEFAULT_STATE_SETTINGS,
  runStateBench,
  STATE_TARGETS,
  type StateBenchSettings,
} from "./support/state-bench.js";

const NUMBER_FLAGS = {
  "--rounds": "rounds",
  "--cell-seconds": "cellSeconds",
  "--warmup-seconds": "warmupSeconds",
  "--connections": "connections",
} as const;

function parseCli(argv: readonly string[]): { json: boolean; settings: StateBenchSettings } {
  const cli = { json: false, settings: { ...DEFAULT_STATE_SETTINGS } };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index] ?? "";
    const value = argv[index + 1];
    if (flag === "--json") cli.json = true;
    else if (flag === "--cpu-prof" && value) {
      cli.settings.cpuProfileDir = resolve(value);
      index++;
    } else if (flag in NUMBER_FLAGS) {
      const number = Number(value);
      const key = NUMBER_FLAGS[flag as keyof typeof NUMBER_FLAGS];
      if (!Number.isFinite(number) || number < 0 || (number === 0 && key !== "warmupSeconds")) {
        throw new RangeError(`${flag} must be a positive number (got ${value})`);
      }
      cli.settings[key] = number;
      index++;
    } else {
      throw new Error(`unknown option or missing value: ${flag}`);
    }
  }
  return cli;
}

const cli = parseCli(process.argv.slice(2));
const report = await runStateBench(cli.settings, (line) => {
  if (!cli.json) console.log(line);
});
if (cli.json) {
  console.log(JSON.stringify(report));
} else {
  console.log("");
  console.log(report.note);
  console.log("");
  console.log(
    "state             rps   rounds        p50 ms  p99 ms  CPU us/req  redis cmd/req  errors",
  );
  for (const target of STATE_TARGETS) {
    const m = report[target];
    console.log(
      `${target.padEnd(15)} ${String(m.rps).padStart(5)}   ${m.roundsRps.join(" / ").padEnd(13)} ${String(m.p50Ms).padStart(6)} ${String(m.p99Ms).padStart(7)} ${String(m.cpuUsPerRequest).padStart(11)} ${String(m.redisCommandsPerRequest).padStart(14)} ${String(m.errors).padStart(7)}`,
    );
  }
  console.log("");
  console.log(
    `cost (1 - redisAndTraces/memory): ${report.cost}  (Redis alone: ${report.redisCost}); target <= 0.15: ${report.costAtMost015 ? "met" : "MISSED"}`,
  );
}
