import type { CallOptions, CallReport } from "../../engine/call.js";
import type { Clock } from "../../engine/clock.js";
import {
  AllProvidersUnavailableError,
  isAllProvidersUnavailableError,
} from "../../errors/all-providers-unavailable-error.js";
import type { AttemptRecord } from "../../errors/attempt-record.js";
import type { ChatRequest } from "../../llm/chat.js";
import { skippedAttempt } from "../passthrough/plan-chat-call.js";
import { GatewayRequestError } from "../protocols/gateway-request-error.js";
import { type Stickiness, stickiness } from "../routing/affinity.js";
import type { ModelRoute, Target } from "../routing/model-route.js";
import type { Admission } from "./admit.js";
import { preferTargets } from "./provider-preferences.js";
import type { RequestTracker } from "./request-tracker.js";
import type { ProviderPreferences } from "./routing-ask.js";

/** What every plan of a call says: which targets can take it, and those that cannot. */
export interface PlannedTargets {
  targetIds: string[] | undefined;
  ineligible: AttemptRecord[];
}

/** One call through a list of models: how to plan it for a route, how to call, what it reported. */
export interface ChainSteps<Plan extends PlannedTargets, Value> {
  plan(route: ModelRoute): Plan;
  call(route: ModelRoute, plan: Plan, options: CallOptions<ChatRequest>): Promise<Value>;
  reportOf(value: Value): CallReport;
}

export interface ChainContext {
  routes: readonly ModelRoute[];
  preferences: ProviderPreferences | undefined;
  clock: Clock;
  signal: AbortSignal;
  client: string | undefined;
  tracker: RequestTracker;
}

/** The chain of an admitted request: its routes and provider preferences, on the router's clock. */
export function chainOf(
  admission: Pick<Admission<unknown>, "routes" | "ask" | "state" | "client">,
  signal: AbortSignal,
  tracker: RequestTracker,
): ChainContext {
  return {
    routes: admission.routes,
    preferences: admission.ask.provider,
    clock: admission.state.router.clock,
    signal,
    client: admission.client?.name,
    tracker,
  };
}

/** The call that served: on which route, with which plan, its value and its whole report. */
export interface ChainOutcome<Plan, Value> {
  route: ModelRoute;
  plan: Plan;
  value: Value;
  /** Every attempt and skip of every model tried, in order, the serving model's last. */
  report: CallReport;
  sticky: Stickiness | undefined;
  /** The engine options the serving call was made with (a stream continuation reuses them). */
  options: CallOptions<ChatRequest>;
}

/**
 * Calls a request's model, then each model of its fallback list in turn, under one deadline (the
 * first model's `deadlineMs`, from the start) and one trace. It moves on whenever a model could not
 * serve for a reason that fails over within a model (every target failed or was unavailable), or
 * could not take the request at all (no eligible target, or none left by the provider
 * preferences); any other error is the answer. The tracker sees the route (its targets grown with
 * each model's, so the trace can name every attempt) and every attempt made.
 */
export async function runChain<Plan extends PlannedTargets, Value>(
  context: ChainContext,
  steps: ChainSteps<Plan, Value>,
): Promise<ChainOutcome<Plan, Value>> {
  const { routes, preferences, clock, tracker } = context;
  const first = routes[0] as ModelRoute;
  const deadlineMs = first.chatOptions.deadlineMs;
  const deadlineAt = deadlineMs === undefined ? Number.POSITIVE_INFINITY : clock.now() + deadlineMs;
  const prior: AttemptRecord[] = [];
  const targets = new Map<string, Target>();
  let planError: unknown;
  let lastFailure: AllProvidersUnavailableError | undefined;
  const excluded: string[] = [];
  let called = false;
  for (const [index, route] of routes.entries()) {
    for (const [id, target] of route.targets) if (!targets.has(id)) targets.set(id, target);
    tracker.route = routes.length === 1 ? route : { ...route, targets: new Map(targets) };
    let plan: Plan;
    try {
      plan = steps.plan(route);
    } catch (error) {
      if (routes.length === 1) throw error;
      planError ??= error;
      const reason = error instanceof Error ? error.message : String(error);
      for (const target of route.targets.values()) prior.push(skippedAttempt(target, reason));
      continue;
    }
    const preferred = preferTargets(route, plan.targetIds, preferences);
    const skips = [
      ...plan.ineligible,
      ...preferred.excluded.map(({ target, reason }) => skippedAttempt(target, reason)),
    ];
    excluded.push(...preferred.excluded.map(({ target, reason }) => `${target.id}: ${reason}`));
    if (preferred.targetIds?.length === 0) {
      prior.push(...skips);
      continue;
    }
    const remainingMs = deadlineAt - clock.now();
    if (remainingMs <= 0 && index > 0) break;
    const own = route.chatOptions.deadlineMs ?? Number.POSITIVE_INFINITY;
    const callDeadlineMs = Math.min(own, remainingMs);
    const sticky = preferred.selector ? undefined : await stickinessOf(route, context.client);
    const options: CallOptions<ChatRequest> = {
      ...chatCallOptions(route, context.signal, sticky, preferred.targetIds),
      ...(preferred.selector ? { selector: preferred.selector } : {}),
      ...(Number.isFinite(callDeadlineMs) ? { deadlineMs: callDeadlineMs } : {}),
    };
    tracker.skipped = [...prior, ...skips];
    called = true;
    try {
      const value = await steps.call(route, plan, options);
      const report = steps.reportOf(value);
      tracker.skipped = [];
      return {
        route,
        plan,
        value,
        report: { ...report, attempts: [...prior, ...skips, ...report.attempts] },
        sticky,
        options,
      };
    } catch (error) {
      sticky?.learn(undefined);
      if (!isAllProvidersUnavailableError(error) || routes.length === 1) throw error;
      prior.push(...skips, ...error.attempts);
      lastFailure = error;
    }
  }
  tracker.skipped = [];
  if (!called) {
    if (excluded.length > 0) throw excludedError(routes, excluded);
    throw planError;
  }
  throw new AllProvidersUnavailableError(prior, lastFailure?.retryAfterMs);
}

/** 400: the provider preferences left no target in any model asked for. */
function excludedError(routes: readonly ModelRoute[], excluded: string[]): GatewayRequestError {
  const names = routes.map((route) => `'${route.name}'`).join(", ");
  return new GatewayRequestError(
    `the provider preferences leave no target of ${names} (${excluded.join("; ")})`,
    { status: 400, param: "provider", code: "no_target_left" },
  );
}

/** The client's cache affinity on this model, when the model keeps one (`affinity:`). */
export async function stickinessOf(
  route: ModelRoute,
  client: string | undefined,
): Promise<Stickiness | undefined> {
  return route.affinity ? stickiness(route.affinity, client, route.name) : undefined;
}

/** The engine options of one chat call: the model's, the affinity's pick, the plan's targets. */
export function chatCallOptions(
  route: ModelRoute,
  signal: AbortSignal,
  sticky: Stickiness | undefined,
  targetIds: string[] | undefined,
): CallOptions<ChatRequest> {
  return {
    ...route.chatOptions,
    signal,
    ...(sticky?.selector ? { selector: sticky.selector } : {}),
    ...(targetIds ? { targetIds } : {}),
  };
}
