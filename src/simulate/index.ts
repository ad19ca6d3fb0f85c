// The simulator: the gateway's routing against simulated providers, in virtual time.

export {
  type BuildRoutesOptions,
  buildSimulatedRoutes,
  priceOf,
  type SimulatedRoute,
  type SimulatedTarget,
} from "./build-simulated-routes.js";
export { formatDuration, parseDuration } from "./duration-text.js";
export { formatTerminalReport, type TerminalReportOptions } from "./format-terminal-report.js";
export {
  loadScenario,
  type ParseScenarioOptions,
  parseScenarioText,
  type ScenarioNames,
} from "./parse-scenario-text.js";
export { renderHtmlReport } from "./render-html-report.js";
export {
  defaultBucketMs,
  type RunSimulationOptions,
  runSimulation,
  type SimulationRun,
} from "./run-simulation.js";
export { scenarioNames } from "./scenario-names.js";
export {
  FAULT_TYPES,
  type FaultSpec,
  type FaultType,
  type LatencySpec,
  type ProfileSpec,
  type Scenario,
  scenarioSchema,
  type TrafficSpec,
} from "./scenario-schema.js";
export { SeededRandom } from "./seeded-random.js";
export { type RequestLedger, SimulatedAdapter } from "./simulated-adapter.js";
export { simulationEnv } from "./simulation-env.js";
export type {
  CircuitTimeline,
  LatencySummary,
  RequestSummary,
  SimulationReport,
  TargetSummary,
  Timeline,
} from "./simulation-report.js";
export { VirtualScheduler } from "./virtual-scheduler.js";
