import { describe, expect, it } from "vitest";
import type { CallReport } from "../../engine/call.js";
import { MemoryAffinityStore } from "../../state/affinity-store.js";
import { Affinity } from "./affinity.js";

function report(provider: string | undefined, failed: string[] = []): CallReport {
  return {
    targetId: provider,
    attempts: [
      ...failed.map((name) => ({
        outcome: "failure" as const,
        targetId: name,
        attempt: 1,
        startedAfterMs: 0,
        latencyMs: 1,
        hedge: false,
        kind: "transient" as const,
        status: 503,
        message: "down",
        error: undefined,
      })),
      ...(provider
        ? [
            {
              outcome: "success" as const,
              targetId: provider,
              attempt: 1,
              startedAfterMs: 0,
              latencyMs: 1,
              hedge: false,
            },
          ]
        : []),
    ],
    cached: false,
    stale: false,
    hedged: false,
    latencyMs: 1,
  };
}

describe("Affinity", () => {
  it("remembers who served, moves on failure, drops when nobody served, and expires", async () => {
    let now = 0;
    const affinity = new Affinity(new MemoryAffinityStore(10, () => now), 1000);
    const key = Affinity.key("web", "smart");
    expect(await affinity.preferred(key)).toBeUndefined();
    await affinity.learn(key, undefined, report("a#k1"));
    expect(await affinity.preferred(key)).toBe("a#k1");
    await affinity.learn(key, "a#k1", report("b", ["a#k1"]));
    expect(await affinity.preferred(key)).toBe("b");
    await affinity.learn(key, "b", undefined);
    expect(await affinity.preferred(key)).toBeUndefined();
    await affinity.learn(key, undefined, report("a#k2"));
    now = 1000;
    expect(await affinity.preferred(key)).toBeUndefined();
  });

  it("keeps separate clients and models apart, and bounds memory", async () => {
    const store = new MemoryAffinityStore(2);
    const affinity = new Affinity(store, 60_000);
    await affinity.learn(Affinity.key("a", "m"), undefined, report("x"));
    await affinity.learn(Affinity.key("b", "m"), undefined, report("y"));
    await affinity.learn(Affinity.key("c", "m"), undefined, report("z"));
    expect(await affinity.preferred(Affinity.key("a", "m"))).toBeUndefined();
    expect(await affinity.preferred(Affinity.key("b", "m"))).toBe("y");
    expect(await affinity.preferred(Affinity.key("c", "m"))).toBe("z");
  });
});
