import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { FakeClock } from "../testing/fake-clock.js";
import { reserveClosedPort } from "../testing/reserve-closed-port.js";
import {
  AlertDispatcher,
  type AlertEvent,
  type AlertOutcome,
  type AlertSink,
  type AlertTransport,
  fetchTransport,
} from "./alert-dispatcher.js";
import { alertOfSignal, BudgetThresholds } from "./alert-events.js";

const OPEN: AlertEvent = {
  kind: "circuit_open",
  subject: "openai/gpt-4o",
  text: "circuit for openai/gpt-4o (model smart) is open",
  fields: { model: "smart", target: "openai/gpt-4o" },
};

interface Sent {
  url: string;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

/** A transport that records each POST and answers with the next scripted status (default 200). */
function recorder(statuses: (number | Error)[] = []) {
  const sent: Sent[] = [];
  const transport: AlertTransport = async (url, body, headers) => {
    sent.push({ url, body: JSON.parse(body), headers });
    const next = statuses.shift() ?? 200;
    if (next instanceof Error) throw next;
    return next;
  };
  return { sent, transport };
}

function dispatcher(sinks: AlertSink[], transport: AlertTransport, clock = new FakeClock()) {
  const outcomes: [string, AlertOutcome][] = [];
  const alerts = new AlertDispatcher({
    sinks,
    clock,
    transport,
    onOutcome: (kind, outcome) => outcomes.push([kind, outcome]),
  });
  return { alerts, outcomes, clock };
}

const SINK: AlertSink = {
  url: "http://hooks.test/a",
  events: ["circuit_open"],
  minIntervalMs: 60_000,
};

describe("AlertDispatcher", () => {
  it("posts a Slack-compatible body with the structured fields, only for the kinds a sink wants", async () => {
    const { sent, transport } = recorder();
    const { alerts, outcomes, clock } = dispatcher([SINK], transport);
    alerts.notify(OPEN);
    alerts.notify({ ...OPEN, kind: "circuit_closed" });
    await clock.advance(0);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toMatchObject({
      text: "[switchyard] circuit for openai/gpt-4o (model smart) is open",
      event: "circuit_open",
      subject: "openai/gpt-4o",
      model: "smart",
      target: "openai/gpt-4o",
    });
    expect(sent[0]?.headers["x-switchyard-signature"]).toBeUndefined();
    expect(outcomes).toEqual([["circuit_open", "sent"]]);
  });

  it("sends at most one alert per kind and subject in minIntervalMs", async () => {
    const { sent, transport } = recorder();
    const { alerts, outcomes, clock } = dispatcher([SINK], transport);
    alerts.notify(OPEN);
    alerts.notify(OPEN);
    alerts.notify({ ...OPEN, subject: "claude/sonnet" });
    await clock.advance(59_999);
    alerts.notify(OPEN);
    await clock.advance(1);
    alerts.notify(OPEN);
    await clock.advance(0);
    expect(sent.map((entry) => entry.body.subject)).toEqual([
      "openai/gpt-4o",
      "claude/sonnet",
      "openai/gpt-4o",
    ]);
    expect(outcomes.filter(([, outcome]) => outcome === "suppressed")).toHaveLength(2);
  });

  it("retries a failed delivery with doubling delays, then counts it failed", async () => {
    const { sent, transport } = recorder([500, new Error("ECONNREFUSED"), 503]);
    const { alerts, outcomes, clock } = dispatcher([SINK], transport);
    alerts.notify(OPEN);
    await clock.advance(0);
    expect(sent).toHaveLength(1);
    await clock.advance(999);
    expect(sent).toHaveLength(1);
    await clock.advance(1);
    expect(sent).toHaveLength(2);
    await clock.advance(2000);
    expect(sent).toHaveLength(3);
    expect(outcomes).toEqual([["circuit_open", "failed"]]);
    await clock.advance(60_000);
    expect(sent).toHaveLength(3);
  });

  it("signs the body so a receiver can check it", async () => {
    const { sent, transport } = recorder();
    const clock = new FakeClock(1_700_000_000_000);
    const { alerts } = dispatcher([{ ...SINK, secret: "whsec-test" }], transport, clock);
    alerts.notify(OPEN);
    await clock.advance(0);
    const header = sent[0]?.headers["x-switchyard-signature"] ?? "";
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header) ?? [];
    expect(t).toBe("1700000000");
    const expected = createHmac("sha256", "whsec-test")
      .update(`${t}.${JSON.stringify(sent[0]?.body)}`)
      .digest("hex");
    expect(v1).toBe(expected);
  });

  it("drops alerts past maxPending instead of queueing without bound", async () => {
    const never: AlertTransport = () => new Promise(() => {});
    const clock = new FakeClock();
    const outcomes: AlertOutcome[] = [];
    const alerts = new AlertDispatcher({
      sinks: [{ ...SINK, minIntervalMs: 0 }],
      clock,
      transport: never,
      maxPending: 2,
      onOutcome: (_, outcome) => outcomes.push(outcome),
    });
    for (let i = 0; i < 5; i++) alerts.notify({ ...OPEN, subject: `t${i}` });
    expect(outcomes).toEqual(["dropped", "dropped", "dropped"]);
    await alerts.close();
  });

  it("delivers over HTTP to a real receiver, and a dead receiver never throws into the caller", async () => {
    const received: { headers: IncomingHttpHeaders; body: string }[] = [];
    const server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on("end", () => {
        received.push({ headers: request.headers, body });
        response.end("ok");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const deadPort = await reserveClosedPort();
    const outcomes: AlertOutcome[] = [];
    const alerts = new AlertDispatcher({
      sinks: [
        { ...SINK, url: `http://127.0.0.1:${port}/hook`, secret: "s" },
        { ...SINK, url: `http://127.0.0.1:${deadPort}/hook` },
      ],
      clock: new FakeClock(),
      transport: fetchTransport,
      maxAttempts: 1,
      onOutcome: (_, outcome) => outcomes.push(outcome),
    });
    expect(() => alerts.notify(OPEN)).not.toThrow();
    await expect.poll(() => outcomes.length).toBe(2);
    expect(outcomes.sort()).toEqual(["failed", "sent"]);
    expect(received).toHaveLength(1);
    expect(received[0]?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(received[0]?.body ?? "{}")).toMatchObject({ event: "circuit_open" });
    await alerts.close();
    await new Promise((resolve) => server.close(resolve));
  });
});

describe("alert events", () => {
  it("raises an alert for a circuit opening and closing again, exhaustion and a cooldown", () => {
    const origin = { endpoint: "chat" as const, model: "smart" };
    expect(
      alertOfSignal({ ...origin, type: "circuit", target: "a", from: "closed", to: "open" }),
    ).toMatchObject({ kind: "circuit_open", subject: "a" });
    expect(
      alertOfSignal({ ...origin, type: "circuit", target: "a", from: "half-open", to: "closed" }),
    ).toMatchObject({ kind: "circuit_closed", subject: "a" });
    expect(
      alertOfSignal({ ...origin, type: "circuit", target: "a", from: "open", to: "half-open" }),
    ).toBeUndefined();
    expect(alertOfSignal({ ...origin, type: "exhausted", attempts: 3 })).toMatchObject({
      kind: "all_targets_failed",
      subject: "smart",
    });
    expect(
      alertOfSignal({ ...origin, type: "cooldown", target: "a", reason: "rate", durationMs: 1500 }),
    ).toMatchObject({ kind: "key_cooldown", fields: { reason: "rate", durationMs: 1500 } });
    expect(
      alertOfSignal({ ...origin, type: "attempt", target: "a", ok: true, latencyMs: 3 }),
    ).toBeUndefined();
  });

  it("fires each budget threshold once per period and owner", () => {
    const budget = new BudgetThresholds();
    const levels = [0.8, 1];
    expect(budget.check("web", 0, 50, 100, levels)).toEqual([]);
    expect(budget.check("web", 0, 81, 100, levels).map((event) => event.fields.threshold)).toEqual([
      0.8,
    ]);
    expect(budget.check("web", 0, 85, 100, levels)).toEqual([]);
    expect(budget.check("web", 0, 100, 100, levels).map((event) => event.subject)).toEqual([
      "web@1",
    ]);
    expect(budget.check("web", 0, 120, 100, levels)).toEqual([]);
    // A new period, and another owner, start again; a jump past both fires both.
    expect(budget.check("web", 1, 130, 100, levels).map((event) => event.fields.threshold)).toEqual(
      [0.8, 1],
    );
    expect(budget.check("batch", 0, 90, 100, levels)).toHaveLength(1);
  });
});
