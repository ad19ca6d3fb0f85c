import { describe, expect, it } from "vitest";
import { analyzeContender, detectionTime } from "../../bench/support/chaos-analysis.js";
import { chaosScenario } from "../../bench/support/chaos-scenarios.js";
import { answerText, servedBy } from "../../bench/support/chaos-upstreams.js";
import type { RequestRecord } from "../../bench/support/open-loop.js";
import type { UpstreamCall } from "../../bench/support/server-process.js";

const PRIMARY = "http://127.0.0.1:1001";
const FALLBACK = "http://127.0.0.1:1002";

function record(sentAt: number, servedByLabel: string, ok = true): RequestRecord {
  return {
    sentAt,
    firstByteMs: 1,
    latencyMs: 10,
    status: ok ? 200 : 502,
    ok,
    attempts: 1,
    text: ok ? answerText(servedByLabel) : "",
    error: ok ? undefined : "status 502",
  };
}

const call = (at: number, origin: string): UpstreamCall => ({
  at,
  origin,
  path: "/v1/chat/completions",
  key: "sk-chaos-outage-primary-a",
});

describe("detectionTime", () => {
  const sentAt = Array.from({ length: 100 }, (_, index) => index * 10);

  it("is the last call to the faulty upstream before calls to it pause", () => {
    // Calls at 200..250 every 10 ms, then one half-open trial at 700.
    const faulty = [200, 210, 220, 230, 240, 250, 700];
    expect(detectionTime(sentAt, faulty, 200, 900, 100)).toBe(250);
  });

  it("is undefined when every request still reaches the faulty upstream", () => {
    const faulty = sentAt.filter((at) => at >= 200 && at < 900).map((at) => at + 1);
    expect(detectionTime(sentAt, faulty, 200, 900, 100)).toBeUndefined();
  });

  it("is the window's first request when the faulty upstream gets no call at all", () => {
    expect(detectionTime(sentAt, [], 205, 900, 100)).toBe(210);
  });
});

describe("analyzeContender", () => {
  const scenario = chaosScenario("outage", { durationMs: 1000, brownoutDelayMs: 0, seed: 1 });
  // The fault runs from 200 to 667 ms after `startedAt`.
  const startedAt = 10_000;

  it("counts success, upstream calls per request, detection and recovery", () => {
    const records: RequestRecord[] = [];
    const calls: UpstreamCall[] = [];
    for (let at = 0; at < 1000; at += 10) {
      const sentAt = startedAt + at;
      const inFault = at >= 200 && at < 667;
      // Until 250 ms the primary is still tried (and refused); from 700 ms it serves again.
      if (inFault && at <= 250) calls.push(call(sentAt + 1, PRIMARY));
      const primaryServes = !inFault && !(at >= 667 && at < 700);
      calls.push(call(sentAt + 2, primaryServes ? PRIMARY : FALLBACK));
      records.push(record(sentAt, primaryServes ? "primary:a" : "fallback:a", at !== 300));
    }
    const figures = analyzeContender({
      scenario,
      startedAt,
      records,
      calls,
      origins: [PRIMARY, FALLBACK],
      isFaultyCall: (upstream) => upstream.origin === PRIMARY,
      detectGapMs: 100,
    });
    expect(figures.requests).toBe(100);
    expect(figures.successRate).toBe(0.99);
    expect(figures.failures).toBe(1);
    expect(figures.upstreamCallsPerRequest).toBe(1.06);
    expect(figures.detectMs).toBe(51);
    // After detection (at 251 ms) until the fault ends, one call per request.
    expect(figures.upstreamCallsPerRequestAfterDetect).toBe(1);
    expect(figures.recoverMs).toBe(33);
    expect(figures.failureReasons).toEqual({ "status 502": 1 });
  });

  it("reads who served an answer from its first word", () => {
    expect(servedBy(answerText("primary:b"))).toBe("primary:b");
    expect(servedBy("something else")).toBeUndefined();
  });
});
