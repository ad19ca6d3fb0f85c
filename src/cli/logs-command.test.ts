import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTraceStore } from "../store/create-trace-store.js";
import type { RequestTrace } from "../store/request-trace.js";
import type { TraceStore } from "../store/trace-store.js";
import { type LogsCommandOptions, runLogsCommand } from "./logs-command.js";

const NOW = Date.UTC(2026, 10, 15, 12, 0, 0);

const ok: RequestTrace = {
  id: "req_ok",
  startedAt: NOW - 1000,
  client: "acme",
  model: "smart",
  protocol: "chat",
  stream: true,
  outcome: "success",
  status: 200,
  targetId: "alpha#k2/model-a",
  provider: "alpha",
  upstreamModel: "model-a",
  latencyMs: 812.4,
  firstByteMs: 95.2,
  inputTokens: 1200,
  outputTokens: 300,
  cachedInputTokens: 200,
  costUsd: 0.00576,
  attempts: [
    {
      targetId: "beta/model-b",
      provider: "beta",
      outcome: "skipped",
      skippedReason: "circuit_open",
      startedAfterMs: 0,
    },
    {
      targetId: "alpha#k1/model-a",
      provider: "alpha",
      keyId: "k1",
      outcome: "failure",
      attempt: 1,
      hedge: false,
      errorKind: "rate_limited",
      status: 429,
      startedAfterMs: 1,
      latencyMs: 30,
      message: "alpha answered 429",
    },
    {
      targetId: "alpha#k2/model-a",
      provider: "alpha",
      keyId: "k2",
      outcome: "success",
      attempt: 1,
      hedge: false,
      startedAfterMs: 35,
      latencyMs: 770,
    },
  ],
};

const failed: RequestTrace = {
  id: "req_failed",
  startedAt: NOW - 2000,
  client: "zeta",
  model: "fast",
  protocol: "messages",
  stream: false,
  outcome: "error",
  status: 503,
  errorClass: "all_providers_unavailable",
  errorMessage: "all providers unavailable",
  latencyMs: 40,
  attempts: [
    {
      targetId: "beta/model-b",
      provider: "beta",
      outcome: "failure",
      attempt: 1,
      hedge: false,
      errorKind: "transient",
      status: 500,
      startedAfterMs: 0,
      latencyMs: 40,
    },
  ],
};

const older: RequestTrace = { ...failed, id: "req_older", startedAt: NOW - 3000, client: "acme" };

describe("switchyard logs", () => {
  let store: TraceStore;

  beforeEach(async () => {
    store = createTraceStore({ url: "sqlite::memory:" });
    for (const trace of [ok, failed, older]) store.record(trace);
    await store.flush();
  });
  afterEach(() => store.close());

  async function run(options: Omit<LogsCommandOptions, "store">) {
    let output = "";
    const code = await runLogsCommand({ ...options, store, write: (text) => (output += text) });
    return { code, lines: output.split("\n") };
  }

  it("lists requests newest first as a table", async () => {
    const { code, lines } = await run({});
    expect(code).toBe(0);
    expect(lines).toEqual([
      "TIME (UTC)           ID          CLIENT  MODEL  PROVIDER  STATUS  OUTCOME  ATTEMPTS  LATENCY  TOKENS IN/OUT  COST",
      "2026-11-15 11:59:59  req_ok      acme    smart  alpha     200     success  2         812 ms   1200/300       $0.0058",
      "2026-11-15 11:59:58  req_failed  zeta    fast   -         503     error    1         40 ms    -              -",
      "2026-11-15 11:59:57  req_older   acme    fast   -         503     error    1         40 ms    -              -",
      "",
    ]);
  });

  it("filters, and pages with a cursor it prints", async () => {
    const first = await run({ client: "acme", limit: 1 });
    expect(first.lines[1]).toMatch(/^2026-11-15 11:59:59 {2}req_ok /);
    const more = first.lines[2] ?? "";
    expect(more).toMatch(/^more: --cursor \S+$/);
    const second = await run({ client: "acme", limit: 1, cursor: more.split(" ").at(-1) });
    expect(second.lines.slice(1)).toEqual([expect.stringMatching(/ req_older /), ""]);
    expect((await run({ outcome: "error", model: "fast", client: "zeta" })).lines).toHaveLength(3);
    expect((await run({ provider: "nobody" })).lines).toEqual(["no requests match", ""]);
  });

  it("shows one request with its attempt chain", async () => {
    const { code, lines } = await run({ id: "req_ok" });
    expect(code).toBe(0);
    expect(lines).toEqual([
      "request req_ok",
      "  time     2026-11-15 11:59:59 UTC",
      "  client   acme",
      "  model    smart -> alpha#k2/model-a (model-a)",
      "  protocol chat, stream",
      "  outcome  success, status 200",
      "  latency  812 ms (first byte 95 ms)",
      "  tokens   1200 in (200 cached), 300 out",
      "  cost     $0.0058",
      "attempts (2 made, 3 steps)",
      "  #  TARGET            KEY  OUTCOME  KIND          STATUS  AT      LATENCY  NOTE",
      "  1  beta/model-b      -    skipped  -             -       +0 ms   -        circuit_open",
      "  2  alpha#k1/model-a  k1   failure  rate_limited  429     +1 ms   30 ms    alpha answered 429",
      "  3  alpha#k2/model-a  k2   success  -             -       +35 ms  770 ms   -",
      "",
    ]);
    const failure = await run({ id: "req_failed" });
    expect(failure.lines).toContain(
      "  error    all_providers_unavailable: all providers unavailable",
    );
  });

  it("returns 1 for an id it does not know", async () => {
    expect(await run({ id: "req_nope" })).toEqual({
      code: 1,
      lines: ["no request with id req_nope", ""],
    });
    expect(await run({ id: "req_nope", json: true })).toEqual({ code: 1, lines: ["null", ""] });
  });

  it("prints JSON when asked", async () => {
    const list = JSON.parse((await run({ json: true, limit: 2 })).lines.join("\n")) as {
      requests: { id: string }[];
      nextCursor?: string;
    };
    expect(list.requests.map((request) => request.id)).toEqual(["req_ok", "req_failed"]);
    expect(typeof list.nextCursor).toBe("string");
    const detail: unknown = JSON.parse((await run({ json: true, id: "req_ok" })).lines.join("\n"));
    const { attempts, ...request } = ok;
    expect(detail).toEqual({ ...request, attemptCount: 2, attempts });
  });
});
