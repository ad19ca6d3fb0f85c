import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../config/config-error.js";
import { parseScenarioText } from "./parse-scenario-text.js";

const NAMES = {
  models: ["chat", "hedged"],
  profiles: ["*", "primary", "primary#key-1", "primary/big", "backup", "backup/other"],
};

function problemsOf(text: string, names = NAMES): string[] {
  try {
    parseScenarioText(text, { path: "outage.yaml", names });
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split("\n");
    throw error;
  }
  throw new Error("expected the scenario to be refused");
}

describe("parseScenarioText", () => {
  it("reads a scenario, filling in defaults and converting times", () => {
    const scenario = parseScenarioText(
      [
        "durationMs: 1h",
        "traffic: { rate: 20 }",
        "providers:",
        "  primary:",
        "    latency: { medianMs: 800, p99Ms: 4s }",
        "    errorLatency: 50",
        "    faults:",
        "      - { type: outage, from: 10m, to: 20m }",
        "      - { type: rateLimit, capacityPerSecond: 5 }",
        "      - { type: errorRate, rate: 0.05 }",
      ].join("\n"),
      { names: NAMES },
    );
    expect(scenario.seed).toBe(1);
    expect(scenario.durationMs).toBe(3_600_000);
    expect(scenario.healthChecks).toBe(true);
    expect(scenario.traffic).toEqual({
      rate: 20,
      streaming: 0,
      inputTokens: 1000,
      outputTokens: 300,
    });
    const primary = scenario.providers.primary;
    expect(primary?.latency).toEqual({ kind: "lognormal", medianMs: 800, p99Ms: 4000 });
    expect(primary?.errorLatency).toEqual({ kind: "fixed", ms: 50 });
    expect(primary?.faults).toEqual([
      { type: "outage", from: 600_000, to: 1_200_000, mode: "refused" },
      { type: "rateLimit", capacityPerSecond: 5 },
      { type: "errorRate", rate: 0.05, status: 500 },
    ]);
  });

  it("names the path, line and column of every problem", () => {
    const text = [
      "seed: 3", // 1
      "durationMs: 10x", // 2
      "traffic:", // 3
      "  rate: 5", // 4
      "  models: { chta: 1 }", // 5
      "providers:", // 6
      "  primray:", // 7
      "    faults: []", // 8
      "  primary:", // 9
      "    latency: { medianMs: 900, p99Ms: 100 }", // 10
      "    faults:", // 11
      "      - { type: outag, from: 1m }", // 12
      "      - { type: outage, from: 5m, to: 2m }", // 13
      "      - { type: errorRate, rate: 1.5 }", // 14
      "      - { type: streamCut, rate: 0.1, sahre: 2 }", // 15
    ].join("\n");
    expect(problemsOf(text)).toEqual([
      'outage.yaml:2:13 durationMs: expected milliseconds or a time with a unit (500ms, 90s, 10m, 1h), got "10x"',
      'outage.yaml:5:13 traffic.models.chta: unknown model "chta" (did you mean "chat"?)',
      'outage.yaml:7:3 providers.primray: unknown provider or target "primray" (did you mean "primary"?); use "*", a provider, provider#key, provider/model or provider#key/model',
      "outage.yaml:10:38 providers.primary.latency.p99Ms: must be at least medianMs (900), got 100",
      'outage.yaml:12:17 providers.primary.faults[0].type: must be one of: outage, errorRate, rateLimit, slowdown, quotaExhausted, streamCut; got "outag" (did you mean "outage"?)',
      "outage.yaml:13:39 providers.primary.faults[1].to: must be after from (300000 ms), got 120000 ms",
      "outage.yaml:14:34 providers.primary.faults[2].rate: must be at most 1, got 1.5",
      'outage.yaml:15:39 providers.primary.faults[3].sahre: unknown key "sahre" (allowed: type, from, to, periodMs, activeMs, rate)',
    ]);
  });

  it("requires a duration and a rate or schedule, not both", () => {
    expect(problemsOf("traffic: { rate: 1, schedule: [{ from: 0, rate: 2 }] }")).toEqual([
      "outage.yaml:1:1 durationMs: required",
      "outage.yaml:1:31 traffic.schedule: give either rate or schedule, not both",
    ]);
    expect(problemsOf("durationMs: 1m\ntraffic: {}")).toEqual([
      "outage.yaml:2:10 traffic.rate: required (or give a schedule)",
    ]);
  });

  it("reports YAML syntax errors with their line", () => {
    expect(problemsOf("durationMs: 1m\ntraffic: { rate: 1\n")[0]).toMatch(
      /^outage\.yaml:\d+:\d+ YAML: /,
    );
    expect(problemsOf("- just\n- a list")).toEqual([
      "outage.yaml:1:1 a scenario is a mapping (seed:, durationMs:, traffic:, providers:)",
    ]);
  });

  it("throws nothing but ConfigError, whatever the text", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          parseScenarioText(text, { names: NAMES });
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
        }
      }),
      { numRuns: 200 },
    );
  });
});
