import { setMaxListeners } from "node:events";
import type { ProviderConfig, ProviderKeyConfig, SwitchyardConfig } from "../config/index.js";
import { InvalidOptionError } from "../errors/invalid-option-error.js";
import { isSwitchyardError } from "../errors/switchyard-error.js";
import type { ChatMessage, ChatRequest } from "../llm/chat.js";
import { buildSimulatedRoutes, type SimulatedRoute } from "./build-simulated-routes.js";
import { readStream } from "./read-stream.js";
import { resolveProfile } from "./resolve-profile.js";
import type { Scenario } from "./scenario-schema.js";
import { SeededRandom } from "./seeded-random.js";
import { type RequestLedger, SimulatedAdapter } from "./simulated-adapter.js";
import { type RequestOutcome, SimulationRecorder } from "./simulation-recorder.js";
import type { SimulationReport } from "./simulation-report.js";
import { type CapacityWindow, TargetBehaviour } from "./target-behaviour.js";
import { TrafficPlan } from "./traffic-plan.js";
import { VirtualScheduler } from "./virtual-scheduler.js";

export interface RunSimulationOptions {
  config: SwitchyardConfig;
  /** Providers the gateway would skip (no usable key); default none. */
  skippedProviders?: readonly string[];
  scenario: Scenario;
}

export interface SimulationRun {
  report: SimulationReport;
  /** Facts about the run itself (not part of the report: they vary from machine to machine). */
  stats: { wallMs: number; timersFired: number };
}

/** Where virtual time starts (like `FakeClock`, clear of 0, which some state uses as "never"). */
const START_MS = 1_000_000;
/** How often circuit states are sampled, at most. */
const MAX_SAMPLE_MS = 1000;
const NICE_BUCKETS_MS = [
  1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000,
  3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000,
];

/**
 * Runs a scenario against a config: the gateway's routing (one `ProviderFactory` per model, built as
 * the gateway builds it) over simulated providers, with open-loop Poisson traffic, all in virtual
 * time. The same config, scenario and seed always give the same report.
 */
