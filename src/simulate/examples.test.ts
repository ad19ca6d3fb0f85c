import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfigText } from "../config/index.js";
import { loadScenario } from "./parse-scenario-text.js";
import { runSimulation } from "./run-simulation.js";
import { scenarioNames } from "./scenario-names.js";
import { simulationEnv } from "./simulation-env.js";

const DIRECTORY = "examples/scenarios";
const configText = readFileSync(`${DIRECTORY}/switchyard.sim.yaml`, "utf8");
const loaded = parseConfigText(configText, { env: simulationEnv(configText, {}) });
const scenarios = readdirSync(DIRECTORY).filter(
  (file) => file.endsWith(".yaml") && file !== "switchyard.sim.yaml",
);

describe("example scenarios", () => {
  it("include the documented ones", () => {
    expect(scenarios.sort()).toEqual([
      "brownout.yaml",
      "flapping.yaml",
      "outage-and-recovery.yaml",
      "quota-exhausted-key.yaml",
      "random-5xx.yaml",
      "rate-limit-storm.yaml",
      "stream-cuts.yaml",
    ]);
    expect(loaded.skippedProviders).toEqual([]);
  });

  it.each(scenarios)("%s is valid for the example config and runs (first minute)", async (file) => {
    const scenario = await loadScenario(`${DIRECTORY}/${file}`, scenarioNames(loaded.config));
    expect(scenario.durationMs).toBe(3_600_000);
    scenario.durationMs = 60_000;
    const { report } = await runSimulation({ config: loaded.config, scenario });
    expect(report.summary.requests).toBeGreaterThan(250);
    expect(report.summary.successRate).toBeGreaterThan(0.95);
  });
});
