import { describe, expect, it } from "vitest";
import type { RequestTrace } from "../store/request-trace.js";
import { MemoryTraces } from "./memory-traces.js";

const HOUR_MS = 3_600_000;
const NOW = Date.UTC(2026, 10, 15, 12, 0, 0);

function trace(id: number, overrides: Partial<RequestTrace> = {}): RequestTrace {
  return {
    id: `req-${id}`,
    startedAt: NOW + id,
    client: "acme",
    model: "smart",
    protocol: "openai",
    stream: false,
    outcome: "success",
    status: 200,
    provider: "alpha",
    latencyMs: 10,
    inputTokens: 100,
    outputTokens: 10,
    costUsd: 0.5,
    attempts: [
      { targetId: "alpha/m", outcome: "failure", errorKind: "transient" },
      { targetId: "beta/m", outcome: "success" },
    ],
    ...overrides,
  };
}

describe("MemoryTraces", () => {
  it("lists the newest first, filtered, in pages, and finds a request with its attempts", async () => {
    const traces = new MemoryTraces({ capacity: 10 });
    for (let id = 1; id <= 5; id++) {
      traces.record(
        trace(id, id % 2 === 0 ? { client: "globex", outcome: "error", status: 502 } : {}),
      );
    }
    const first = await traces.listRequests({ limit: 2 });
    expect(first.requests.map((request) => request.id)).toEqual(["req-5", "req-4"]);
    expect(first.requests[0]?.attemptCount).toBe(2);
    expect(first.requests[0]).not.toHaveProperty("attempts");
    const second = await traces.listRequests({ limit: 2, cursor: first.nextCursor });
    expect(second.requests.map((request) => request.id)).toEqual(["req-3", "req-2"]);
    const last = await traces.listRequests({ limit: 2, cursor: second.nextCursor });
    expect(last).toEqual({ requests: [expect.objectContaining({ id: "req-1" })] });
    const errors = await traces.listRequests({ outcome: "error", client: "globex", status: 502 });
    expect(errors.requests.map((request) => request.id)).toEqual(["req-4", "req-2"]);
    expect((await traces.getRequest("req-3"))?.attempts).toHaveLength(2);
    expect(await traces.getRequest("req-99")).toBeUndefined();
  });

  it("keeps only the last `capacity` requests", async () => {
    const traces = new MemoryTraces({ capacity: 3 });
    for (let id = 1; id <= 5; id++) traces.record(trace(id));
    expect(traces.size).toBe(3);
    expect((await traces.listRequests()).requests.map((request) => request.id)).toEqual([
      "req-5",
      "req-4",
      "req-3",
    ]);
  });

  it("pages through the held requests in order after the oldest were dropped", async () => {
    const traces = new MemoryTraces({ capacity: 4 });
    for (let id = 1; id <= 11; id++)
      traces.record(trace(id, { client: id % 2 ? "acme" : "globex" }));
    const ids: string[] = [];
    let page = await traces.listRequests({ limit: 3 });
    ids.push(...page.requests.map((request) => request.id));
    page = await traces.listRequests({ limit: 3, cursor: page.nextCursor });
    ids.push(...page.requests.map((request) => request.id));
    expect(ids).toEqual(["req-11", "req-10", "req-9", "req-8"]);
    expect(page.nextCursor).toBeUndefined();
    const acme = await traces.listRequests({ client: "acme" });
    expect(acme.requests.map((request) => request.id)).toEqual(["req-11", "req-9"]);
    expect(await traces.getRequest("req-8")).toMatchObject({ id: "req-8", attemptCount: 2 });
    expect(await traces.getRequest("req-7")).toBeUndefined();
    // Usage still counts every request, dropped from the list or not.
    const usage = await traces.usage({ groupBy: "client" });
    expect(usage.map((row) => [row.key, row.requests])).toEqual([
      ["acme", 6],
      ["globex", 5],
    ]);
  });

  it("sums usage by client, model or provider over the hours asked for", async () => {
    const traces = new MemoryTraces();
    traces.record(trace(1, { startedAt: NOW - 3 * HOUR_MS, client: "old" }));
    traces.record(trace(2));
    traces.record(trace(3, { client: "globex", costUsd: undefined }));
    traces.record(
      trace(4, {
        client: undefined,
        outcome: "error",
        inputTokens: undefined,
        outputTokens: undefined,
        costUsd: undefined,
      }),
    );
    const byClient = await traces.usage({ groupBy: "client", since: NOW - HOUR_MS });
    expect(byClient).toEqual([
      expect.objectContaining({ key: "acme", requests: 1, costUsd: 0.5, inputTokens: 100 }),
      expect.objectContaining({ key: "globex", requests: 1, costUsd: 0, unpricedRequests: 1 }),
      expect.objectContaining({ key: null, requests: 1, errors: 1, unpricedRequests: 0 }),
    ]);
    const all = await traces.usage({ groupBy: "model" });
    expect(all).toEqual([expect.objectContaining({ key: "smart", requests: 4, costUsd: 1 })]);
  });
});
