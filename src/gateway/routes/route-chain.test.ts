import { describe, expect, it } from "vitest";
import type { CallOptions, CallReport } from "../../engine/call.js";
import { AllProvidersUnavailableError } from "../../errors/all-providers-unavailable-error.js";
import type { AttemptRecord } from "../../errors/attempt-record.js";
import type { ChatRequest } from "../../llm/chat.js";
import { FakeClock } from "../../testing/fake-clock.js";
import type { ModelRoute, Target } from "../routing/model-route.js";
import { RequestTracker } from "./request-tracker.js";
import { type ChainContext, type PlannedTargets, runChain } from "./route-chain.js";
import type { ProviderPreferences } from "./routing-ask.js";

/** A route with only what the chain reads: name, targets, call options, no affinity. */
function route(name: string, providers: string[], deadlineMs?: number): ModelRoute {
  const targets = new Map<string, Target>(
    providers.map((provider) => {
      const id = `${provider}/${name}-model`;
      return [id, { id, provider, keyId: "none", model: `${name}-model` }];
    }),
  );
  return {
    name,
    configured: name,
    direct: false,
    targets,
    chatOptions: deadlineMs === undefined ? {} : { deadlineMs },
    affinity: undefined,
  } as unknown as ModelRoute;
}

function failure(targetId: string): AttemptRecord {
  return {
    outcome: "failure",
    targetId,
    attempt: 1,
    startedAfterMs: 0,
    latencyMs: 1,
    hedge: false,
    kind: "transient",
    status: 503,
    message: "down",
    error: new Error("down"),
  };
}

function success(targetId: string): CallReport {
  const attempts: AttemptRecord[] = [
    { outcome: "success", targetId, attempt: 1, startedAfterMs: 0, latencyMs: 1, hedge: false },
  ];
  return { targetId, attempts, cached: false, stale: false, hedged: false, latencyMs: 1 };
}

interface Call {
  route: string;
  options: CallOptions<ChatRequest>;
}

/**
 * Runs a chain whose every route fails after `spendMs` on the clock, except those in `serving`;
 * returns the calls made and how the chain ended.
 */
async function chain(
  routes: ModelRoute[],
  options: {
    serving?: string[];
    spendMs?: number;
    preferences?: ProviderPreferences;
    plan?: (route: ModelRoute) => PlannedTargets;
  } = {},
) {
  const clock = new FakeClock();
  const calls: Call[] = [];
  const context: ChainContext = {
    routes,
    preferences: options.preferences,
    clock,
    signal: new AbortController().signal,
    client: undefined,
    tracker: new RequestTracker(undefined, { requestId: "r", endpoint: "chat", protocol: "x" }),
  };
  const outcome = await runChain(context, {
    plan: options.plan ?? (() => ({ targetIds: undefined, ineligible: [] })),
    call: async (current, _plan, callOptions) => {
      calls.push({ route: current.name, options: callOptions });
      await clock.advance(options.spendMs ?? 0);
      const ids = [...current.targets.keys()].filter(
        (id) => !callOptions.targetIds || callOptions.targetIds.includes(id),
      );
      if (options.serving?.includes(current.name)) return success(ids[0] ?? "");
      throw new AllProvidersUnavailableError(ids.map(failure), undefined);
    },
    reportOf: (report) => report,
  }).then(
    (served) => ({ served, error: undefined }),
    (error: unknown) => ({ served: undefined, error }),
  );
  return { calls, ...outcome };
}

describe("a chain of models", () => {
  it("moves on after every target failed, with every attempt in one report", async () => {
    const { calls, served } = await chain([route("smart", ["oa"]), route("cheap", ["an"])], {
      serving: ["cheap"],
    });
    expect(calls.map((call) => call.route)).toEqual(["smart", "cheap"]);
    expect(served?.route.name).toBe("cheap");
    expect(served?.report.attempts.map((a) => [a.targetId, a.outcome])).toEqual([
      ["oa/smart-model", "failure"],
      ["an/cheap-model", "success"],
    ]);
  });

  it("gives each later model only what is left of the first model's deadline", async () => {
    const { calls } = await chain(
      [route("smart", ["oa"], 1000), route("cheap", ["an"], 5000), route("last", ["an"])],
      { spendMs: 400 },
    );
    expect(calls.map((call) => call.options.deadlineMs)).toEqual([1000, 600, 200]);
  });

  it("stops when the deadline is spent, answering with every attempt made", async () => {
    const { calls, error } = await chain([route("smart", ["oa"], 1000), route("cheap", ["an"])], {
      spendMs: 1000,
    });
    expect(calls).toHaveLength(1);
    expect(error).toBeInstanceOf(AllProvidersUnavailableError);
  });

  it("merges the failures of every model when all fail; a single model's error is its own", async () => {
    const many = await chain([route("smart", ["oa", "ob"]), route("cheap", ["an"])]);
    expect((many.error as AllProvidersUnavailableError).attempts.map((a) => a.targetId)).toEqual([
      "oa/smart-model",
      "ob/smart-model",
      "an/cheap-model",
    ]);
    const one = await chain([route("smart", ["oa"])]);
    expect((one.error as AllProvidersUnavailableError).attempts).toHaveLength(1);
  });

  it("skips a model the plan cannot serve, and answers the first plan error when none can", async () => {
    const refusal = new Error("no target can take n: 2");
    const plan = (current: ModelRoute) => {
      if (current.name === "smart") throw refusal;
      return { targetIds: undefined, ineligible: [] };
    };
    const skipped = await chain([route("smart", ["an"]), route("cheap", ["oa"])], {
      plan,
      serving: ["cheap"],
    });
    expect(skipped.served?.report.attempts.map((a) => [a.targetId, a.outcome])).toEqual([
      ["an/smart-model", "skipped"],
      ["oa/cheap-model", "success"],
    ]);
    const none = await chain([route("smart", ["an"]), route("cheap", ["oa"])], {
      plan: () => {
        throw refusal;
      },
    });
    expect(none.error).toBe(refusal);
  });

  it("filters and orders targets by provider, and names what it excluded when nothing is left", async () => {
    const ordered = await chain([route("both", ["oa", "ob", "an"])], {
      preferences: { order: ["an"], ignore: ["ob"] },
      serving: ["both"],
    });
    const options = ordered.calls[0]?.options;
    expect(options?.targetIds).toEqual(["oa/both-model", "an/both-model"]);
    expect(options?.selector?.([], { model: "both", messages: [] })).toEqual(["an/both-model"]);
    const empty = await chain([route("smart", ["oa"]), route("cheap", ["an"])], {
      preferences: { only: ["ob"] },
    });
    expect(empty.calls).toHaveLength(0);
    expect((empty.error as Error).message).toBe(
      "the provider preferences leave no target of 'smart', 'cheap' (oa/smart-model: provider 'oa' is not in provider.only [ob]; an/cheap-model: provider 'an' is not in provider.only [ob])",
    );
  });
});
