import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FAULT_TYPES } from "./scenario-schema.js";

const docs = readFileSync("docs/simulate.md", "utf8");

describe("docs/simulate.md", () => {
  it("documents every scenario key and fault type", () => {
    const keys = [
      "name",
      "description",
      "seed",
      "durationMs",
      "bucketMs",
      "healthChecks",
      "traffic",
      "providers",
      "rate",
      "schedule",
      "models",
      "streaming",
      "inputTokens",
      "outputTokens",
      "latency",
      "errorLatency",
      "firstChunkRatio",
      "faults",
      "fixedMs",
      "medianMs",
      "p99Ms",
      "from",
      "to",
      "periodMs",
      "activeMs",
      "mode",
      "capacityPerSecond",
      "retryAfterMs",
      "status",
      "factor",
      "addMs",
    ];
    for (const key of [...keys, ...FAULT_TYPES]) expect(docs).toContain(`\`${key}\``);
  });
});
