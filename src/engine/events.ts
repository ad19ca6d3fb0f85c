import type { AttemptRecord, CooldownReason } from "../errors/attempt-record.js";
import type { ErrorKind } from "../errors/error-kind.js";
import type { CircuitState } from "./circuit-breaker.js";

/** Everything the factory reports as it works. Listeners never delay or break a call. */
export interface FactoryEvents {
  attempt: { targetId: string; attempt: number; hedge: boolean };
  success: { targetId: string; attempt: number; latencyMs: number };
  failure: {
    targetId: string;
    attempt: number;
    kind: ErrorKind;
    error: unknown;
    latencyMs: number;
  };
  fallback: { from: string; to: string; error: unknown };
  allFailed: { errors: Readonly<Record<string, unknown>>; attempts: readonly AttemptRecord[] };
  circuit: { targetId: string; from: CircuitState; to: CircuitState };
  health: { targetId: string; healthy: boolean; error: unknown };
  cooldown: { targetId: string; reason: CooldownReason; durationMs: number };
  /** A listener threw or rejected; the call went on regardless. */
  hookError: { event: keyof FactoryEvents; error: unknown };
}

export type FactoryEventName = keyof FactoryEvents;
type Listener<E extends FactoryEventName> = (payload: FactoryEvents[E]) => unknown;
type ListenerMap = { [E in FactoryEventName]?: Listener<E>[] };

/**
 * A tiny typed event hub. `emit` calls listeners synchronously but never awaits them: a listener that
 * throws or rejects is reported as `hookError` (or a process warning when nobody listens for that).
 */
export class EventHub {
  private readonly listeners: ListenerMap = {};

  on<E extends FactoryEventName>(event: E, listener: Listener<E>): () => void {
    const list = (this.listeners[event] ?? []) as Listener<E>[];
    this.listeners[event] = list as ListenerMap[E];
    list.push(listener);
    return () => {
      const index = list.indexOf(listener);
      if (index >= 0) list.splice(index, 1);
    };
  }

  /** Cheap check, so callers build payloads only when someone listens. */
  has(event: FactoryEventName): boolean {
    const list = this.listeners[event];
    return list !== undefined && list.length > 0;
  }

  emit<E extends FactoryEventName>(event: E, payload: FactoryEvents[E]): void {
    const list = this.listeners[event] as Listener<E>[] | undefined;
    if (!list) return;
    for (const listener of list) {
      try {
        const result = listener(payload);
        if (isPromiseLike(result))
          result.then(undefined, (error: unknown) => this.report(event, error));
      } catch (error) {
        this.report(event, error);
      }
    }
  }

  private report(event: FactoryEventName, error: unknown): void {
    if (event !== "hookError" && this.has("hookError")) {
      this.emit("hookError", { event, error });
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    globalThis.process?.emitWarning?.(`switchyard: a ${event} listener failed: ${message}`);
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}
