import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, sep } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/**
 * The drivers of optional backends (Redis state, PostgreSQL and SQLite trace stores) cost memory
 * in every gateway process that loads them, so `switchyard serve` loads each one only when its
 * config asks for that backend. One child process serves four configs in turn (modules, once
 * loaded, stay loaded) and reports the CommonJS modules loaded after each.
 */
const root = resolve(import.meta.dirname, "../..");
const folder = mkdtempSync(join(tmpdir(), "switchyard-optional-dependencies-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Nothing listens on port 9 (discard): no backend here is ever reached. */
const plain = {
  server: { port: 0, shutdownGraceMs: 100 },
  logging: { level: "silent" },
  providers: [
    { name: "primary", type: "openai", baseUrl: "http://127.0.0.1:9/v1", keys: [{ key: "k" }] },
  ],
  models: [{ name: "chat", targets: [{ provider: "primary", model: "gpt-test" }] }],
};

const configs = {
  plain,
  redis: { ...plain, state: { redis: "redis://127.0.0.1:9" } },
  sqlite: { ...plain, database: { url: "sqlite::memory:" } },
  postgres: { ...plain, database: { url: "postgres://switchyard@127.0.0.1:9/switchyard" } },
  // Cloud providers that need none of the credential packages: an API key, static AWS keys, a
  // service-account key file (read with node:crypto, not google-auth-library).
  clouds: {
    ...plain,
    providers: [
      ...plain.providers,
      { name: "azure", type: "azure-openai", baseUrl: "http://127.0.0.1:9", keys: [{ key: "k" }] },
      {
        name: "aws",
        type: "bedrock",
        region: "us-east-1",
        baseUrl: "http://127.0.0.1:9",
        keys: [{ accessKeyId: "AKIAEXAMPLE", secretAccessKey: "secret" }],
      },
      {
        name: "gcp",
        type: "vertex",
        project: "p",
        location: "us-central1",
        baseUrl: "http://127.0.0.1:9",
        credentials: { file: "/nonexistent/key.json" },
      },
    ],
  },
};
type Case = keyof typeof configs;

/** Database drivers, and the cloud credential packages (loaded only by providers that use them). */
const DRIVERS = [
  "ioredis",
  "pg",
  "better-sqlite3",
  "@azure/identity",
  "@aws-sdk/credential-providers",
  "google-auth-library",
] as const;
type Driver = (typeof DRIVERS)[number];

/** The drivers among loaded module paths. */
function driversIn(modules: readonly string[]): Driver[] {
  return DRIVERS.filter((name) =>
    modules.some((path) =>
      path.includes(`${sep}node_modules${sep}${name.split("/").join(sep)}${sep}`),
    ),
  );
}

/**
 * The parts of our own source that a gateway needs only for some configs: the adapters
 * (`providers/<type>`, by folder), their mock vendors and the mock provider server (the demo's), and
 * the dashboard's page (loaded on the first `/ui` request).
 */
function optionalSourceIn(modules: readonly string[]): string[] {
  const source = `${root}${sep}src${sep}`;
  const parts = new Set<string>();
  for (const path of modules) {
    if (!path.startsWith(source)) continue;
    const [top, folder, inner] = path.slice(source.length).split(sep);
    if (top === "testing") parts.add("testing");
    if (top === "observe" && folder === "dashboard") parts.add("dashboard");
    if (top === "providers" && inner === "mock") parts.add(`${folder} mock`);
    else if (
      top === "providers" &&
      folder !== undefined &&
      folder !== "shared" &&
      inner !== undefined
    )
      parts.add(folder);
  }
  return [...parts].sort();
}

interface Loaded {
  drivers: Driver[];
  source: string[];
}

/** Serves every config in one child, in order; the drivers and optional source loaded after each. */
function loadedModules(cases: readonly Case[]): Promise<Record<Case, Loaded>> {
  const files = cases.map((name) => {
    const file = join(folder, `${name}.yaml`);
    writeFileSync(file, JSON.stringify(configs[name]));
    return file;
  });
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "test/architecture/serve-loaded-modules.ts", ...files],
    { cwd: root, env: { PATH: process.env.PATH ?? "" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolvePromise, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) {
        reject(new Error(`the child exited with ${code}: ${stderr.slice(-2000)}`));
        return;
      }
      const lines = stdout.trim().split("\n");
      const result = {} as Record<Case, Loaded>;
      cases.forEach((name, index) => {
        const line = JSON.parse(lines[index] ?? "{}") as { modules?: string[] };
        const modules = line.modules ?? [];
        result[name] = { drivers: driversIn(modules), source: optionalSourceIn(modules) };
      });
      resolvePromise(result);
    });
  });
}

describe("optional backend drivers", () => {
  it("are loaded only when the config uses their backend", async () => {
    const loaded = await loadedModules(["plain", "clouds", "redis", "sqlite", "postgres"]);
    const drivers = Object.fromEntries(
      Object.entries(loaded).map(([name, modules]) => [name, modules.drivers]),
    );
    expect(drivers).toEqual({
      plain: [],
      clouds: [],
      redis: ["ioredis"],
      sqlite: ["ioredis", "better-sqlite3"],
      postgres: ["ioredis", "pg", "better-sqlite3"],
    });
  }, 15_000);
});

describe("optional parts of the gateway", () => {
  it("are loaded only when the config names them: adapters by type, never the mocks or the dashboard page", async () => {
    const loaded = await loadedModules(["plain", "clouds"]);
    expect(loaded.plain.source).toEqual(["openai"]);
    // Vertex serves Gemini and Claude models with those adapters' mappings.
    expect(loaded.clouds.source).toEqual([
      "anthropic",
      "azure-openai",
      "bedrock",
      "gemini",
      "openai",
      "vertex",
    ]);
  }, 15_000);
});
