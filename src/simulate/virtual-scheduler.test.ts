import { describe, expect, it } from "vitest";
import { VirtualScheduler } from "./virtual-scheduler.js";

describe("VirtualScheduler", () => {
  it("fires timers in time order, ties in the order they were set, moving time to each", async () => {
    const clock = new VirtualScheduler(100);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`c@${clock.now()}`), 30);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 10);
    clock.setTimeout(() => fired.push(`d@${clock.now()}`), -5);
    await clock.run();
    expect(fired).toEqual(["d@100", "a@110", "b@110", "c@130"]);
    expect(clock.firedTimers).toBe(4);
  });

  it("lets promise callbacks settle between timers, so timers they set fire at the right time", async () => {
    const clock = new VirtualScheduler(0);
    const fired: number[] = [];
    const sleep = (ms: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms));
    const chain = async () => {
      await sleep(10);
      await Promise.resolve();
      await sleep(10);
      fired.push(clock.now());
    };
    void chain();
    clock.setTimeout(() => fired.push(clock.now()), 15);
    await clock.run();
    expect(fired).toEqual([15, 20]);
  });

  it("skips cleared timers and stops when only background timers are left", async () => {
    const clock = new VirtualScheduler(0);
    const fired: string[] = [];
    const cleared = clock.setTimeout(() => fired.push("cleared"), 5);
    clock.setTimeout(() => fired.push("background-early"), 3, true);
    clock.setTimeout(() => fired.push("foreground"), 10);
    clock.setTimeout(() => fired.push("background-late"), 50, true);
    clock.clearTimeout(cleared);
    clock.clearTimeout(cleared);
    expect(clock.pendingTimers).toBe(1);
    await clock.run();
    expect(fired).toEqual(["background-early", "foreground"]);
    expect(clock.now()).toBe(10);
  });

  it("stops before timers due after untilMs, leaving the clock there", async () => {
    const clock = new VirtualScheduler(0);
    const fired: number[] = [];
    for (const at of [5, 15, 25]) clock.setTimeout(() => fired.push(at), at);
    await clock.run({ untilMs: 20 });
    expect(fired).toEqual([5, 15]);
    expect(clock.now()).toBe(20);
    await clock.run();
    expect(fired).toEqual([5, 15, 25]);
  });

  it("keeps heap order under many random timers", async () => {
    const clock = new VirtualScheduler(0);
    const times: number[] = [];
    let state = 7;
    for (let index = 0; index < 500; index++) {
      state = (state * 1103515245 + 12345) % 2147483648;
      const handle = clock.setTimeout(() => times.push(clock.now()), state % 1000);
      if (index % 7 === 0) clock.clearTimeout(handle);
    }
    await clock.run();
    expect(times.length).toBe(500 - Math.ceil(500 / 7));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it("rejects run when a timer's callback throws", async () => {
    const clock = new VirtualScheduler(0);
    clock.setTimeout(() => {
      throw new Error("boom at 5");
    }, 5);
    await expect(clock.run()).rejects.toThrow("boom at 5");
  });
});
