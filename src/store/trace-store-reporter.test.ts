import { describe, expect, it } from "vitest";
import { FakeClock } from "../testing/fake-clock.js";
import { TraceStoreReporter } from "./trace-store-reporter.js";

interface Line {
  level: "warn" | "info";
  fields: Record<string, unknown>;
  message: string;
}

function setUp() {
  const clock = new FakeClock(0);
  const lines: Line[] = [];
  const logger = {
    warn: (fields: Record<string, unknown>, message: string) =>
      lines.push({ level: "warn", fields, message }),
    info: (fields: Record<string, unknown>, message: string) =>
      lines.push({ level: "info", fields, message }),
  };
  const reporter = new TraceStoreReporter({
    logger,
    backend: "sqlite",
    clock,
    logIntervalMs: 10_000,
  });
  return { clock, lines, reporter };
}

describe("TraceStoreReporter", () => {
  it("logs the first failure at once, then at most one line per interval with the counts", async () => {
    const { clock, lines, reporter } = setUp();
    reporter.writeFailed(new Error("database is locked"));
    expect(lines).toEqual([
      {
        level: "warn",
        fields: { backend: "sqlite", errors: 1, droppedTraces: 0, lastError: "database is locked" },
        message: "trace store writes failing",
      },
    ]);
    for (let index = 0; index < 500; index++) {
      await clock.advance(19);
      reporter.writeFailed(new Error("disk I/O error"));
      reporter.tracesDropped({ reason: "buffer_full", count: 2, droppedCount: 2 * (index + 1) });
    }
    // 500 failures and 1000 drops over 9.5 s: still the one line.
    expect(lines).toHaveLength(1);
    await clock.advance(500);
    reporter.writeFailed(new Error("disk I/O error"));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toEqual({
      level: "warn",
      fields: {
        backend: "sqlite",
        errors: 501,
        droppedTraces: 1000,
        lastError: "disk I/O error",
        sinceMs: 10_000,
      },
      message: "trace store writes failing",
    });
  });

  it("logs the recovery with what was counted since the last line, then the next failure at once", async () => {
    const { clock, lines, reporter } = setUp();
    reporter.writeFailed(new Error("connection refused"));
    await clock.advance(1000);
    reporter.writeFailed(new Error("connection refused"));
    reporter.recovered(2);
    expect(lines[1]).toEqual({
      level: "info",
      fields: {
        backend: "sqlite",
        failedWrites: 2,
        errors: 1,
        droppedTraces: 0,
        lastError: "connection refused",
      },
      message: "trace store writes recovered",
    });
    await clock.advance(1000);
    reporter.writeFailed(new Error("connection refused"));
    expect(lines).toHaveLength(3);
    expect(lines[2]?.fields).not.toHaveProperty("sinceMs");
  });

  it("names drops alone as drops, and flush logs what is left", async () => {
    const { lines, reporter } = setUp();
    reporter.tracesDropped({ reason: "closed", count: 3, droppedCount: 3 });
    reporter.tracesDropped({ reason: "closed", count: 4, droppedCount: 7 });
    expect(lines.map((line) => line.message)).toEqual(["request traces dropped"]);
    reporter.flush();
    expect(lines[1]?.fields).toMatchObject({ droppedTraces: 4, sinceMs: 0 });
    reporter.flush();
    expect(lines).toHaveLength(2);
  });
});
