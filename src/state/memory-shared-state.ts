import type { Clock } from "../engine/clock.js";
import { systemClock } from "../engine/clock.js";
import type { LocalEvent, SharedEvent, SharedState, SlotLease } from "../engine/shared-state.js";

/**
 * Shared state for engines in one process (several factories, or tests of multi-instance rules):
 * the same decisions the Redis implementation makes atomically, made on plain maps. Failures count
 * across every engine; a success anywhere resets the count; the circuit opens for all once the shared
 * count reaches the threshold.
 */
export class MemorySharedState implements SharedState {
  readonly available = true;
  private readonly listeners = new Set<(event: SharedEvent) => void>();
  private readonly failures = new Map<string, number>();
  private readonly openUntil = new Map<string, number>();
  private readonly slots = new Map<string, number>();

  constructor(private readonly clock: Clock = systemClock) {}

  publish(event: LocalEvent): void {
    switch (event.type) {
      case "failure": {
        const count = (this.failures.get(event.targetId) ?? 0) + 1;
        this.failures.set(event.targetId, count);
        const open = (this.openUntil.get(event.targetId) ?? 0) > this.clock.now();
        if (count >= event.failureThreshold && !open) {
          const untilMs = this.clock.now() + event.openMs;
          this.openUntil.set(event.targetId, untilMs);
          this.failures.set(event.targetId, 0);
          this.broadcast({ type: "circuit-opened", targetId: event.targetId, untilMs });
        }
        return;
      }
      case "success":
        this.failures.delete(event.targetId);
        return;
      case "circuit-opened":
        this.openUntil.set(event.targetId, event.untilMs);
        this.broadcast(event);
        return;
      case "circuit-closed":
        this.openUntil.delete(event.targetId);
        this.failures.delete(event.targetId);
        this.broadcast(event);
        return;
      case "cooldown":
      case "health":
        this.broadcast(event);
        return;
    }
  }

  subscribe(listener: (event: SharedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async acquireSlot(targetId: string, limit: number): Promise<SlotLease | undefined> {
    const held = this.slots.get(targetId) ?? 0;
    if (held >= limit) return undefined;
    this.slots.set(targetId, held + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.slots.set(targetId, (this.slots.get(targetId) ?? 1) - 1);
      },
    };
  }

  private broadcast(event: SharedEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
