import type { CallReport } from "../../engine/call.js";
import type { AttemptRecord } from "../../errors/attempt-record.js";
import { isAllProvidersUnavailableError } from "../../errors/index.js";
import type {
  ObservedContinuation,
  ObservedEndpoint,
  ObservedOutcome,
  ObservedUsage,
  RequestObservation,
  RequestObserver,
} from "../../observe/request-observer.js";
import type { ModelRoute } from "../routing/model-route.js";

/**
 * Collects what a route learns about a request as it goes (client, model, route, report, usage) and
 * tells the gateway's observer once, however the request ends.
 */
export class RequestTracker {
  client: string | undefined;
  model: string | undefined;
  route: ModelRoute | undefined;
  stream = false;
  report: CallReport | undefined;
  usage: ObservedUsage | undefined;
  /** Targets passed over before the call (ineligible for the request): told as skipped attempts. */
  skipped: readonly AttemptRecord[] = [];
  /** Cuts that stream recovery tried to continue (`streamRecovery: { mode: continue }`). */
  continuations: ObservedContinuation[] | undefined;
  /** Per target id, what the request sent there lacked (reasoning left out): noted on its attempts. */
  notes: Map<string, string> | undefined;
  private firstByteMs: number | undefined;
  private readonly startedAtMs = performance.now();
  private readonly startedAt = Date.now();
  private readonly observation: RequestObservation | undefined;
  private ended = false;

  constructor(
    observer: RequestObserver | undefined,
    private readonly start: { requestId: string; endpoint: ObservedEndpoint; protocol: string },
  ) {
    try {
      this.observation = observer?.start({
        requestId: start.requestId,
        endpoint: start.endpoint,
        protocol: start.protocol,
        startedAt: this.startedAt,
      });
    } catch {
      // An observer's fault must never fail the request: it goes unobserved instead.
    }
  }

  /** Runs the upstream call in the request's observation context. */
  run<T>(work: () => T): T {
    return this.observation ? this.observation.run(work) : work();
  }

  /** A stream committed: its first chunk is about to go out. */
  committed(report: CallReport): void {
    this.report = report;
    this.firstByteMs = performance.now() - this.startedAtMs;
  }

  /** The report with the targets skipped before the call first, as if the engine had skipped them. */
  private withSkipped(error: unknown): CallReport {
    const report = this.report ?? {
      targetId: undefined,
      attempts: isAllProvidersUnavailableError(error) ? error.attempts : [],
      cached: false,
      stale: false,
      hedged: false,
      latencyMs: 0,
    };
    return { ...report, attempts: [...this.skipped, ...report.attempts] };
  }

  /** Adds notes for targets (a request tried through several models gathers each model's). */
  addNotes(notes: ReadonlyMap<string, string> | undefined): void {
    if (notes === undefined) return;
    this.notes ??= new Map();
    for (const [targetId, note] of notes) this.notes.set(targetId, note);
  }

  /** The report with each attempt on a target that has a note carrying it. */
  private noted(report: CallReport | undefined): CallReport | undefined {
    const notes = this.notes;
    if (notes === undefined || report === undefined) return report;
    const attempts = report.attempts.map((record): AttemptRecord => {
      const note = notes.get(record.targetId);
      return note === undefined || record.outcome === "skipped" ? record : { ...record, note };
    });
    return { ...report, attempts };
  }

  end(status: number, outcome: ObservedOutcome, error?: unknown): void {
    if (this.ended || !this.observation) return;
    this.ended = true;
    try {
      // Fields listed rather than `...this.start`: a spread into a literal this size costs more.
      const { requestId, endpoint, protocol } = this.start;
      this.observation.end({
        requestId,
        endpoint,
        protocol,
        startedAt: this.startedAt,
        model: this.model,
        route: this.route,
        client: this.client,
        stream: this.stream,
        status,
        outcome,
        report: this.noted(this.skipped.length === 0 ? this.report : this.withSkipped(error)),
        error,
        usage: this.usage,
        latencyMs: performance.now() - this.startedAtMs,
        firstByteMs: this.firstByteMs,
        ...(this.continuations ? { continuations: this.continuations } : {}),
      });
    } catch {
      // An observer's fault must never fail the request.
    }
  }
}
