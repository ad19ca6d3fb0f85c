import { describe, expect, it } from "vitest";
import { FakeClock } from "../testing/fake-clock.js";
import { TargetSeries } from "./target-series.js";

const START = 1_800_000_000_000; // on a 10 s boundary

describe("TargetSeries", () => {
  it("counts successes, failures and mean latency per bucket, oldest bucket first", async () => {
    const clock = new FakeClock(START);
    const series = new TargetSeries({ clock, bucketMs: 10_000, buckets: 3 });
    series.record("a", true, 100);
    series.record("a", false, 300);
    await clock.advance(10_000);
    series.record("a", true, 50);
    const window = series.snapshot();
    expect(window.startMs).toBe(START - 10_000);
    expect(window.series.a).toEqual({
      successes: [0, 1, 1],
      failures: [0, 1, 0],
      meanLatencyMs: [null, 200, 50],
    });
  });

  it("forgets buckets that fell out of the window, reusing their slots", async () => {
    const clock = new FakeClock(START);
    const series = new TargetSeries({ clock, bucketMs: 10_000, buckets: 3 });
    series.record("a", true, 10);
    await clock.advance(30_000);
    expect(series.snapshot().series.a?.successes).toEqual([0, 0, 0]);
    series.record("a", false, 10);
    expect(series.snapshot().series.a).toEqual({
      successes: [0, 0, 0],
      failures: [0, 0, 1],
      meanLatencyMs: [null, null, 10],
    });
  });

  it("answers unknown keys with empty series and drops keys not retained", () => {
    const clock = new FakeClock(START);
    const series = new TargetSeries({ clock, bucketMs: 1000, buckets: 2 });
    series.record("gone", true, 1);
    series.record("kept", true, 1);
    series.retain(new Set(["kept"]));
    expect(Object.keys(series.snapshot().series)).toEqual(["kept"]);
    expect(series.snapshot(["nothing"]).series.nothing?.successes).toEqual([0, 0]);
  });
});
