import type { TrafficSpec } from "./scenario-schema.js";
import type { SeededRandom } from "./seeded-random.js";

/**
 * An open-loop arrival process: Poisson arrivals at the rate in force (a constant `rate`, or the
 * `schedule` step covering the moment), a model drawn from the mix, streaming with the given share.
 */
export class TrafficPlan {
  private readonly steps: { from: number; rate: number }[];
  private readonly models: { name: string; threshold: number }[];
  private readonly streamingShare: number;

  constructor(
    traffic: TrafficSpec,
    mix: Readonly<Record<string, number>>,
    private readonly durationMs: number,
    private readonly random: SeededRandom,
  ) {
    this.steps = traffic.schedule ?? [{ from: 0, rate: traffic.rate ?? 0 }];
    const total = Object.values(mix).reduce((sum, weight) => sum + weight, 0);
    let running = 0;
    this.models = Object.entries(mix).map(([name, weight]) => {
      running += weight / total;
      return { name, threshold: running };
    });
    this.streamingShare = traffic.streaming;
  }

  /** The next arrival after `afterMs`, or `undefined` when none comes before the end. */
  nextArrival(afterMs: number): number | undefined {
    let time = afterMs;
    while (time < this.durationMs) {
      const index = this.stepIndex(time);
      const step = index < 0 ? undefined : this.steps[index];
      const stepEnd = Math.min(this.steps[index + 1]?.from ?? this.durationMs, this.durationMs);
      if (step && step.rate > 0) {
        const next = time + this.random.exponential(1000 / step.rate);
        if (next < stepEnd) return next;
      }
      time = stepEnd;
    }
    return undefined;
  }

  /** The model of the next request. */
  pickModel(): string {
    const draw = this.random.next();
    for (const model of this.models) if (draw < model.threshold) return model.name;
    return this.models[this.models.length - 1]?.name ?? "";
  }

  pickStreaming(): boolean {
    return this.random.chance(this.streamingShare);
  }

  /** The index of the step in force at `time` (-1 before the first). */
  private stepIndex(time: number): number {
    let found = -1;
    for (let index = 0; index < this.steps.length; index++) {
      if ((this.steps[index]?.from ?? 0) <= time) found = index;
      else break;
    }
    return found;
  }
}
