// Engine benchmark: the engine's own overhead per `generate()`, with instant in-memory providers,
// next to the same resilience composition built with cockatiel 3.
//
//   npm run bench:engine            a table
//   npm run bench:engine -- --json  one JSON object: {"cases": {...}, "ratioVsCockatiel": n, "environment": {...}}
//
// Options: --batches N (default 7), --calls N per batch (default 200000), --warmup N calls per case
// (default 100000), --cpu-time (time batches by the process's CPU time, user + system, instead of
// the wall clock: steadier on a busy machine, and it includes the GC's helper threads).
//
// Method: every case first runs --warmup calls, then --batches timed batches of --calls sequential,
// awaited calls; the cases take turns batch by batch (so load or thermal drift hits them alike) and
// each reports its median batch in nanoseconds per call.

import { cpus } from "node:os";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import {
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  handleAll,
  retry,
  TimeoutStrategy,
  timeout,
  wrap,
} from "cockatiel";
import { ProviderError, ProviderFactory } from "../src/index.js";

interface Settings {
  json: boolean;
  cpuTime: boolean;
  batches: number;
  calls: number;
  warmup: number;
}

interface BenchCase {
  name: "single" | "failover" | "full" | "cockatielFull";
  description: string;
  call: () => Promise<string>;
}

const RESULT = "ok";
const succeed = (): Promise<string> => Promise.resolve(RESULT);
// Made once: the cost of building an Error (its stack trace) belongs to the provider, not the engine.
const TRANSIENT = new ProviderError("upstream overloaded", { kind: "transient", status: 503 });
const failTransient = (): Promise<string> => Promise.reject(TRANSIENT);

function parseSettings(argv: readonly string[]): Settings {
  const settings: Settings = {
    json: false,
    cpuTime: false,
    batches: 7,
    calls: 200_000,
    warmup: 100_000,
  };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index];
    if (flag === "--json" || flag === "--cpu-time") {
      settings[flag === "--json" ? "json" : "cpuTime"] = true;
      continue;
    }
    const key =
      flag === "--batches" || flag === "--calls" || flag === "--warmup" ? flag : undefined;
    const value = Number(argv[index + 1]);
    if (!key || !Number.isInteger(value) || value < (key === "--warmup" ? 0 : 1)) {
      throw new Error(`unknown option or bad value: ${flag} ${argv[index + 1] ?? ""}`.trim());
    }
    settings[key.slice(2) as "batches" | "calls" | "warmup"] = value;
    index += 1;
  }
  return settings;
}

function buildCases(): BenchCase[] {
  // (a) The plainest factory: defaults (breaker, retry within the default budget), no timeout.
  const single = new ProviderFactory<string, string>();
  single.register("only", { generate: succeed });

  // (b) The first provider fails with a transient error and the call fails over to the second. The
  // failing provider's threshold is out of reach so its circuit never opens: every call fails over.
  const failover = new ProviderFactory<string, string>({ retry: { maxAttempts: 1 } });
  failover.register(
    "flaky",
    { generate: failTransient },
    { priority: 1, failureThreshold: 2 ** 30 },
  );
  failover.register("steady", { generate: succeed }, { priority: 2 });

  // (c) Everything on: breaker, retries (2 attempts) within the retry budget, a per-attempt timeout
  // (a timer per attempt), the built-in metrics, and success/failure listeners feeding counters.
  const full = new ProviderFactory<string, string>({
    failureThreshold: 5,
    recoveryTimeoutMs: 60_000,
    retry: { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 2_000 },
    retryBudget: { ratio: 0.2, windowMs: 10_000, minPerSecond: 3 },
    timeoutMs: 10_000,
  });
  full.register("only", { generate: succeed });
  const counters = { successes: 0, failures: 0 };
  full.on("success", () => {
    counters.successes += 1;
  });
  full.on("failure", () => {
    counters.failures += 1;
  });

  // (d) The same composition in cockatiel: retry (1 retry = our 2 attempts) around a consecutive
  // breaker around a per-attempt timeout, with the same listeners. The timeout is Aggressive because
  // that is our semantics: when an attempt's time is up the engine rejects it at once (and aborts its
  // signal) even if the provider ignores the signal; Cooperative would only abort the signal and wait
  // for the function to give up by itself. `abortOnReturn: false` also matches us: we never abort the
  // signal of an attempt that has finished (cockatiel's default does, at the cost of a DOMException
  // per call, which would flatter the comparison).
  const policy = wrap(
    retry(handleAll, {
      maxAttempts: 1,
      backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 2_000 }),
    }),
    circuitBreaker(handleAll, { halfOpenAfter: 60_000, breaker: new ConsecutiveBreaker(5) }),
    timeout(10_000, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false }),
  );
  policy.onSuccess(() => {
    counters.successes += 1;
  });
  policy.onFailure(() => {
    counters.failures += 1;
  });

  return [
    { name: "single", description: "one provider succeeding", call: () => single.generate("q") },
    {
      name: "failover",
      description: "transient error, failover to a second provider",
      call: () => failover.generate("q"),
    },
    {
      name: "full",
      description: "breaker + retry + per-attempt timeout + metrics",
      call: () => full.generate("q"),
    },
    {
      name: "cockatielFull",
      description: "cockatiel wrap(retry, circuitBreaker, timeout)",
      call: () => policy.execute(() => succeed()),
    },
  ];
}

