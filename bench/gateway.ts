// Gateway benchmark: the same load, on loopback, against the mock upstream directly, a minimal
// pass-through proxy (the floor for a Node proxy), Switchyard with one provider and Switchyard with
// a fallback configured (the primary healthy). Each server runs in its own child process.
//
//   npm run bench:gateway                 a table, and bench/results/gateway.md
//   npm run -s bench:gateway -- --json    one JSON object: {"targets": {...}, "ratios": {...}, ...}
//
// Options: --rounds N (default 2), --cell-seconds N (4), --ttfb-seconds N (2), --warmup-seconds N (2),
// --connections N (50), --rate N requests/s for the fixed-rate cells (200), --stream-chunks N (20),
// --cells a,b (only these cells: throughput, latency, streamThroughput, streamLatency, ttfb),
// --translated (every request translated: the same-protocol pass-through off), --markdown FILE (default bench/results/gateway.md; --no-markdown to skip),
// --node-options "OPTIONS" (node/V8 options for the Switchyard children, e.g. "--max-semi-space-size=8"),
// --cpu-prof DIR (write CPU profiles of the Switchyard child and of the proxy, in DIR/switchyard and
// DIR/proxy, to compare; read one with `node --import tsx bench/support/summarize-profile.ts FILE`).

import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  DEFAULT_GATEWAY_SETTINGS,
  GATEWAY_CELLS,
  GATEWAY_TARGETS,
  type GatewayBenchSettings,
  type GatewayCell,
  runGatewayBench,
} from "./support/gateway-bench.js";
import { gatewayMarkdown } from "./support/gateway-markdown.js";

interface Cli {
  json: boolean;
  markdown: string | undefined;
  settings: GatewayBenchSettings;
}

const NUMBER_FLAGS = {
  "--rounds": "rounds",
  "--cell-seconds": "cellSeconds",
  "--ttfb-seconds": "ttfbSeconds",
  "--warmup-seconds": "warmupSeconds",
  "--connections": "connections",
  "--rate": "ratePerSecond",
  "--stream-chunks": "streamChunks",
} as const;

function parseCli(argv: readonly string[]): Cli {
  const cli: Cli = {
    json: false,
    markdown: fileURLToPath(new URL("./results/gateway.md", import.meta.url)),
    settings: { ...DEFAULT_GATEWAY_SETTINGS },
  };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index] ?? "";
    const value = argv[index + 1];
    if (flag === "--json") cli.json = true;
    else if (flag === "--translated") cli.settings.translated = true;
    else if (flag === "--no-markdown") cli.markdown = undefined;
    else if (flag === "--markdown" && value) {
      cli.markdown = resolve(value);
      index++;
    } else if (flag === "--cells" && value) {
      const cells = value.split(",");
      for (const cell of cells) {
        if (!(GATEWAY_CELLS as readonly string[]).includes(cell)) {
          throw new Error(`--cells: unknown cell ${cell} (known: ${GATEWAY_CELLS.join(", ")})`);
        }
      }
      cli.settings.cells = cells as GatewayCell[];
      index++;
    } else if (flag === "--node-options" && value) {
      cli.settings.nodeOptions = value.split(" ").filter((option) => option !== "");
      index++;
    } else if (flag === "--cpu-prof" && value) {
      cli.settings.cpuProfileDir = resolve(value);
      index++;
    } else if (flag in NUMBER_FLAGS) {
      const number = Number(value);
      if (!Number.isFinite(number) || number <= 0) {
        throw new RangeError(`${flag} must be a positive number (got ${value})`);
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
const report = await runGatewayBench(cli.settings, (line) => {
  if (!cli.json) console.log(line);
});
if (cli.markdown) {
  await mkdir(dirname(cli.markdown), { recursive: true });
  await writeFile(cli.markdown, gatewayMarkdown(report));
}
if (cli.json) {
  console.log(JSON.stringify(report));
} else {
  console.log("");
  console.log(report.note);
  console.log("");
  console.log(
    "target              rps   p50 ms  p99 ms  stream rps  stream p50  ttfb p50  CPU us/req  RSS MB",
  );
  for (const target of GATEWAY_TARGETS) {
    const m = report.targets[target];
    console.log(
      `${target.padEnd(18)} ${String(m.rps).padStart(5)} ${String(m.p50Ms).padStart(8)} ${String(m.p99Ms).padStart(7)} ${String(m.stream.rps).padStart(11)} ${String(m.stream.p50Ms).padStart(11)} ${String(m.ttfbP50Ms).padStart(9)} ${String(m.cpuUsPerRequest).padStart(11)} ${String(m.rssMb).padStart(7)}`,
    );
  }
  console.log("");
  console.log(`Switchyard / proxy: ${JSON.stringify(report.ratios)}`);
  console.log(`targets: ${JSON.stringify(report.checks)}`);
  console.log(`RSS after the run over the proxy's: ${report.rssOverProxyMb} MB`);
  if (cli.markdown) console.log(`summary written to ${cli.markdown}`);
}
