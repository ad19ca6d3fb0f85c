/**
 * Stream recovery (`streamRecovery: { mode: continue }`), as recorded: the trace lists the cut
 * attempt and the continuation with the seam, and `switchyard_continuations_total` counts each
 * outcome (completed, not continuable, no target; nothing in mode fail).
 */
import { afterEach, describe, expect, it } from "vitest";
import { HELLO } from "./chat-outcome.js";
import { callCounts, harnessPool, primaryAndFallback } from "./harness.js";
import { CONTINUE, continuing, FULL, streamThrough } from "./stream-recovery-harness.js";

const pool = harnessPool();
afterEach(() => pool.closeAll());

describe("recording", () => {
  const ADMIN = "admin-key-stream-recovery";

  it("the trace lists both attempts with the seam; continuations_total counts the outcome", async () => {
    const h = await pool.start(
      primaryAndFallback({ model: CONTINUE, server: { adminKey: ADMIN } }),
    );
    h.mocks.primary.enqueue({ fault: "cut", afterChunks: 4, reply: { text: FULL } });
    h.mocks.fallback.enqueue(continuing(0));
    const { data, response } = await h
      .openai()
      .chat.completions.create({ ...HELLO, stream: true })
      .withResponse();
    let text = "";
    for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe(FULL);
    const requestId = response.headers.get("x-request-id") ?? "";
    const admin = { authorization: `Bearer ${ADMIN}` };
    await h.settled();
    await h.gateway.traceStore?.flush();
    const detail = (await (
      await fetch(`${h.url}/admin/requests/${requestId}`, { headers: admin })
    ).json()) as {
      request: {
        targetId: string;
        attempts: { targetId: string; outcome: string; message?: string }[];
      };
    };
    expect(detail.request.targetId).toBe("fallback/claude-sonnet-4-5");
    const attempts = detail.request.attempts.filter((attempt) => attempt.outcome !== "skipped");
    expect(attempts.map((attempt) => [attempt.targetId, attempt.outcome])).toEqual([
      ["primary/gpt-4o", "success"],
      ["primary/gpt-4o", "failure"],
      ["fallback/claude-sonnet-4-5", "success"],
    ]);
    expect(attempts[1]?.message).toMatch(
      /continued on fallback\/claude-sonnet-4-5 at char \d+ of the answer; its usage was estimated/,
    );
    const metrics = await (await fetch(`${h.url}/metrics`, { headers: admin })).text();
    expect(metrics).toMatch(
      /switchyard_continuations_total\{model="smart",outcome="completed"\} 1/,
    );
  });

  it("a cut that is not continued is counted with the reason", async () => {
    const h = await pool.start(
      primaryAndFallback({ model: CONTINUE, server: { adminKey: ADMIN } }),
    );
    h.mocks.primary.enqueue({
      fault: "cut",
      afterChunks: 2,
      reply: { toolCalls: [{ name: "lookup", arguments: { city: "Paris", days: 3 } }] },
      chunks: 4,
    });
    const seen = await streamThrough(h, "openai");
    expect(seen.completed).toBe(false);
    const metrics = await (
      await fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } })
    ).text();
    expect(metrics).toMatch(
      /switchyard_continuations_total\{model="smart",outcome="not_continuable"\} 1/,
    );
  });

  it("a stream that used up the deadline is not continued (no_target)", async () => {
    const h = await pool.start(
      primaryAndFallback({ model: { ...CONTINUE, deadlineMs: 300 }, server: { adminKey: ADMIN } }),
    );
    h.mocks.primary.enqueue({ reply: { text: FULL }, chunkDelayMs: 100 });
    const seen = await streamThrough(h, "openai");
    expect(seen.completed).toBe(false);
    expect(seen.text.length).toBeGreaterThan(0);
    expect(callCounts(h)).toEqual({ primary: 1, fallback: 0 });
    const metrics = await (
      await fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } })
    ).text();
    expect(metrics).toMatch(
      /switchyard_continuations_total\{model="smart",outcome="no_target"\} 1/,
    );
  });

  it("mode fail (the default) ends the stream with an error, and nothing is counted", async () => {
    const h = await pool.start(primaryAndFallback({ server: { adminKey: ADMIN } }));
    h.mocks.primary.enqueue({ fault: "cut", afterChunks: 4, reply: { text: FULL } });
    const seen = await streamThrough(h, "openai");
    expect(seen.completed).toBe(false);
    expect(callCounts(h)).toEqual({ primary: 1, fallback: 0 });
    const metrics = await (
      await fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } })
    ).text();
    expect(metrics).not.toMatch(/switchyard_continuations_total\{/);
  });
});
