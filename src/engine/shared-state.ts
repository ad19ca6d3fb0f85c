import type { CooldownReason } from "../errors/attempt-record.js";

/**
 * What one engine reports to the others sharing its providers (through Redis, say). Emitted for
 * what happens locally; a shared-state implementation decides what it means globally (atomically)
 * and broadcasts `SharedEvent`s back, to every engine including the sender.
 */
export type LocalEvent =
  | { type: "failure"; targetId: string; failureThreshold: number; openMs: number }
  | { type: "success"; targetId: string }
  | { type: "circuit-opened"; targetId: string; untilMs: number }
  | { type: "circuit-closed"; targetId: string }
  | { type: "cooldown"; targetId: string; reason: CooldownReason; untilMs: number }
  | { type: "health"; targetId: string; healthy: boolean };

/** What an engine hears from the shared state, and applies to its own view. */
export type SharedEvent =
  | { type: "circuit-opened"; targetId: string; untilMs: number }
  | { type: "circuit-closed"; targetId: string }
  | { type: "cooldown"; targetId: string; reason: CooldownReason; untilMs: number }
  | { type: "health"; targetId: string; healthy: boolean };

/** A concurrency slot held in the shared store; release it exactly once. */
export interface SlotLease {
  release(): void;
}

/**
 * Shared state across engines (instances of a gateway): circuits, failure counts, cooldowns, health
 * and concurrency slots. Every method must be cheap and must never throw or reject: when the store is
 * unreachable, the engine carries on with its local state, which is always kept too.
 */
export interface SharedState {
  /**
   * Whether the store is reachable now. While it is, consecutive failures are counted only there
   * (a success on any instance resets them); while it is not, each engine counts its own.
   */
  readonly available: boolean;
  /** Reports a local fact. Fire-and-forget. */
  publish(event: LocalEvent): void;
  /** Listens for shared events; returns the unsubscribe function. */
  subscribe(listener: (event: SharedEvent) => void): () => void;
  /**
   * Takes one of `limit` slots for `targetId` across every engine: a lease, `undefined` when they are
   * all taken, or `"unavailable"` when the store cannot say (the local limit then applies alone).
   */
  acquireSlot?(targetId: string, limit: number): Promise<SlotLease | undefined | "unavailable">;
}
