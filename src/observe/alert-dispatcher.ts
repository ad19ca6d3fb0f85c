import { createHmac } from "node:crypto";
import type { AlertEventKind } from "../config/alert-schema.js";
import type { Clock, TimerHandle } from "../engine/clock.js";

export type { AlertEventKind };

/** One thing that happened, ready to be sent to every sink that wants its kind. */
export interface AlertEvent {
  kind: AlertEventKind;
  /** What it is about (a target, a model, a client): alerts are rate limited per kind and subject. */
  subject: string;
  /** One line for people (Slack shows it as the message). */
  text: string;
  /** Structured facts for machines. */
  fields: Readonly<Record<string, string | number | boolean | null>>;
}

/** One webhook (`alerts[]` in the config). */
export interface AlertSink {
  url: string;
  events: readonly AlertEventKind[];
  /** At most one alert per kind and subject in this long. */
  minIntervalMs: number;
  /** Signs each body with HMAC-SHA256 (`x-switchyard-signature`). */
  secret?: string;
  /** Tries per delivery, the first included. Default: the dispatcher's `maxAttempts`. */
  maxAttempts?: number;
  /** `budget_threshold` alerts only at these shares of a budget. Default: every threshold. */
  thresholds?: readonly number[];
}

/** What a delivery came to, for metrics. */
export type AlertOutcome = "sent" | "failed" | "suppressed" | "dropped";

/** Sends one body; resolves with the receiver's status. Injected in tests. */
export type AlertTransport = (
  url: string,
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal,
) => Promise<number>;

export interface AlertDispatcherOptions {
  /** The webhooks, read on every alert (so a reloaded config applies). */
  sinks: readonly AlertSink[] | (() => readonly AlertSink[]);
  clock: Clock;
  transport?: AlertTransport;
  /** Tries per delivery, the first included. Default 3. */
  maxAttempts?: number;
  /** Wait before the first retry, doubled for each later one. Default 1000. */
  retryDelayMs?: number;
  /** Longest one POST may take. Default 5000. */
  timeoutMs?: number;
  /** Deliveries waiting or in flight at most; later alerts are dropped (and counted). Default 100. */
  maxPending?: number;
  /** Told about each alert's outcome per sink (metrics). */
  onOutcome?: (kind: AlertEventKind, outcome: AlertOutcome) => void;
}

/** Posts JSON with the platform's fetch; a status, or a rejection when the receiver is unreachable. */
export const fetchTransport: AlertTransport = async (url, body, headers, signal) => {
  const response = await fetch(url, { method: "POST", body, headers, signal });
  await response.body?.cancel();
  return response.status;
};

/**
 * Sends alerts to webhooks off the request path: `notify` never waits and never throws. Each sink
 * gets the kinds it asked for, at most one per kind and subject per `minIntervalMs`; a delivery that
 * fails (an error, a timeout or a non-2xx answer) is retried with doubling delays, and a full queue
 * drops new alerts rather than growing.
 *
 * The body is JSON with a Slack-compatible `text` and the structured fields; with a `secret`, the
 * header `x-switchyard-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` lets the
 * receiver check it and refuse replays.
 */
export class AlertDispatcher {
  private readonly lastSent = new Map<string, number>();
  private readonly timers = new Set<TimerHandle>();
  private readonly inFlight = new Set<AbortController>();
  private pending = 0;
  private closed = false;

  constructor(private readonly options: AlertDispatcherOptions) {}

  notify(event: AlertEvent): void {
    if (this.closed) return;
    const { sinks } = this.options;
    (typeof sinks === "function" ? sinks() : sinks).forEach((sink, index) => {
      if (!sink.events.includes(event.kind)) return;
      const threshold = event.fields.threshold;
      if (
        typeof threshold === "number" &&
        sink.thresholds &&
        !sink.thresholds.includes(threshold)
      ) {
        return;
      }
      const key = `${index}\u0000${event.kind}\u0000${event.subject}`;
      const now = this.options.clock.now();
      const last = this.lastSent.get(key);
      if (last !== undefined && now - last < sink.minIntervalMs) {
        this.options.onOutcome?.(event.kind, "suppressed");
        return;
      }
      if (this.pending >= (this.options.maxPending ?? 100)) {
        this.options.onOutcome?.(event.kind, "dropped");
        return;
      }
      this.lastSent.set(key, now);
      this.pending++;
      void this.deliver(sink, event, alertBody(event, now), 1);
    });
  }

  /** Stops retries and aborts deliveries in flight. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) this.options.clock.clearTimeout(timer);
    this.timers.clear();
    for (const controller of this.inFlight) controller.abort();
  }

  private async deliver(sink: AlertSink, event: AlertEvent, body: string, attempt: number) {
    const { clock } = this.options;
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timeout = clock.setTimeout(
      () => controller.abort(),
      this.options.timeoutMs ?? 5000,
      true,
    );
    let ok = false;
    try {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (sink.secret) headers["x-switchyard-signature"] = sign(sink.secret, body, clock.now());
      const status = await (this.options.transport ?? fetchTransport)(
        sink.url,
        body,
        headers,
        controller.signal,
      );
      ok = status >= 200 && status < 300;
    } catch {
      ok = false;
    } finally {
      clock.clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
    if (ok || this.closed || attempt >= (sink.maxAttempts ?? this.options.maxAttempts ?? 3)) {
      this.pending--;
      if (!this.closed) this.options.onOutcome?.(event.kind, ok ? "sent" : "failed");
      return;
    }
    const delayMs = (this.options.retryDelayMs ?? 1000) * 2 ** (attempt - 1);
    const timer = clock.setTimeout(
      () => {
        this.timers.delete(timer);
        void this.deliver(sink, event, body, attempt + 1);
      },
      delayMs,
      true,
    );
    this.timers.add(timer);
  }
}

/** The JSON an alert is sent as. */
export function alertBody(event: AlertEvent, nowMs: number): string {
  return JSON.stringify({
    text: `[switchyard] ${event.text}`,
    event: event.kind,
    subject: event.subject,
    at: new Date(nowMs).toISOString(),
    ...event.fields,
  });
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export function sign(secret: string, body: string, nowMs: number): string {
  const t = Math.floor(nowMs / 1000);
  const digest = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  return `t=${t},v1=${digest}`;
}
