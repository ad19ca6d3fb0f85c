/**
 * A gateway with the dashboard on, over mock providers: two models failing over across three
 * providers (one with two keys), two clients and a pricing table. For the browser tests and for
 * looking at the dashboard by hand (`node --import tsx test/dashboard/serve-dashboard.ts`).
 */
import { parseConfigText } from "../../src/config/index.js";
import { Gateway } from "../../src/gateway/gateway.js";
import type { TraceStore } from "../../src/store/trace-store.js";
import { type MockProviderServer, startMockProviderServer } from "../../src/testing/index.js";
import { createCapturingLogger } from "../gateway/capturing-logger.js";
import { providerConfig } from "../gateway/harness.js";

export const ADMIN_KEY = "sy-admin-0123456789abcdef";
export const CLIENT_KEYS = {
  acme: "sk-client-acme-0123456789",
  globex: "sk-client-globex-0123456789",
};

export interface DashboardGateway {
  gateway: Gateway;
  url: string;
  primary: MockProviderServer;
  backup: MockProviderServer;
  spare: MockProviderServer;
  /** Loads the same config again and swaps it in (new routers and engines). */
  reload(): Promise<void>;
  /** A chat completion through the gateway; resolves once its body has been read. */
  chat(model: string, client: keyof typeof CLIENT_KEYS, stream?: boolean): Promise<Response>;
  close(): Promise<void>;
}

export interface DashboardGatewayOptions {
  traceStore?: TraceStore;
  port?: number;
  /** Added to `server` (e.g. `metrics: { port: 0 }`). */
  server?: Record<string, unknown>;
  latency?: boolean;
  /** More models, after `smart` and `fast`. */
  models?: Record<string, unknown>[];
  /** The config's `database` (runtime keys, kept traces and usage). */
  database?: Record<string, unknown>;
  /** Added to `defaults`. */
  defaults?: Record<string, unknown>;
  /** Called with the mock providers before the gateway starts (and runs its first health checks). */
  beforeStart?: (mocks: Pick<DashboardGateway, "primary" | "backup" | "spare">) => void;
}

export async function startDashboardGateway(
  options: DashboardGatewayOptions = {},
): Promise<DashboardGateway> {
  const primary = await startMockProviderServer();
  const backup = await startMockProviderServer();
  const spare = await startMockProviderServer();
  if (options.latency !== false) {
    primary.setLatency(35);
    backup.setLatency(70);
    spare.setLatency(20);
  }
  options.beforeStart?.({ primary, backup, spare });
  const config = {
    server: {
      host: "127.0.0.1",
      port: options.port ?? 0,
      shutdownGraceMs: 200,
      adminKey: ADMIN_KEY,
      ...options.server,
    },
    defaults: {
      failureThreshold: 2,
      recoveryTimeoutMs: 60_000,
      retry: { maxAttempts: 1 },
      ...options.defaults,
    },
    ...(options.database ? { database: options.database } : {}),
    providers: [
      providerConfig({ name: "primary", type: "openai", origin: primary.url }),
      providerConfig({ name: "backup", type: "anthropic", origin: backup.url }),
      providerConfig({
        name: "spare",
        type: "openai",
        origin: spare.url,
        extra: {
          keys: [
            { id: "team-a", key: "sk-spare-team-a-0123456789" },
            { id: "team-b", key: "sk-spare-team-b-0123456789" },
          ],
        },
      }),
    ],
    models: [
      {
        name: "smart",
        targets: [
          { provider: "primary", model: "gpt-4o", priority: 1 },
          { provider: "backup", model: "claude-sonnet-4-5", priority: 2 },
        ],
      },
      {
        name: "fast",
        targets: [
          { provider: "spare", model: "gpt-4o-mini", priority: 1 },
          { provider: "backup", model: "claude-haiku-4-5", priority: 2 },
        ],
      },
      ...(options.models ?? []),
    ],
    clients: [
      { name: "acme", key: CLIENT_KEYS.acme },
      { name: "globex", key: CLIENT_KEYS.globex },
    ],
    pricing: {
      "gpt-4o": { input: 2.5, output: 10 },
      "gpt-4o-mini": { input: 0.15, output: 0.6 },
      "claude-sonnet-4-5": { input: 3, output: 15 },
      "claude-haiku-4-5": { input: 1, output: 5 },
    },
  };
  const loaded = parseConfigText(JSON.stringify(config), { env: {} });
  const gateway = new Gateway(loaded, {
    logger: createCapturingLogger(),
    ...(options.traceStore ? { traceStore: options.traceStore } : {}),
  });
  const url = await gateway.listen();
  return {
    gateway,
    url,
    primary,
    backup,
    spare,
    reload: () => gateway.reload(parseConfigText(JSON.stringify(config), { env: {} })),
    async chat(model, client, stream = false) {
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${CLIENT_KEYS[client]}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({
          model,
          stream,
          messages: [{ role: "user", content: "How do switchyards work?" }],
          ...(stream ? { stream_options: { include_usage: true } } : {}),
        }),
      });
      await response.arrayBuffer();
      return response;
    },
    async close() {
      await gateway.close(100);
      await Promise.all([primary.close(), backup.close(), spare.close()]);
    },
  };
}
