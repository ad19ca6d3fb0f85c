import { describe, expect, it } from "vitest";
import type { AttemptRecord } from "../../errors/attempt-record.js";
import { describeAttemptSummary, redactMessage, summarizeAttempts } from "./summarize-attempts.js";

describe("summarizeAttempts", () => {
  it("keeps facts, drops successes and raw errors, and shortens messages", () => {
    const records: AttemptRecord[] = [
      {
        outcome: "success",
        targetId: "w",
        attempt: 1,
        startedAfterMs: 0,
        latencyMs: 1,
        hedge: false,
      },
      {
        outcome: "failure",
        targetId: "a",
        attempt: 1,
        startedAfterMs: 0,
        latencyMs: 3,
        hedge: false,
        kind: "transient",
        status: 503,
        message: `overloaded ${"y".repeat(500)}`,
        error: new Error("raw"),
      },
      {
        outcome: "aborted",
        targetId: "b",
        attempt: 1,
        startedAfterMs: 0,
        latencyMs: 2,
        hedge: true,
        message: "lost",
      },
      {
        outcome: "skipped",
        targetId: "c",
        startedAfterMs: 0,
        reason: "circuit_open",
        availableInMs: 900,
      },
    ];
    const summaries = summarizeAttempts(records);
    expect(summaries.map((summary) => summary.outcome)).toEqual(["failure", "aborted", "skipped"]);
    expect(summaries[0]?.message.length).toBeLessThanOrEqual(200);
    expect(summaries[0]).not.toHaveProperty("error");
    expect(summaries.map(describeAttemptSummary)).toEqual([
      "a failed (transient 503)",
      "b aborted",
      "c skipped: circuit open, available in 900 ms",
    ]);
  });
});

describe("redactMessage", () => {
  it.each([
    ["Incorrect API key provided: sk-proj-abc123def456ghi", "sk-proj-abc123"],
    ["header Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload", "eyJhbGci"],
    ["url ?key=AIzaSyD-abcdefghijklmnopqrstuvwx", "AIzaSyD"],
    ['{"x-api-key": "sk-ant-api03-secretsecret"}', "secretsecret"],
    ["password=hunter2hunter2", "hunter2"],
  ])("%s", (message, secret) => {
    const redacted = redactMessage(message, 1000);
    expect(redacted).not.toContain(secret);
    expect(redacted).toContain("[redacted]");
  });

  it("leaves ordinary text alone and cuts at the limit", () => {
    expect(redactMessage("maximum context length is 8192 tokens", 1000)).toBe(
      "maximum context length is 8192 tokens",
    );
    expect(redactMessage("x".repeat(50), 10)).toBe("xxxxxxx...");
  });
});
