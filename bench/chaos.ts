// Chaos benchmark: Switchyard under load against mock providers that misbehave on a schedule, side
// by side with a plain sequential fallback (bench/support/sequential-fallback.ts).
//
//   npm run bench:chaos                 a table, and bench/results/chaos.md
//   npm run -s bench:chaos -- --json    one JSON object: {"scenarios": {"<name>": {"switchyard": r, "sequential": r}}, ...}
//
// Options: --scenarios a,b (default all: outage, flapping, brownout, rateLimitStorm,
// quotaExhaustedKey, random5xx, streamCuts, cutMidStream), --scenario-seconds N (15), --rate N requests/s per
// contender (50), --hedge-ms N (300), --brownout-ms N (3000), --latency-ms N healthy upstream
// latency (20), --seed N (7), --markdown FILE (default bench/results/chaos.md; --no-markdown).
// cutMidStream runs in-process after the others: the same seeded cuts through a gateway with
// streamRecovery mode fail and one with mode continue (--cut-requests N, default 200).

import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CHAOS_SCENARIOS,
  type ChaosBenchSettings,
  type ChaosScenarioName,
  DEFAULT_CHAOS_SETTINGS,
  runChaosBench,
} from "./support/chaos-bench.js";
import {
  type CutMidStreamReport,
  cutMidStreamLines,
  DEFAULT_CUT_MID_STREAM,
  runCutMidStream,
} from "./support/chaos-cut-mid-stream.js";
import { chaosMarkdown } from "./support/chaos-markdown.js";

const CUT_MID_STREAM = "cutMidStream";

const NUMBER_FLAGS = {
  "--scenario-seconds": "scenarioSeconds",
  "--rate": "ratePerSecond",
  "--hedge-ms": "hedgeDelayMs",
  "--brownout-ms": "brownoutDelayMs",
  "--latency-ms": "baseLatencyMs",
  "--seed": "seed",
} as const;

interface Cli {
  json: boolean;
  /** Run the in-process cut-mid-stream scenario (stream recovery, mode fail and continue). */
  cutMidStream: boolean;
  cutRequests: number;
  markdown: string | undefined;
  settings: ChaosBenchSettings;
}

function parseCli(argv: readonly string[]): Cli {
  const cli: Cli = {
    json: false,
    cutMidStream: true,
    cutRequests: DEFAULT_CUT_MID_STREAM.requests,
    markdown: fileURLToPath(new URL("./results/chaos.md", import.meta.url)),
    settings: { ...DEFAULT_CHAOS_SETTINGS },
  };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index] ?? "";
    const value = argv[index + 1];
    if (flag === "--json") cli.json = true;
    else if (flag === "--no-markdown") cli.markdown = undefined;
    else if (flag === "--markdown" && value) {
      cli.markdown = resolve(value);
      index++;
    } else if (flag === "--cut-requests" && value) {
      cli.cutRequests = Number(value);
      index++;
    } else if (flag === "--scenarios" && value) {
      const all = value.split(",");
      cli.cutMidStream = all.includes(CUT_MID_STREAM);
      const names = all.filter((name) => name !== CUT_MID_STREAM);
      for (const name of names) {
        if (!(CHAOS_SCENARIOS as readonly string[]).includes(name)) {
          throw new Error(`--scenarios: unknown ${name} (known: ${CHAOS_SCENARIOS.join(", ")})`);
        }
      }
      cli.settings.scenarios = names as ChaosScenarioName[];
      index++;
    } else if (flag in NUMBER_FLAGS) {
      const number = Number(value);
      if (!Number.isFinite(number) || number < 0) {
        throw new RangeError(`${flag} must be a number >= 0 (got ${value})`);
      }
      cli.settings[NUMBER_FLAGS[flag as keyof typeof NUMBER_FLAGS]] = number;
      index++;
    } else {
      throw new Error(`unknown option or missing value: ${flag}`);
    }
  }
  return cli;
}

const cli = parseCli(process.argv.slice(2));
const report =
  cli.settings.scenarios.length > 0
    ? await runChaosBench(cli.settings, (line) => {
        if (!cli.json) console.log(line);
      })
    : undefined;
let cut: CutMidStreamReport | undefined;
if (cli.cutMidStream) {
  cut = await runCutMidStream({
    ...DEFAULT_CUT_MID_STREAM,
    requests: cli.cutRequests,
    seed: cli.settings.seed,
  });
  if (!cli.json) console.log(cutMidStreamLines(cut).join("\n"));
}
if (cli.markdown) {
  await mkdir(dirname(cli.markdown), { recursive: true });
  // Run alone, the cut-mid-stream section replaces its own in the page of the last full run.
  const previous = await readFile(cli.markdown, "utf8").catch(() => "# Chaos benchmark\n");
  const page = report ? chaosMarkdown(report) : (previous.split("\n## Cut mid-stream")[0] ?? "");
  await writeFile(cli.markdown, cut ? `${page}\n${cutMidStreamLines(cut).join("\n")}` : page);
}
if (cli.json) {
  console.log(JSON.stringify({ ...report, ...(cut ? { cutMidStream: cut } : {}) }));
} else if (report) {
  console.log("");
  console.log(report.note);
  for (const [name, scenario] of Object.entries(report.scenarios)) {
    console.log(`${name}: ${JSON.stringify(scenario?.checks)}`);
  }
  if (cli.markdown) console.log(`summary written to ${cli.markdown}`);
}
