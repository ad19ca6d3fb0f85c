import type { LocalEvent, SharedEvent, SharedState, SlotLease } from "../engine/shared-state.js";
import type { CooldownReason } from "../errors/attempt-record.js";
import { COOLDOWN_REASONS } from "../errors/attempt-record.js";
import type { RedisConnection } from "./redis-connection.js";
import {
  ACQUIRE_SCRIPT,
  CLOSE_SCRIPT,
  FAILURE_SCRIPT,
  LOAD_SCRIPT,
  TIMED_STATE_SCRIPT,
} from "./redis-scripts.js";
import { decodeKeyPart, encodeKeyPart, type ProviderKeyKind } from "./state-keys.js";

const KNOWN_COOLDOWN_REASONS: ReadonlySet<string> = new Set(COOLDOWN_REASONS);

/**
 * The shared state of one namespace (one model's engine) in Redis, with the same decisions as
 * `MemorySharedState`, made atomically by Lua scripts: failures counted across instances (the
 * circuit opens for all at the threshold), a success anywhere resetting the count, circuits,
 * cooldowns and health broadcast to every instance (the sender too), and concurrency slots held as
 * expiring leases. A success touches Redis only when some instance has reported a failure since the
 * last reset (failures are broadcast, marking the provider "dirty"), so the happy path stays local.
 * Never throws: while the store is unreachable, `available` is false and every call is a no-op.
 */
export class RedisSharedState implements SharedState {
  private readonly listeners = new Set<(event: SharedEvent) => void>();
  private readonly dirty = new Set<string>();
  private readonly prefix: string;

  constructor(
    private readonly store: RedisConnection,
    readonly namespace: string,
  ) {
    this.prefix = store.namespacePrefix(namespace);
  }

  get available(): boolean {
    return this.store.available;
  }

  publish(event: LocalEvent): void {
    if (!this.store.available) return;
    const { targetId } = event;
    const encoded = encodeKeyPart(targetId);
    switch (event.type) {
      case "failure":
        this.dirty.add(targetId);
        this.script(
          FAILURE_SCRIPT,
          [this.key("fail", targetId), this.key("open", targetId), this.indexKey()],
          [
            event.failureThreshold,
            Math.max(1, Math.round(event.openMs)),
            this.store.failureTtlMs,
            this.store.channel,
            this.namespace,
            targetId,
            encoded,
          ],
        );
        return;
      case "success":
        if (!this.dirty.has(targetId)) return;
        this.dirty.delete(targetId);
        this.store.fire((client) => client.del(this.key("fail", targetId)));
        return;
      case "circuit-opened":
      case "cooldown": {
        const forMs = Math.round(event.untilMs - this.store.clock.now());
        if (forMs <= 0) return;
        const open = event.type === "circuit-opened";
        const message = open
          ? { ns: this.namespace, type: event.type, targetId, forMs }
          : { ns: this.namespace, type: event.type, targetId, forMs, reason: event.reason };
        this.script(
          TIMED_STATE_SCRIPT,
          [this.key(open ? "open" : "cool", targetId), this.indexKey()],
          [forMs, open ? "1" : event.reason, this.store.channel, JSON.stringify(message), encoded],
        );
        return;
      }
      case "circuit-closed":
        this.dirty.delete(targetId);
        this.script(
          CLOSE_SCRIPT,
          [this.key("open", targetId), this.key("fail", targetId)],
          [this.store.channel, JSON.stringify({ ns: this.namespace, type: event.type, targetId })],
        );
        return;
      case "health": {
        const message = { ns: this.namespace, type: event.type, targetId, healthy: event.healthy };
        this.store.fire((client) => client.publish(this.store.channel, JSON.stringify(message)));
        return;
      }
    }
  }

  subscribe(listener: (event: SharedEvent) => void): () => void {
    this.listeners.add(listener);
    // An engine built while connected (a config reload) starts from what the others know.
    if (this.store.available) void this.load();
    return () => this.listeners.delete(listener);
  }

  async acquireSlot(
    targetId: string,
    limit: number,
  ): Promise<SlotLease | undefined | "unavailable"> {
    if (!this.store.available) return "unavailable";
    const key = this.key("slots", targetId);
    const id = this.store.uniqueId();
    let taken: unknown;
    try {
      taken = await this.store.run(ACQUIRE_SCRIPT, [key], [limit, id, this.store.leaseMs]);
    } catch {
      return "unavailable";
    }
    if (taken !== 1) return undefined;
    this.store.holdLease(key, id);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.store.releaseLease(key, id);
      },
    };
  }

  /** Loads the namespace's open circuits, cooldowns and failure counts, and applies them. */
  async load(): Promise<void> {
    let rows: unknown;
    try {
      rows = await this.store.run(LOAD_SCRIPT, [this.indexKey()], [this.prefix]);
    } catch {
      return;
    }
    if (!Array.isArray(rows)) return;
    const now = this.store.clock.now();
    for (const row of rows) {
      if (!Array.isArray(row)) continue;
      const [encoded, openMs, coolMs, reason, failures] = row as unknown[];
      if (typeof encoded !== "string") continue;
      const targetId = decodeKeyPart(encoded);
      if (typeof failures === "number" && failures > 0) this.dirty.add(targetId);
      if (typeof openMs === "number" && openMs > 0) {
        this.emit({ type: "circuit-opened", targetId, untilMs: now + openMs });
      }
      if (typeof coolMs === "number" && coolMs > 0 && isCooldownReason(reason)) {
        this.emit({ type: "cooldown", targetId, reason, untilMs: now + coolMs });
      }
    }
  }

  /** Applies one message of the event channel (already matched to this namespace). */
  receive(message: object): void {
    const fields = message as Record<string, unknown>;
    const { type, targetId, forMs } = fields;
    if (typeof targetId !== "string") return;
    const untilMs = this.store.clock.now() + (typeof forMs === "number" ? forMs : 0);
    switch (type) {
      case "failure":
        this.dirty.add(targetId);
        return;
      case "circuit-opened":
        this.emit({ type, targetId, untilMs });
        return;
      case "circuit-closed":
        this.dirty.delete(targetId);
        this.emit({ type, targetId });
        return;
      case "cooldown":
        if (isCooldownReason(fields.reason)) {
          this.emit({ type, targetId, reason: fields.reason, untilMs });
        }
        return;
      case "health":
        if (typeof fields.healthy === "boolean") {
          this.emit({ type, targetId, healthy: fields.healthy });
        }
        return;
    }
  }

  private emit(event: SharedEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private script(script: string, keys: string[], args: (string | number)[]): void {
    this.store.run(script, keys, args).catch(() => undefined);
  }

  private key(kind: ProviderKeyKind, targetId: string): string {
    return `${this.prefix}${kind}:${encodeKeyPart(targetId)}`;
  }

  private indexKey(): string {
    return `${this.prefix}index`;
  }
}

function isCooldownReason(value: unknown): value is CooldownReason {
  return typeof value === "string" && KNOWN_COOLDOWN_REASONS.has(value);
}