export async function runSimulation(options: RunSimulationOptions): Promise<SimulationRun> {
  const wallStart = performance.now();
  const { config, scenario } = options;
  const clock = new VirtualScheduler(START_MS);
  const elapsed = () => clock.now() - START_MS;
  const root = new SeededRandom(scenario.seed);
  const ledgers = new WeakMap<object, RequestLedger>();
  const tokens = { input: scenario.traffic.inputTokens, output: scenario.traffic.outputTokens };
  const usage = {
    inputTokens: tokens.input,
    outputTokens: tokens.output,
    cachedInputTokens: 0,
    totalTokens: tokens.input + tokens.output,
  };
  const capacity = new Map<string, CapacityWindow>();
  const behaviours = new Map<string, TargetBehaviour>();
  const costs = new Map<string, number>();
  const behaviourOf = (provider: string, keyId: string, model: string): TargetBehaviour => {
    const address = `${provider}#${keyId}/${model}`;
    let behaviour = behaviours.get(address);
    if (!behaviour) {
      behaviour = new TargetBehaviour({
        provider,
        adapterId: `${provider}#${keyId}`,
        profile: resolveProfile(scenario, { provider, keyId, model }),
        random: root.derive(`target:${address}`),
        capacity,
      });
      behaviours.set(address, behaviour);
    }
    return behaviour;
  };
  const adapterFor = (provider: ProviderConfig, key: ProviderKeyConfig | undefined) => {
    const keyId = key?.id ?? "none";
    return new SimulatedAdapter({
      provider: provider.name,
      type: provider.type,
      clock,
      startMs: START_MS,
      behaviourFor: (model) => behaviourOf(provider.name, keyId, model),
      probe: behaviourOf(provider.name, keyId, ""),
      costFor: (model) => costs.get(`${provider.name}#${keyId}/${model}`) ?? 0,
      ledgers,
      usage,
    });
  };
  const routes = buildSimulatedRoutes(config, options.skippedProviders ?? [], {
    clock,
    randomFor: (model) => {
      const random = root.derive(`engine:${model}`);
      return () => random.next();
    },
    adapterFor,
    tokens,
  });
  const mix = trafficMix(scenario, config, routes);
  const used = Object.keys(mix)
    .map((name) => routes.get(name))
    .filter((route): route is SimulatedRoute => route !== undefined);

  const bucketMs = scenario.bucketMs ?? defaultBucketMs(scenario.durationMs);
  const circuits = used.flatMap((route) =>
    [...route.targets.keys()].map((target) => ({ model: route.name, target })),
  );
  const recorder = new SimulationRecorder(scenario.durationMs, bucketMs, circuits);
  for (const route of used) {
    for (const target of route.targets.values()) {
      recorder.knowTarget(target.id, target.provider, target.model);
      costs.set(`${target.provider}#${target.keyId}/${target.model}`, target.costPerCall);
    }
    route.chat.on("attempt", ({ targetId }) => recorder.attempt(targetId, elapsed()));
    route.chat.on("failure", ({ targetId }) => recorder.failure(targetId));
    if (scenario.healthChecks) void route.chat.startHealthChecks().catch(() => undefined);
  }

  // The gateway hands each call the client's signal; the simulated clients never hang up.
  const { signal } = new AbortController();
  setMaxListeners(0, signal);
  const traffic = new TrafficPlan(
    scenario.traffic,
    mix,
    scenario.durationMs,
    root.derive("traffic"),
  );
  let sent = 0;
  const send = (): void => {
    const model = traffic.pickModel();
    const streaming = traffic.pickStreaming();
    const route = routes.get(model);
    sent += 1;
    recorder.arrived(model, elapsed());
    if (route) void serve(route, sent, streaming).then((outcome) => recorder.finished(outcome));
    scheduleArrival();
  };
  const scheduleArrival = (): void => {
    const next = traffic.nextArrival(elapsed());
    if (next !== undefined) clock.setTimeout(send, next - elapsed());
  };
  const serve = async (
    route: SimulatedRoute,
    index: number,
    streaming: boolean,
  ): Promise<RequestOutcome> => {
    const arrivedMs = elapsed();
    const messages: ChatMessage[] = [{ role: "user", content: `simulated request ${index}` }];
    const ledger: RequestLedger = { upstreamCalls: 0, cost: 0 };
    ledgers.set(messages, ledger);
    const request: ChatRequest = { model: route.name, messages, maxTokens: tokens.output };
    const callOptions = { ...route.chatOptions, signal };
    let served: string | undefined;
    let firstChunkMs: number | undefined;
    let error: string | undefined;
    let interrupted = false;
    let continued = 0;
    try {
      if (streaming) {
        const session = await route.chat.openStream(request, callOptions);
        served = session.targetId;
        firstChunkMs = elapsed() - arrivedMs;
        try {
          continued = await readStream(route, session, request, callOptions, elapsed);
        } catch (failure) {
          interrupted = true;
          throw failure;
        }
      } else {
        served = (await route.chat.generateWithReport(request, callOptions)).report.targetId;
      }
    } catch (failure) {
      error = isSwitchyardError(failure) ? failure.code : "unknown";
    }
    return {
      model: route.name,
      arrivedMs,
      streaming,
      ok: error === undefined,
      latencyMs: elapsed() - arrivedMs,
      firstChunkMs: error === undefined ? firstChunkMs : undefined,
      upstreamCalls: ledger.upstreamCalls,
      cost: ledger.cost,
      served: error === undefined ? served : undefined,
      error,
      interrupted,
      continued,
    };
  };

  const sampleMs = Math.min(bucketMs, MAX_SAMPLE_MS);
  const sample = (): void => {
    const now = elapsed();
    const statuses = new Map(used.map((route) => [route.name, route.chat.getStatus()]));
    circuits.forEach((circuit, index) => {
      recorder.sample(index, now, statuses.get(circuit.model)?.[circuit.target]);
    });
    if (now + sampleMs < scenario.durationMs) clock.setTimeout(sample, sampleMs);
  };

  clock.setTimeout(sample, 0);
  scheduleArrival();
  await clock.run();
  for (const route of routes.values()) await route.chat.stopHealthChecks();

  const report = recorder.build({
    name: scenario.name ?? null,
    seed: scenario.seed,
    durationMs: scenario.durationMs,
    bucketMs,
    healthChecks: scenario.healthChecks,
  });
  return {
    report,
    stats: { wallMs: performance.now() - wallStart, timersFired: clock.firedTimers },
  };
}

/** The traffic mix: the scenario's, or every model in `models:` (else every direct model) equally. */
function trafficMix(
  scenario: Scenario,
  config: SwitchyardConfig,
  routes: ReadonlyMap<string, SimulatedRoute>,
): Record<string, number> {
  const given = scenario.traffic.models;
  if (given) {
    for (const name of Object.keys(given)) {
      if (!routes.has(name)) {
        throw new InvalidOptionError(
          "traffic.models",
          `models of the config (${[...routes.keys()].join(", ")})`,
          name,
        );
      }
    }
    return given;
  }
  const names =
    config.models.length > 0 ? config.models.map((model) => model.name) : [...routes.keys()];
  if (names.length === 0) {
    throw new InvalidOptionError("traffic.models", "given: the config routes no models", names);
  }
  return Object.fromEntries(names.map((name) => [name, 1]));
}

/** A round bucket giving about 60 buckets over the run. */
export function defaultBucketMs(durationMs: number): number {
  const wanted = durationMs / 60;
  return NICE_BUCKETS_MS.find((size) => size >= wanted) ?? Math.ceil(wanted);
}
