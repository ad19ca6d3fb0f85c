import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BudgetGuard } from "../../src/store/budget.js";
import { isBudgetExceededError } from "../../src/store/budget-exceeded-error.js";
import { computeCost, type PricingTable } from "../../src/store/cost.js";
import {
  type CreateTraceStoreOptions,
  createTraceStore,
} from "../../src/store/create-trace-store.js";
import { MIGRATIONS, runMigrations } from "../../src/store/migrations.js";
import { PostgresDatabase } from "../../src/store/postgres-database.js";
import type { RequestTrace } from "../../src/store/request-trace.js";
import type { SqlDatabase } from "../../src/store/sql-database.js";
import { SqliteDatabase } from "../../src/store/sqlite-database.js";
import type { TraceStore } from "../../src/store/trace-store.js";
import { FakeClock } from "../../src/testing/fake-clock.js";
import { postgresBackend, sqliteBackend } from "./store-backends.js";
import { ATTEMPT_CHAIN, DAY_MS, HOUR_MS, makeTrace, NOW } from "./trace-fixtures.js";

const backends = [sqliteBackend(), postgresBackend()];

describe.each(backends)("trace store on $name", (backend) => {
  const opened: TraceStore[] = [];
  const databases: SqlDatabase[] = [];

  beforeAll(() => backend.setUp());
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    await Promise.all(databases.splice(0).map((database) => database.close()));
  });
  afterAll(() => backend.tearDown());

  async function openStore(options: Partial<CreateTraceStoreOptions> = {}): Promise<TraceStore> {
    const store = createTraceStore({
      url: options.url ?? (await backend.newUrl()),
      flushIntervalMs: 60_000,
      ...options,
    });
    opened.push(store);
    return store;
  }

  function openDatabase(url: string): SqlDatabase {
    const database = url.startsWith("sqlite:")
      ? new SqliteDatabase({ file: url.slice("sqlite:".length) })
      : new PostgresDatabase({ url });
    databases.push(database);
    return database;
  }

  async function recordAll(store: TraceStore, traces: readonly RequestTrace[]): Promise<void> {
    for (const trace of traces) store.record(trace);
    await store.flush();
  }

  it("migrates once, and again without effect, also from two stores at once", async () => {
    const url = await backend.newUrl();
    const first = openDatabase(url);
    const second = openDatabase(url);
    const results = await Promise.all([runMigrations(first), runMigrations(second)]);
    expect(results.flat().sort()).toEqual(MIGRATIONS.map((migration) => migration.version));
    expect(await runMigrations(first)).toEqual([]);
    const rows = await first.query("SELECT version, name FROM switchyard_migrations");
    expect(rows.map((row) => [Number(row.version), row.name])).toEqual(
      MIGRATIONS.map((migration) => [migration.version, migration.name]),
    );
    const store = await openStore({ url });
    await store.migrate();
    await store.migrate();
    expect(await store.listRequests()).toEqual({ requests: [] });
  });

  it("upgrades a database of the first schema: its `target` columns become `target_id`", async () => {
    const url = await backend.newUrl();
    const database = openDatabase(url);
    expect(await runMigrations(database, MIGRATIONS.slice(0, 1))).toEqual([1]);
    const { dialect } = database;
    const marks = (count: number) =>
      Array.from({ length: count }, (_, index) => dialect.placeholder(index + 1)).join(", ");
    await database.query(
      `INSERT INTO switchyard_requests (id, started_at, protocol, stream, outcome, target, provider, latency_ms, attempt_count) VALUES (${marks(9)})`,
      [
        "req_old",
        NOW,
        "openai.chat",
        dialect.bind(false),
        "success",
        "alpha#main/model-a",
        "alpha",
        120,
        1,
      ],
    );
    await database.query(
      `INSERT INTO switchyard_attempts (request_id, position, target, provider, outcome) VALUES (${marks(5)})`,
      ["req_old", 0, "alpha#main/model-a", "alpha", "success"],
    );
    expect(await runMigrations(database)).toEqual(
      MIGRATIONS.slice(1).map((migration) => migration.version),
    );
    const store = await openStore({ url });
    await store.migrate();
    const detail = await store.getRequest("req_old");
    expect(detail).toMatchObject({ targetId: "alpha#main/model-a", provider: "alpha" });
    expect(detail?.attempts).toEqual([
      { targetId: "alpha#main/model-a", provider: "alpha", outcome: "success" },
    ]);
  });

  it("records, flushes and reads a request back as it was written", async () => {
    const store = await openStore({ storeContent: true });
    const trace = makeTrace({
      stream: true,
      firstByteMs: 42.5,
      cached: false,
      cachedInputTokens: 300,
      prompt: '[{"role":"user","content":"hi"}]',
      completion: "hello",
    });
    store.record(trace);
    expect(store.pendingCount).toBe(1);
    await store.flush();
    expect(store.pendingCount).toBe(0);
    const { attempts, ...request } = trace;
    expect(await store.getRequest(trace.id)).toEqual({ ...request, attemptCount: 1, attempts });
    expect(await store.getRequest("req_missing")).toBeUndefined();
  });

  it("keeps prompts and completions only when storeContent is on", async () => {
    const store = await openStore();
    expect(store.storeContent).toBe(false);
    const trace = makeTrace({ prompt: "secret prompt", completion: "secret answer" });
    await recordAll(store, [trace]);
    const stored = await store.getRequest(trace.id);
    expect(stored?.id).toBe(trace.id);
    expect(stored).not.toHaveProperty("prompt");
    expect(stored).not.toHaveProperty("completion");
  });

  it("keeps the attempt chain in order, skipped candidates not counted as attempts", async () => {
    const store = await openStore();
    const trace = makeTrace({
      outcome: "success",
      attempts: ATTEMPT_CHAIN,
    });
    await recordAll(store, [trace]);
    const stored = await store.getRequest(trace.id);
    expect(stored?.attemptCount).toBe(4);
    expect(stored?.attempts).toEqual(trace.attempts);
    const [listed] = (await store.listRequests()).requests;
    expect(listed?.attemptCount).toBe(4);
    expect(listed).not.toHaveProperty("attempts");
  });

  it("lists newest first and filters by client, model, provider, status, outcome and time", async () => {
    const store = await openStore();
    const traces = [
      makeTrace({ startedAt: NOW - 1000, client: "acme", model: "smart", provider: "alpha" }),
      makeTrace({ startedAt: NOW - 2000, client: "acme", model: "fast", provider: "beta" }),
      makeTrace({
        startedAt: NOW - 3000,
        client: "zeta",
        model: "smart",
        provider: "beta",
        outcome: "error",
        status: 429,
        errorClass: "budget_exceeded",
      }),
      makeTrace({
        startedAt: NOW - 4000,
        client: "zeta",
        model: "smart",
        outcome: "error",
        status: 503,
        provider: undefined,
        targetId: undefined,
      }),
      makeTrace({
        startedAt: NOW - 5000,
        client: undefined,
        model: "fast",
        provider: "alpha",
        outcome: "interrupted",
        stream: true,
      }),
    ];
    await recordAll(store, traces);
    const ids = async (query: Parameters<TraceStore["listRequests"]>[0]) =>
      (await store.listRequests(query)).requests.map((request) =>
        traces.findIndex((t) => t.id === request.id),
      );
    expect(await ids({})).toEqual([0, 1, 2, 3, 4]);
    expect(await ids({ client: "acme" })).toEqual([0, 1]);
    expect(await ids({ model: "smart" })).toEqual([0, 2, 3]);
    expect(await ids({ provider: "beta" })).toEqual([1, 2]);
    expect(await ids({ status: 429 })).toEqual([2]);
    expect(await ids({ outcome: "error" })).toEqual([2, 3]);
    expect(await ids({ outcome: "interrupted" })).toEqual([4]);
    expect(await ids({ since: NOW - 3000, until: NOW - 1000 })).toEqual([1, 2]);
    expect(await ids({ client: "zeta", model: "smart", status: 503 })).toEqual([3]);
    const [unattributed] = (await store.listRequests({ outcome: "interrupted" })).requests;
    expect(unattributed).not.toHaveProperty("client");
  });

  it("pages through requests with a cursor, ties on time broken by id", async () => {
    const store = await openStore();
    const traces = Array.from({ length: 7 }, (_, index) =>
      makeTrace({ id: `req_page_${index}`, startedAt: NOW - Math.floor(index / 3) * 1000 }),
    );
    await recordAll(store, traces);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store.listRequests({ limit: 3, cursor });
      seen.push(...page.requests.map((request) => request.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== undefined);
    expect(pages).toBe(3);
    expect(seen).toEqual([
      "req_page_2",
      "req_page_1",
      "req_page_0",
      "req_page_5",
      "req_page_4",
      "req_page_3",
      "req_page_6",
    ]);
    await expect(store.listRequests({ cursor: "not-a-cursor" })).rejects.toThrow(/invalid cursor/);
    await expect(store.listRequests({ limit: 0 })).rejects.toThrow(/limit must be/);
  });

  it("sums tokens and costs by client, model and provider, and a client's spend", async () => {
    const pricing: PricingTable = {
      "model-a": { input: 2.5, output: 10, cachedInput: 1.25 },
      "model-b": { input: 1, output: 5 },
    };
    const priced = (
      tokens: { inputTokens: number; outputTokens: number; cachedInputTokens: number },
      model: string,
    ) => ({
      ...tokens,
      upstreamModel: model,
      costUsd: computeCost(pricing, model, tokens),
    });
    const store = await openStore();
    await recordAll(store, [
      makeTrace({
        client: "acme",
        model: "smart",
        provider: "alpha",
        ...priced(
          { inputTokens: 1_000_000, outputTokens: 100_000, cachedInputTokens: 400_000 },
          "model-a",
        ),
      }),
      makeTrace({
        client: "acme",
        model: "fast",
        provider: "beta",
        ...priced({ inputTokens: 200_000, outputTokens: 10_000, cachedInputTokens: 0 }, "model-b"),
      }),
      makeTrace({
        client: "zeta",
        model: "smart",
        provider: "alpha",
        ...priced({ inputTokens: 400_000, outputTokens: 0, cachedInputTokens: 0 }, "model-a"),
      }),
      makeTrace({
        client: "zeta",
        model: "smart",
        provider: "gamma",
        upstreamModel: "model-x",
        costUsd: undefined,
        inputTokens: 50,
        outputTokens: 5,
        cachedInputTokens: 0,
      }),
      makeTrace({
        client: "zeta",
        model: "smart",
        outcome: "error",
        status: 503,
        provider: undefined,
        costUsd: undefined,
        inputTokens: undefined,
        outputTokens: undefined,
        cachedInputTokens: undefined,
      }),
      makeTrace({
        client: "acme",
        startedAt: NOW - 3 * DAY_MS,
        costUsd: 100,
        provider: "alpha",
        model: "smart",
      }),
    ]);
    // model-a: 600k x 2.5 + 400k x 1.25 + 100k x 10 = 3.0 USD; model-b: 0.25; zeta's: 1.0
    const since = NOW - DAY_MS;
    const byClient = await store.usage({ since, groupBy: "client" });
    expect(
      byClient.map((row) => [row.key, row.requests, row.errors, row.unpricedRequests]),
    ).toEqual([
      ["acme", 2, 0, 0],
      ["zeta", 3, 1, 1],
    ]);
    expect(byClient[0]?.costUsd).toBeCloseTo(3.25, 9);
    expect(byClient[0]).toMatchObject({
      inputTokens: 1_200_000,
      outputTokens: 110_000,
      cachedInputTokens: 400_000,
    });
    expect(byClient[1]?.costUsd).toBeCloseTo(1, 9);
    const byProvider = await store.usage({ since, groupBy: "provider" });
    expect(byProvider.map((row) => [row.key, row.requests])).toEqual([
      ["alpha", 2],
      ["beta", 1],
      ["gamma", 1],
      [null, 1],
    ]);
    expect(byProvider[0]?.costUsd).toBeCloseTo(4, 9);
    const byModel = await store.usage({ groupBy: "model" });
    expect(byModel.map((row) => [row.key, row.requests])).toEqual([
      ["smart", 5],
      ["fast", 1],
    ]);
    expect(byModel[0]?.costUsd).toBeCloseTo(104, 9);
    expect(await store.usage({ since: NOW + HOUR_MS, groupBy: "model" })).toEqual([]);
    expect(await store.spend("acme", since)).toBeCloseTo(3.25, 9);
    expect(await store.spend("acme", NOW - 4 * DAY_MS)).toBeCloseTo(103.25, 9);
    expect(await store.spend("nobody", since)).toBe(0);
  });

  it("refuses a client over its budget with a 429 naming the budget", async () => {
    const store = await openStore();
    const clock = new FakeClock(NOW);
    await recordAll(store, [
      makeTrace({ client: "acme", costUsd: 4 }),
      makeTrace({ client: "acme", costUsd: 3 }),
      makeTrace({ client: "acme", startedAt: NOW - DAY_MS, costUsd: 50 }),
      makeTrace({ client: "zeta", costUsd: 1 }),
    ]);
    const guard = new BudgetGuard({
      store,
      clock,
      budgetOf: (client) =>
        client === "acme"
          ? { usd: 10, period: "day" }
          : client === "zeta"
            ? { usd: 40, period: "month" }
            : undefined,
    });
    await expect(guard.check("acme")).resolves.toBeUndefined();
    await expect(guard.check("zeta")).resolves.toBeUndefined();
    guard.addSpend("acme", 3.5);
    const error = await guard.check("acme").catch((caught: unknown) => caught);
    expect(isBudgetExceededError(error) && [error.status, error.code, error.message]).toEqual([
      429,
      "budget_exceeded",
      "client 'acme' is over its daily budget: spent $10.50 of $10.00 this day (resets 2026-11-16T00:00:00.000Z)",
    ]);
    // Yesterday's 50 is outside acme's day, but inside its month.
    const monthly = new BudgetGuard({
      store,
      clock,
      budgetOf: () => ({ usd: 40, period: "month" }),
    });
    await expect(monthly.check("acme")).rejects.toThrow(/spent \$57\.00 of \$40\.00 this month/);
    await expect(monthly.check("zeta")).resolves.toBeUndefined();
  });
});
