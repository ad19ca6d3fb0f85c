import { describe, expect, it } from "vitest";
import { EventFeed } from "./event-feed.js";
import { describeSignal } from "./feed-messages.js";

const origin = { endpoint: "chat" as const, model: "smart" };

describe("EventFeed", () => {
  it("numbers events, keeps the last `capacity`, and replays those after an id", () => {
    const feed = new EventFeed(2);
    for (let index = 0; index < 3; index++) {
      feed.publish({
        ...describeSignal({ ...origin, type: "exhausted", attempts: index }),
        at: index,
      });
    }
    expect(feed.since().map((event) => event.id)).toEqual([2, 3]);
    expect(feed.since(2).map((event) => event.id)).toEqual([3]);
  });

  it("tells listeners until they unsubscribe, and a throwing listener does not stop the others", () => {
    const feed = new EventFeed();
    const seen: number[] = [];
    feed.subscribe(() => {
      throw new Error("broken listener");
    });
    const stop = feed.subscribe((event) => seen.push(event.id));
    const signal = { ...origin, type: "health" as const, target: "a/m", healthy: false };
    feed.publish({ ...describeSignal(signal), at: 0 });
    stop();
    feed.publish({ ...describeSignal(signal), at: 0 });
    expect(seen).toEqual([1]);
    expect(feed.listenerCount).toBe(1);
  });
});

describe("describeSignal", () => {
  it("says what happened in one line, naming targets and kinds but no upstream text", () => {
    const lines = [
      describeSignal({
        ...origin,
        type: "fallback",
        target: "a/m",
        to: "b/m",
        reason: "rate_limited",
      }),
      describeSignal({ ...origin, type: "circuit", target: "a/m", from: "closed", to: "open" }),
      describeSignal({ ...origin, type: "circuit", target: "a/m", from: "open", to: "half_open" }),
      describeSignal({
        ...origin,
        type: "cooldown",
        target: "a/m",
        reason: "quota_exhausted",
        durationMs: 3_600_000,
      }),
      describeSignal({ ...origin, type: "health", target: "a/m", healthy: true }),
      describeSignal({ ...origin, type: "exhausted", attempts: 3 }),
    ].map((event) => event.message);
    expect(lines).toEqual([
      "a/m failed (rate limited); fell over to b/m",
      "circuit of a/m opened",
      "circuit of a/m is half-open (trying again)",
      "a/m cools down for 60 min (quota exhausted)",
      "a/m is healthy again",
      "every target of smart failed (3 attempts and skips)",
    ]);
  });
});
