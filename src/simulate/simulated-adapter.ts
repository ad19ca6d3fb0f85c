import type { Clock } from "../engine/clock.js";
import type { ProviderContext } from "../engine/provider.js";
import type { ChatRequest, ChatResult, Usage } from "../llm/chat.js";
import type { LlmProvider } from "../llm/llm-provider.js";
import type { ChatStreamPart } from "../llm/stream-part.js";
import { type AttemptPlan, streamCutError, type TargetBehaviour } from "./target-behaviour.js";
import { hangUntilAborted, waitVirtual } from "./wait-virtual.js";

/** What one simulated client request cost upstream, filled in by the adapters it reached. */
export interface RequestLedger {
  /** Upstream calls started (attempts, retries and hedges). */
  upstreamCalls: number;
  /** Price of the calls that did work (answered, cut mid-stream, or aborted mid-answer). */
  cost: number;
}

export interface SimulatedAdapterOptions {
  /** The config's provider name. */
  provider: string;
  /** The config's provider type, reported as the result's `provider`. */
  type: string;
  clock: Clock;
  /** The clock's time at the start of the run (faults are timed from it). */
  startMs: number;
  /** The behaviour of this key's target serving `model`. */
  behaviourFor(model: string): TargetBehaviour;
  /** Health probes: the provider's and key's faults (probes name no model). */
  probe: TargetBehaviour;
  /** The price of one call to `model` through this key. */
  costFor(model: string): number;
  /** Ledgers of requests in flight, by their `messages` array (the engine passes it through). */
  ledgers: WeakMap<object, RequestLedger>;
  usage: Usage;
}

/**
 * A stand-in for one provider key's adapter: no network, only virtual time. Each call's fate comes
 * from the target's `TargetBehaviour` at the moment it starts; errors are `ProviderError`s of the kinds
 * a real adapter would raise, waits run on the injected clock and end early when `context.signal`
 * aborts (a timeout, a lost hedge, the caller going away).
 */
export class SimulatedAdapter implements LlmProvider {
  readonly type: string;
  private answered = 0;

  constructor(private readonly options: SimulatedAdapterOptions) {
    this.type = options.type;
  }

  async generate(request: ChatRequest, context: ProviderContext): Promise<ChatResult> {
    const plan = this.start(request, false);
    const { signal } = context;
    if (plan.type !== "serve") return this.failLater(plan, signal);
    await waitVirtual(this.options.clock, plan.latencyMs, signal);
    return this.result(request.model);
  }

  async *stream(request: ChatRequest, context: ProviderContext): AsyncGenerator<ChatStreamPart> {
    const plan = this.start(request, true);
    const { signal } = context;
    const { clock } = this.options;
    if (plan.type !== "serve") return await this.failLater(plan, signal);
    await waitVirtual(clock, plan.firstChunkMs, signal);
    const id = this.nextId();
    yield { type: "response-metadata", id, model: request.model };
    yield { type: "text-delta", text: "Simulated " };
    if (plan.cutAtMs !== undefined) {
      await waitVirtual(clock, plan.cutAtMs - plan.firstChunkMs, signal);
      throw streamCutError(this.options.provider, plan.cutAtMs);
    }
    await waitVirtual(clock, plan.latencyMs - plan.firstChunkMs, signal);
    yield { type: "text-delta", text: "answer." };
    yield { type: "usage", usage: this.options.usage };
    yield { type: "finish", finishReason: "stop", rawFinishReason: "stop" };
  }

  async healthCheck(context: ProviderContext): Promise<unknown> {
    const { clock, startMs } = this.options;
    const plan = this.options.probe.probe(clock.now() - startMs);
    if (plan.type === "hang") return hangUntilAborted(context.signal);
    await waitVirtual(
      clock,
      plan.type === "fail" ? plan.afterMs : plan.latencyMs,
      context.signal,
      true,
    );
    if (plan.type === "fail") throw plan.error;
    return { ok: true };
  }

  async close(): Promise<void> {}

  /** Plans a call, counts it, and charges it when it will do work. */
  private start(request: ChatRequest, streaming: boolean): AttemptPlan {
    const { clock, startMs } = this.options;
    const plan = this.options.behaviourFor(request.model).plan(clock.now() - startMs, streaming);
    const ledger = this.options.ledgers.get(request.messages);
    if (ledger) {
      ledger.upstreamCalls += 1;
      if (plan.type === "serve") ledger.cost += this.options.costFor(request.model);
    }
    return plan;
  }

  private async failLater(plan: AttemptPlan, signal: AbortSignal): Promise<never> {
    if (plan.type === "hang") return hangUntilAborted(signal);
    if (plan.type === "fail") {
      await waitVirtual(this.options.clock, plan.afterMs, signal);
      throw plan.error;
    }
    throw new Error("failLater called with a plan that serves");
  }

  private result(model: string): ChatResult {
    return {
      id: this.nextId(),
      model,
      adapterType: this.type,
      text: "Simulated answer.",
      toolCalls: [],
      finishReason: "stop",
      rawFinishReason: "stop",
      usage: this.options.usage,
    };
  }

  private nextId(): string {
    this.answered += 1;
    return `sim-${this.options.provider}-${this.answered}`;
  }
}
