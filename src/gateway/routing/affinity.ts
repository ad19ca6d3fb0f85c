import type { CallReport } from "../../engine/call.js";
import type { AffinityStore } from "../../state/affinity-store.js";

/**
 * Cache affinity: a client keeps calling a model through the same target (provider key) for a while,
 * so the vendor's prompt cache keeps hitting. The remembered target goes first; any failure of it
 * drops the affinity, and whoever serves next becomes the new one.
 */
export class Affinity {
  constructor(
    private readonly store: AffinityStore,
    private readonly ttlMs: number,
  ) {}

  static key(client: string, model: string): string {
    return `${client}\u0000${model}`;
  }

  /** The preferred target, if any; a store failure just means no preference. */
  async preferred(key: string): Promise<string | undefined> {
    return this.store.get(key).catch(() => undefined);
  }

  /** Learns from a finished call: keep, move or drop the affinity. Never throws. */
  async learn(
    key: string,
    preferred: string | undefined,
    report: CallReport | undefined,
  ): Promise<void> {
    const served = report?.targetId;
    const preferredFailed =
      preferred !== undefined &&
      (report === undefined ||
        report.attempts.some(
          (attempt) => attempt.targetId === preferred && attempt.outcome !== "success",
        ));
    try {
      if (served) {
        if (served !== preferred || preferredFailed) await this.store.set(key, served, this.ttlMs);
      } else if (preferredFailed) {
        await this.store.delete(key);
      }
    } catch {
      // Affinity is an optimisation: losing it costs a cache miss, never a request.
    }
  }
}

/** One call's affinity: the preferred target as a selector, and what to learn when it ends. */
export interface Stickiness {
  selector: (() => string) | undefined;
  learn(report: CallReport | undefined): void;
}

/** Looks up the affinity of a client's calls to a model (clients without a name share one). */
export async function stickiness(
  affinity: Affinity,
  client: string | undefined,
  model: string,
): Promise<Stickiness> {
  const key = Affinity.key(client ?? "", model);
  const preferred = await affinity.preferred(key);
  return {
    selector: preferred === undefined ? undefined : () => preferred,
    learn: (report) => void affinity.learn(key, preferred, report),
  };
}
