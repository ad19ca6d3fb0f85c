import {
  type MockBehaviour,
  type MockProviderServer,
  type MockRecordedRequest,
  startMockProviderServer,
} from "../../src/testing/index.js";

export type UpstreamName = "primary" | "fallback";

/** Picks a misbehaviour for a request, or `undefined` to answer normally. */
export type FaultRule = (request: MockRecordedRequest) => MockBehaviour | undefined;

export interface ChaosUpstreamsOptions {
  /** Names this scenario's keys (`sk-chaos-<scenario>-<upstream>-<id>`). */
  scenario: string;
  /** Latency of every healthy answer, before its status line. */
  baseLatencyMs: number;
  /** Key ids of the primary (the fallback has one key, `a`). Default `["a"]`. */
  primaryKeys?: readonly string[];
}

const FILLER = "lorem ipsum dolor sit amet consectetur adipiscing elit sed";

/** The answer text: the first word names who served it (`served-by:primary:a`), nine more follow. */
export function answerText(label: string): string {
  return `served-by:${label} ${FILLER}`;
}

/** Who served an answer, from its text (`primary:a`), or `undefined` when it names nobody. */
export function servedBy(text: string): string | undefined {
  const first = text.split(" ", 1)[0] ?? "";
  return first.startsWith("served-by:") ? first.slice("served-by:".length) : undefined;
}

/** The key id a request carried (`a`, `b`), from `Authorization: Bearer sk-chaos-...-<id>`. */
export function keyIdOf(request: MockRecordedRequest): string {
  const header = request.headers.authorization;
  const value = Array.isArray(header) ? header[0] : header;
  return value?.split("-").at(-1) ?? "none";
}

export function chaosKey(scenario: string, upstream: UpstreamName, id: string): string {
  return `sk-chaos-${scenario}-${upstream}-${id}`;
}

/**
 * A scenario's two mock providers (primary and fallback), each answering with text that names the
 * server and key that served it, unless a fault rule set for it says otherwise. The primary can be
 * stopped (connection refused) and started again on the same port.
 */
export class ChaosUpstreams {
  readonly faults: Partial<Record<UpstreamName, FaultRule>> = {};
  readonly primaryKeys: readonly string[];
  private primary: MockProviderServer | undefined;
  private readonly healthy = new Map<string, MockBehaviour>();

  private constructor(
    private readonly options: ChaosUpstreamsOptions,
    primary: MockProviderServer,
    private readonly fallback: MockProviderServer,
    readonly primaryPort: number,
  ) {
    this.primary = primary;
    this.primaryKeys = options.primaryKeys ?? ["a"];
  }

  static async start(options: ChaosUpstreamsOptions): Promise<ChaosUpstreams> {
    const behaviours = new Map<UpstreamName, (request: MockRecordedRequest) => MockBehaviour>();
    const start = (name: UpstreamName, port = 0) =>
      startMockProviderServer({
        port,
        recordRequests: false,
        latencyMs: options.baseLatencyMs,
        defaultBehaviour: (request) => {
          const behaviour = behaviours.get(name);
          if (!behaviour) throw new Error(`chaos upstream ${name} is not ready`);
          return behaviour(request);
        },
      });
    const primary = await start("primary");
    const fallback = await start("fallback");
    const upstreams = new ChaosUpstreams(options, primary, fallback, primary.port);
    for (const name of ["primary", "fallback"] as const) {
      behaviours.set(name, (request) => upstreams.answer(name, request));
    }
    upstreams.restartPrimary = async () => {
      upstreams.primary ??= await start("primary", upstreams.primaryPort);
    };
    return upstreams;
  }

  /** `http://127.0.0.1:<port>` of each upstream (the primary's stays the same across restarts). */
  get origins(): Record<UpstreamName, string> {
    return {
      primary: `http://127.0.0.1:${this.primaryPort}`,
      fallback: this.fallback.url,
    };
  }

  /** Closes the primary: new connections are refused until `restartPrimary`. */
  async stopPrimary(): Promise<void> {
    const primary = this.primary;
    this.primary = undefined;
    await primary?.close();
  }

  /** Listens again on the primary's port (set up by `start`). */
  restartPrimary: () => Promise<void> = async () => undefined;

  async close(): Promise<void> {
    await Promise.all([this.primary?.close(), this.fallback.close()]);
    this.primary = undefined;
  }

  private answer(name: UpstreamName, request: MockRecordedRequest): MockBehaviour {
    const fault = this.faults[name]?.(request);
    if (fault) return fault;
    const label = `${name}:${keyIdOf(request)}`;
    let behaviour = this.healthy.get(label);
    if (!behaviour) {
      behaviour = { reply: { text: answerText(label) } };
      this.healthy.set(label, behaviour);
    }
    return behaviour;
  }

  /** The scenario these upstreams belong to. */
  get scenario(): string {
    return this.options.scenario;
  }
}
