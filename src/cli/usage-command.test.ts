import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTraceStore } from "../store/create-trace-store.js";
import type { RequestTrace } from "../store/request-trace.js";
import type { TraceStore } from "../store/trace-store.js";
import { runUsageCommand, type UsageCommandOptions } from "./usage-command.js";

const NOW = Date.UTC(2026, 10, 15, 12, 0, 0);
const DAY_MS = 86_400_000;

function trace(id: string, fields: Partial<RequestTrace>): RequestTrace {
  return {
    id,
    startedAt: NOW,
    protocol: "chat",
    stream: false,
    outcome: "success",
    status: 200,
    latencyMs: 100,
    attempts: [],
    ...fields,
  };
}

describe("switchyard usage", () => {
  let store: TraceStore;

  beforeEach(async () => {
    store = createTraceStore({ url: "sqlite::memory:" });
    const traces = [
      trace("a", {
        client: "acme",
        model: "smart",
        provider: "alpha",
        inputTokens: 1_500_000,
        outputTokens: 20_000,
        cachedInputTokens: 500_000,
        costUsd: 3.75,
      }),
      trace("b", {
        client: "acme",
        model: "fast",
        provider: "beta",
        inputTokens: 2000,
        outputTokens: 100,
        cachedInputTokens: 0,
        costUsd: 0.0025,
      }),
      trace("c", {
        client: "zeta",
        model: "smart",
        provider: "gamma",
        inputTokens: 10,
        outputTokens: 10,
        cachedInputTokens: 0,
      }),
      trace("d", { client: "zeta", model: "smart", outcome: "error", status: 503 }),
      trace("e", {
        client: "acme",
        model: "smart",
        provider: "alpha",
        startedAt: NOW - 40 * DAY_MS,
        inputTokens: 5,
        outputTokens: 5,
        costUsd: 99,
      }),
    ];
    for (const item of traces) store.record(item);
    await store.flush();
  });
  afterEach(() => store.close());

  async function run(options: Omit<UsageCommandOptions, "store">) {
    let output = "";
    const code = await runUsageCommand({ ...options, store, write: (text) => (output += text) });
    return { code, lines: output.split("\n") };
  }

  it("reports tokens and cost by model, costliest first, with a total and unpriced requests", async () => {
    const { code, lines } = await run({ since: NOW - DAY_MS });
    expect(code).toBe(0);
    expect(lines).toEqual([
      "usage by model, from 2026-11-14 12:00:00 UTC to now",
      "MODEL  REQUESTS  ERRORS  INPUT      CACHED   OUTPUT  COST",
      "smart  3         1       1,500,010  500,000  20,010  $3.75",
      "fast   1         0       2,000      0        100     $0.0025",
      "TOTAL  4         1       1,502,010  500,000  20,110  $3.75",
      "1 request has tokens but no price in pricing: not in the cost",
      "",
    ]);
  });

  it("groups by client or provider, over all time by default", async () => {
    const byClient = await run({ groupBy: "client" });
    expect(byClient.lines.slice(0, 4)).toEqual([
      "usage by client, all time",
      "CLIENT  REQUESTS  ERRORS  INPUT      CACHED   OUTPUT  COST",
      "acme    3         0       1,502,005  500,000  20,105  $102.75",
      "zeta    2         1       10         0        10      $0.00",
    ]);
    const byProvider = await run({ groupBy: "provider", since: NOW - DAY_MS, until: NOW + 1 });
    expect(byProvider.lines[0]).toBe(
      "usage by provider, from 2026-11-14 12:00:00 UTC to 2026-11-15 12:00:00 UTC",
    );
    expect(byProvider.lines.slice(2, 6).map((line) => line.split(/ {2,}/)[0])).toEqual([
      "alpha",
      "beta",
      "gamma",
      "(none)",
    ]);
  });

  it("says so when nothing is in the range", async () => {
    expect((await run({ since: NOW + DAY_MS })).lines).toEqual([
      "usage by model, from 2026-11-16 12:00:00 UTC to now",
      "no requests in this range",
      "",
    ]);
  });

  it("prints JSON when asked", async () => {
    const report = JSON.parse((await run({ json: true, groupBy: "client" })).lines.join("\n")) as {
      groupBy: string;
      rows: { key: string | null; costUsd: number }[];
      total: { requests: number; costUsd: number };
    };
    expect(report.groupBy).toBe("client");
    expect(report.rows.map((row) => row.key)).toEqual(["acme", "zeta"]);
    expect(report.total.requests).toBe(5);
    expect(report.total.costUsd).toBeCloseTo(102.7525, 9);
  });
});
