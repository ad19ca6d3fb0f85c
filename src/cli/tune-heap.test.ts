import { describe, expect, it } from "vitest";
import { tuneHeap } from "./tune-heap.js";

describe("tuneHeap", () => {
  it("sets V8's heap growing factor when nothing else does", () => {
    const set: string[] = [];
    expect(tuneHeap([], (flags) => void set.push(flags))).toBe("--heap-growing-percent=30");
    expect(set).toEqual(["--heap-growing-percent=30"]);
  });

  it("leaves a factor given on the node command line alone", () => {
    const set: string[] = [];
    const record = (flags: string) => void set.push(flags);
    expect(tuneHeap(["--heap-growing-percent=80"], record)).toBeUndefined();
    expect(
      tuneHeap(["--max-old-space-size=512", "--heap_growing_percent=10"], record),
    ).toBeUndefined();
    expect(set).toEqual([]);
  });
});
