/**
 * Several `switchyard serve` processes sharing one Redis and the same mock providers, for the
 * scale-out tests: every process is started from the same config file, each on its own free port,
 * and stopped by PID (SIGKILL) at the end, whatever happened.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ServeChild, spawnServeChild } from "../../src/cli/serve-child.test-helper.js";
import { type MockProviderServer, startMockProviderServer } from "../../src/testing/index.js";
import { type RedisServer, startRedisServer } from "../support/redis-server.js";

export const ADMIN_KEY = "sk-admin-scale-out";

export interface Instance {
  readonly name: string;
  readonly url: string;
  readonly child: ServeChild;
}

export interface Cluster<Mock extends string> {
  readonly redis: RedisServer;
  readonly mocks: Record<Mock, MockProviderServer>;
  readonly instances: Instance[];
  /** Kills every gateway, Redis and the mocks; safe to call twice. */
  stop(): Promise<void>;
}

export interface ClusterOptions<Mock extends string> {
  mocks: readonly Mock[];
  instances: number;
  /** The config (without `server` and `state`), from the mocks' URLs. */
  config: (mocks: Record<Mock, MockProviderServer>) => Record<string, unknown>;
}

export async function startCluster<Mock extends string>(
  options: ClusterOptions<Mock>,
): Promise<Cluster<Mock>> {
  const mocks = {} as Record<Mock, MockProviderServer>;
  const children: ServeChild[] = [];
  let redis: RedisServer | undefined;
  let folder: string | undefined;
  const stop = async () => {
    for (const child of children) child.kill();
    await Promise.all(children.map((child) => child.exited));
    await redis?.destroy();
    await Promise.all(Object.values<MockProviderServer>(mocks).map((mock) => mock.close()));
    if (folder) await rm(folder, { recursive: true, force: true });
  };
  try {
    redis = await startRedisServer();
    for (const name of options.mocks) mocks[name] = await startMockProviderServer();
    folder = await mkdtemp(join(tmpdir(), "switchyard-scale-out-"));
    const config = {
      server: { host: "127.0.0.1", port: 0, adminKey: ADMIN_KEY, shutdownGraceMs: 200 },
      state: { redis: redis.url },
      ...options.config(mocks),
    };
    const file = join(folder, "switchyard.yaml");
    await writeFile(file, JSON.stringify(config, null, 2));
    for (let i = 0; i < options.instances; i++) {
      children.push(spawnServeChild(["serve", "--config", file]));
    }
    const urls = await Promise.all(children.map((child) => child.url()));
    const instances = children.map((child, index) => ({
      name: String.fromCharCode(65 + index),
      url: urls[index] ?? "",
      child,
    }));
    const running = redis;
    return { redis: running, mocks, instances, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** `GET <path>` on an instance, as JSON (with the admin key). */
export async function getJson(instance: Instance, path: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${instance.url}${path}`, {
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
    signal: AbortSignal.timeout(2000),
  });
  return (await response.json()) as Record<string, unknown>;
}

/** The status of one target of one model, from `/admin/status`. */
export async function targetStatus(
  instance: Instance,
  model: string,
  target: string,
): Promise<string | undefined> {
  const status = await getJson(instance, "/admin/status");
  const models = status.models as { name: string; targets: { id: string; status: string }[] }[];
  return models.find((entry) => entry.name === model)?.targets.find((t) => t.id === target)?.status;
}

/** What one client request came to: a status, or an error at the client (named). */
export interface Outcome {
  instance: string;
  status?: number;
  error?: string;
  body?: string;
  startedAt: number;
  endedAt: number;
}

/** One chat completion through an instance, with a client timeout (a hang shows as TimeoutError). */
export async function chat(
  instance: Instance,
  options: { model: string; key: string; timeoutMs?: number },
): Promise<Outcome> {
  const startedAt = Date.now();
  try {
    const response = await fetch(`${instance.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${options.key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: options.model, messages: [{ role: "user", content: "hi" }] }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    const body = await response.text();
    return {
      instance: instance.name,
      status: response.status,
      body,
      startedAt,
      endedAt: Date.now(),
    };
  } catch (error) {
    const name = error instanceof Error ? error.name : "Error";
    return { instance: instance.name, error: name, startedAt, endedAt: Date.now() };
  }
}

/**
 * Load: `workers` loops per instance, each sending requests one after another until `until()`
 * says stop (bounded by `maxRequests` per worker); a loop whose request ends in an error at the
 * client (its instance is gone) stops there. Resolves with every outcome.
 */
export async function runLoad(
  instances: readonly Instance[],
  options: {
    model: string;
    key: string;
    workers: number;
    until: () => boolean;
    maxRequests?: number;
    timeoutMs?: number;
  },
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const worker = async (instance: Instance) => {
    for (let i = 0; i < (options.maxRequests ?? 1000) && !options.until(); i++) {
      const outcome = await chat(instance, options);
      outcomes.push(outcome);
      if (outcome.error !== undefined) return;
    }
  };
  const loops = instances.flatMap((instance) =>
    Array.from({ length: options.workers }, () => worker(instance)),
  );
  await Promise.all(loops);
  return outcomes;
}
