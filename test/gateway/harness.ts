/**
 * Shared setup for the gateway's integration tests: mock provider servers and a gateway on free
 * ports of 127.0.0.1, a config builder, the official SDKs pointed at the gateway, a logger that
 * keeps every line, a fetch that keeps every response, and one teardown that closes it all.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { parseConfigText } from "../../src/config/index.js";
import { Gateway } from "../../src/gateway/gateway.js";
import {
  type MockProviderServer,
  type MockRecordedRequest,
  startMockProviderServer,
} from "../../src/testing/index.js";
import { type CapturingLogger, createCapturingLogger } from "./capturing-logger.js";

export { rejectionOf } from "../support/rejection-of.js";
export {
  type CapturedLog,
  type CapturingLogger,
  createCapturingLogger,
  type LogLevel,
} from "./capturing-logger.js";

/** One HTTP exchange seen by a harness client: status, headers and the whole body as text. */
export interface CapturedResponse {
  method: string;
  url: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type ProviderType = "openai" | "anthropic" | "gemini";

/** Config of one upstream provider; the rest of the provider schema can be given in `extra`. */
export interface ProviderSpec {
  name: string;
  type: ProviderType;
  /** The mock server's URL, or any origin (e.g. a closed port). */
  origin: string;
  /** Default `sk-test-<name>`. */
  key?: string;
  firstByteTimeoutMs?: number;
  idleTimeoutMs?: number;
  extra?: Record<string, unknown>;
}

/** Set by `npm run test:translated`: the same suite, with the same-protocol pass-through off. */
export const TRANSLATED = process.env.SWITCHYARD_GATEWAY_PATH === "translated";

/** One provider entry: OpenAI base URLs carry `/v1`, Anthropic ones do not (as the SDKs take them). */
export function providerConfig(spec: ProviderSpec): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    name: spec.name,
    type: spec.type,
    baseUrl: spec.type === "openai" ? `${spec.origin}/v1` : spec.origin,
    keys: [{ key: spec.key ?? `sk-test-${spec.name}` }],
    // `npm run test:translated` runs the gateway suite with every request translated.
    ...(TRANSLATED ? { passThrough: false } : {}),
    ...spec.extra,
  };
  if (spec.firstByteTimeoutMs !== undefined) entry.firstByteTimeoutMs = spec.firstByteTimeoutMs;
  if (spec.idleTimeoutMs !== undefined) entry.idleTimeoutMs = spec.idleTimeoutMs;
  return entry;
}

/**
 * A model that tries its targets in the order given (priority 1, 2, ...), one attempt each, so
 * every upstream request a test counts is one the test meant.
 */
export function failoverModel(
  name: string,
  targets: ReadonlyArray<readonly [provider: string, model: string]>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    name,
    targets: targets.map(([provider, model], index) => ({ provider, model, priority: index + 1 })),
    retry: { maxAttempts: 1 },
    ...extra,
  };
}

export interface ConfigParts {
  providers: Record<string, unknown>[];
  models?: Record<string, unknown>[];
  server?: Record<string, unknown>;
  defaults?: Record<string, unknown>;
  clients?: Record<string, unknown>[];
  /** Any other top-level sections (`database`, `pricing`, `state`, ...). */
  extra?: Record<string, unknown>;
}

/** Config text (JSON is YAML) from parts; the server listens on port 0 of 127.0.0.1. */
export function configText(parts: ConfigParts): string {
  const config: Record<string, unknown> = {
    server: { host: "127.0.0.1", port: 0, shutdownGraceMs: 200, ...parts.server },
    providers: parts.providers,
    models: parts.models ?? [],
  };
  if (parts.defaults) config.defaults = parts.defaults;
  if (parts.clients) config.clients = parts.clients;
  Object.assign(config, parts.extra);
  return JSON.stringify(config, null, 2);
}

export interface HarnessOptions<Name extends string> {
  /** Names of the mock provider servers to start. */
  mocks: readonly Name[];
  /** Builds the config from the mocks (their `url`). */
  config: (mocks: Record<Name, MockProviderServer>) => ConfigParts;
  /** Environment for `${VAR}` interpolation. Default empty. */
  env?: Record<string, string>;
}