// A full collection before each batch, so no case pays for the garbage of the one before it (the
// cockatiel case leaves a lot). Works without `--expose-gc` on the command line.
setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

/** Nanoseconds per call over one batch of sequential, awaited calls. */
async function timeBatch(
  call: () => Promise<string>,
  calls: number,
  cpuTime: boolean,
): Promise<number> {
  collectGarbage();
  const wallStart = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  for (let index = 0; index < calls; index++) await call();
  if (cpuTime) {
    const { user, system } = process.cpuUsage(cpuStart);
    return ((user + system) * 1000) / calls;
  }
  return Number(process.hrtime.bigint() - wallStart) / calls;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? upper) + upper) / 2;
}

async function main(): Promise<void> {
  const settings = parseSettings(process.argv.slice(2));
  const cases = buildCases();
  for (const benchCase of cases) {
    const result = await benchCase.call();
    if (result !== RESULT) throw new Error(`${benchCase.name} returned ${result}, not ${RESULT}`);
  }
  for (const benchCase of cases) await timeBatch(benchCase.call, settings.warmup, false);
  const samples = new Map<string, number[]>(cases.map((benchCase) => [benchCase.name, []]));
  for (let batch = 0; batch < settings.batches; batch++) {
    for (const benchCase of cases) {
      const nsPerCall = await timeBatch(benchCase.call, settings.calls, settings.cpuTime);
      samples.get(benchCase.name)?.push(nsPerCall);
    }
  }

  const round = (value: number) => Math.round(value * 10) / 10;
  const figures: Record<string, { nsPerCall: number }> = {};
  for (const benchCase of cases) {
    figures[benchCase.name] = { nsPerCall: round(median(samples.get(benchCase.name) ?? [])) };
  }
  const fullNs = figures.full?.nsPerCall ?? Number.NaN;
  const cockatielNs = figures.cockatielFull?.nsPerCall ?? Number.NaN;
  const ratioVsCockatiel = Math.round((fullNs / cockatielNs) * 1000) / 1000;
  const environment = {
    node: process.version,
    cpu: cpus()[0]?.model.trim() ?? "unknown",
    platform: `${process.platform}-${process.arch}`,
  };

  if (settings.json) {
    console.log(JSON.stringify({ cases: figures, ratioVsCockatiel, environment }));
    return;
  }
  const clockName = settings.cpuTime ? "CPU time" : "wall time";
  const batchNote = `${settings.batches} batches x ${settings.calls} calls, median, ${clockName}`;
  console.log(`engine overhead per generate() (${batchNote})\n`);
  console.log(`${"case".padEnd(15)}${"ns/call".padStart(10)}${"calls/s".padStart(12)}  what`);
  for (const benchCase of cases) {
    const ns = figures[benchCase.name]?.nsPerCall ?? Number.NaN;
    const perSecond = Math.round(1e9 / ns).toLocaleString("en-US");
    const line = `${benchCase.name.padEnd(15)}${ns.toFixed(1).padStart(10)}${perSecond.padStart(12)}`;
    console.log(`${line}  ${benchCase.description}`);
  }
  console.log(`\nfull / cockatielFull = ${ratioVsCockatiel}`);
  console.log(`${environment.node}, ${environment.cpu}, ${environment.platform}`);
}

await main();
