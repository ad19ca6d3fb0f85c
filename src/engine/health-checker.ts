import { AttemptTimeoutError } from "../errors/attempt-timeout-error.js";
import { AttemptContext } from "./attempt-context.js";
import type { Clock, TimerHandle } from "./clock.js";
import type { EventHub } from "./events.js";
import type { ProviderEntry } from "./provider-entry.js";

type AnyEntry = ProviderEntry<unknown, unknown, unknown>;

/**
 * Probes every provider that has a `healthCheck`, every `intervalMs`, each under `timeoutMs`. A
 * provider's probes never overlap: a round skips a provider whose previous probe is still running.
 */
export class HealthChecker {
  private timer: TimerHandle | undefined;
  private running = false;

  constructor(
    private readonly entries: () => Iterable<AnyEntry>,
    private readonly clock: Clock,
    private readonly events: EventHub,
    private readonly intervalMs: number,
    private readonly timeoutMs: number,
  ) {}

  /** Runs one round now, then one every interval (at a fixed rate) until `stop`. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.schedule();
    await this.checkAll();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One round over every provider; resolves when each probe has settled. */
  async checkAll(): Promise<void> {
    const probes: Promise<void>[] = [];
    for (const entry of this.entries()) {
      if (entry.provider.healthCheck && !entry.healthCheckRunning) probes.push(this.check(entry));
    }
    await Promise.all(probes);
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = this.clock.setTimeout(
      () => {
        this.schedule();
        void this.checkAll();
      },
      this.intervalMs,
      true,
    );
  }

  private async check(entry: AnyEntry): Promise<void> {
    const probe = entry.provider.healthCheck;
    if (!probe) return;
    entry.healthCheckRunning = true;
    const context = new AttemptContext(entry.name, 0);
    context.timer = this.clock.setTimeout(
      () => context.abort(new AttemptTimeoutError(entry.name, this.timeoutMs)),
      this.timeoutMs,
      true,
    );
    // The probe counts as running until its own promise settles, even past its timeout.
    const work = Promise.resolve().then(() => probe.call(entry.provider, context));
    const done = () => {
      entry.healthCheckRunning = false;
    };
    work.then(done, done);
    let healthy = true;
    let failure: unknown;
    try {
      await context.race(work);
    } catch (error) {
      healthy = false;
      failure = error;
    } finally {
      this.clock.clearTimeout(context.timer);
    }
    const previous = entry.health;
    entry.health = healthy ? "healthy" : "unhealthy";
    if (previous === entry.health) return;
    entry.shared?.publish({ type: "health", targetId: entry.name, healthy });
    if (this.events.has("health")) {
      this.events.emit("health", { targetId: entry.name, healthy, error: failure });
    }
  }
}