export interface Harness<Name extends string> {
  readonly gateway: Gateway;
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly mocks: Record<Name, MockProviderServer>;
  readonly logger: CapturingLogger;
  /** Every response the harness's clients and `fetch` received (bodies once fully read). */
  readonly responses: CapturedResponse[];
  /** A fetch that records into `responses`; the SDK clients below use it. */
  readonly fetch: typeof fetch;
  /** The OpenAI SDK on the gateway; `maxRetries: 0` and a dummy key unless overridden. */
  openai(options?: ConstructorParameters<typeof OpenAI>[0]): OpenAI;
  /** The Anthropic SDK on the gateway; `maxRetries: 0` and a dummy key unless overridden. */
  anthropic(options?: ConstructorParameters<typeof Anthropic>[0]): Anthropic;
  /** Waits until every recorded response body has been read to its end (or failed). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the mocks, then a gateway on a free port with the config built from them. */
export async function startHarness<Name extends string>(
  options: HarnessOptions<Name>,
): Promise<Harness<Name>> {
  const started: MockProviderServer[] = [];
  let gateway: Gateway | undefined;
  try {
    const mocks = {} as Record<Name, MockProviderServer>;
    for (const name of options.mocks) {
      const mock = await startMockProviderServer();
      started.push(mock);
      mocks[name] = mock;
    }
    const loaded = parseConfigText(configText(options.config(mocks)), { env: options.env ?? {} });
    const logger = createCapturingLogger();
    gateway = new Gateway(loaded, { logger });
    const url = await gateway.listen({ host: "127.0.0.1", port: 0 });
    const responses: CapturedResponse[] = [];
    const pending: Promise<void>[] = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const copy = response.clone();
      const method = init?.method ?? (input instanceof Request ? input.method : "GET");
      const target = input instanceof Request ? input.url : String(input);
      const headers = Object.fromEntries(copy.headers.entries());
      pending.push(
        readAll(copy).then((body) => {
          responses.push({ method, url: target, status: copy.status, headers, body });
        }),
      );
      return response;
    };
    const running = gateway;
    return {
      gateway: running,
      url,
      mocks,
      logger,
      responses,
      fetch: recordingFetch,
      openai: (overrides) =>
        new OpenAI({
          baseURL: `${url}/v1`,
          apiKey: "sk-client-unused",
          maxRetries: 0,
          fetch: recordingFetch,
          ...overrides,
        }),
      anthropic: (overrides) =>
        new Anthropic({
          baseURL: url,
          apiKey: "sk-client-unused",
          maxRetries: 0,
          fetch: recordingFetch,
          ...overrides,
        }),
      settled: async () => {
        while (pending.length > 0) await Promise.all(pending.splice(0));
      },
      close: async () => {
        await running.close(100);
        await Promise.all(started.map((mock) => mock.close()));
      },
    };
  } catch (error) {
    await gateway?.close(0);
    await Promise.all(started.map((mock) => mock.close()));
    throw error;
  }
}

/** A response body as text; what arrived before an error, when reading fails. */
async function readAll(response: Response): Promise<string> {
  if (!response.body) return "";
  const decoder = new TextDecoder();
  let text = "";
  try {
    for await (const chunk of response.body) text += decoder.decode(chunk, { stream: true });
  } catch {
    // A cut or aborted stream: keep what was read.
  }
  return text + decoder.decode();
}

/** The two-provider setup most tests use: an OpenAI-type primary and an Anthropic-type fallback. */
export function primaryAndFallback(
  options: {
    primary?: Partial<ProviderSpec>;
    fallback?: Partial<ProviderSpec>;
    model?: Record<string, unknown>;
    server?: Record<string, unknown>;
    clients?: Record<string, unknown>[];
    extra?: Record<string, unknown>;
  } = {},
): HarnessOptions<"primary" | "fallback"> {
  return {
    mocks: ["primary", "fallback"],
    config: (mocks) => ({
      providers: [
        providerConfig({
          name: "primary",
          type: "openai",
          origin: mocks.primary.url,
          ...options.primary,
        }),
        providerConfig({
          name: "fallback",
          type: "anthropic",
          origin: mocks.fallback.url,
          ...options.fallback,
        }),
      ],
      models: [
        failoverModel(
          "smart",
          [
            ["primary", "gpt-4o"],
            ["fallback", "claude-sonnet-4-5"],
          ],
          options.model,
        ),
      ],
      ...(options.server ? { server: options.server } : {}),
      ...(options.clients ? { clients: options.clients } : {}),
      ...(options.extra ? { extra: options.extra } : {}),
    }),
  };
}

/** Starts harnesses that `closeAll` (in an `afterEach`) tears down together. */
export function harnessPool(): {
  start<Name extends string>(options: HarnessOptions<Name>): Promise<Harness<Name>>;
  closeAll(): Promise<void>;
} {
  const open: Array<{ close(): Promise<void> }> = [];
  return {
    async start(options) {
      const harness = await startHarness(options);
      open.push(harness);
      return harness;
    },
    async closeAll() {
      await Promise.all(open.splice(0).map((harness) => harness.close()));
    },
  };
}

/**
 * The calls a mock received for clients' requests: everything but the models listing, which the
 * gateway's health checks use (one round runs when the gateway starts listening).
 */
export function upstreamCalls(mock: MockProviderServer): MockRecordedRequest[] {
  return mock.requests.filter((request) => !request.route.endsWith(".models"));
}

/** How many client calls each mock of a harness received (health checks left out). */
export function callCounts<Name extends string>(harness: {
  mocks: Record<Name, MockProviderServer>;
}): Record<Name, number> {
  const counts = {} as Record<Name, number>;
  for (const name of Object.keys(harness.mocks) as Name[]) {
    counts[name] = upstreamCalls(harness.mocks[name]).length;
  }
  return counts;
}
