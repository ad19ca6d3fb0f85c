import { readFileSync } from "node:fs";
import { parseConfigText } from "../config/index.js";
import { parseScenarioText } from "./parse-scenario-text.js";
import { runSimulation, type SimulationRun } from "./run-simulation.js";
import { scenarioNames } from "./scenario-names.js";

/** The test config: models `chat` and `hedged` over targets `primary/big` and `backup/other`. */
export const TWO_PROVIDERS = parseConfigText(
  readFileSync(new URL("./fixtures/two-providers.yaml", import.meta.url), "utf8"),
  { path: "two-providers.yaml", env: {} },
);

/** Runs a scenario given as YAML lines against the test config. */
export function simulate(...lines: string[]): Promise<SimulationRun> {
  const scenario = parseScenarioText(lines.join("\n"), {
    names: scenarioNames(TWO_PROVIDERS.config),
  });
  return runSimulation({ config: TWO_PROVIDERS.config, scenario });
}
