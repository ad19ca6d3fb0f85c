import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type CreateTraceStoreOptions,
  createTraceStore,
} from "../../src/store/create-trace-store.js";
import type { DropEvent, TraceStore } from "../../src/store/trace-store.js";
import { FakeClock } from "../../src/testing/fake-clock.js";
import { postgresBackend, sqliteBackend } from "./store-backends.js";
import { makeTrace, NOW } from "./trace-fixtures.js";

const backends = [sqliteBackend(), postgresBackend()];
/** Real database I/O, not timers, is what these waits are for. */
const IO_WAIT = { timeout: 15_000, interval: 20 };

describe.each(backends)("trace store writes on $name", (backend) => {
  const opened: TraceStore[] = [];

  beforeAll(() => backend.setUp());
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
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

  async function count(store: TraceStore): Promise<number> {
    return (await store.listRequests({ limit: 1000 })).requests.length;
  }

  it("writes when a batch is full, and otherwise when the interval has passed", async () => {
    const clock = new FakeClock(NOW);
    const store = await openStore({ clock, maxBatchSize: 3, flushIntervalMs: 1000 });
    store.record(makeTrace());
    await clock.advance(999);
    expect(store.pendingCount).toBe(1);
    expect(await count(store)).toBe(0);
    await clock.advance(1);
    await vi.waitFor(() => expect(store.pendingCount).toBe(0), IO_WAIT);
    expect(await count(store)).toBe(1);

    for (let index = 0; index < 3; index++) store.record(makeTrace());
    await clock.advance(0);
    await vi.waitFor(() => expect(store.pendingCount).toBe(0), IO_WAIT);
    expect(await count(store)).toBe(4);
  });

  it("drops and counts traces past the buffer's bound, telling onDrop each time", async () => {
    const drops: DropEvent[] = [];
    const store = await openStore({ maxBufferSize: 3, onDrop: (event) => drops.push(event) });
    const traces = Array.from({ length: 5 }, () => makeTrace());
    for (const trace of traces) store.record(trace);
    expect(store.pendingCount).toBe(3);
    expect(store.droppedCount).toBe(2);
    expect(drops).toEqual([
      { reason: "buffer_full", count: 1, droppedCount: 1 },
      { reason: "buffer_full", count: 1, droppedCount: 2 },
    ]);
    await store.flush();
    const stored = (await store.listRequests()).requests.map((request) => request.id);
    expect(stored.sort()).toEqual(
      traces
        .slice(0, 3)
        .map((trace) => trace.id)
        .sort(),
    );
  });

  it("never throws from record() while the database is down, and catches up once it is back", async () => {
    const clock = new FakeClock(NOW);
    const errors: unknown[] = [];
    const url = await backend.newUrl();
    const store = await openStore({
      url,
      clock,
      maxBufferSize: 5,
      retryBaseDelayMs: 1000,
      onError: (error) => errors.push(error),
    });
    await store.migrate();
    store.record(makeTrace());
    await store.flush();

    await backend.beginOutage(url);
    try {
      for (let index = 0; index < 3; index++) expect(store.record(makeTrace())).toBeUndefined();
      await expect(store.flush()).rejects.toThrow();
      expect(errors.length).toBeGreaterThan(0);
      expect(store.pendingCount).toBe(3);
      for (let index = 0; index < 3; index++) store.record(makeTrace());
      expect(store.pendingCount).toBe(5);
      expect(store.droppedCount).toBe(1);
    } finally {
      await backend.endOutage();
    }
    // The flusher retries on its own (each retry after a longer backoff) until the writes go through.
    await vi.waitFor(async () => {
      await clock.advance(1000);
      expect(store.pendingCount).toBe(0);
    }, IO_WAIT);
    expect(await count(store)).toBe(6);
    expect(store.droppedCount).toBe(1);
  });

  it("keeps working when the database cannot be reached at all, counting what close() loses", async () => {
    const errors: unknown[] = [];
    const drops: DropEvent[] = [];
    const store = await openStore({
      url: await backend.unreachableUrl(),
      onError: (error) => errors.push(error),
      onDrop: (event) => drops.push(event),
    });
    store.record(makeTrace());
    store.record(makeTrace());
    await expect(store.flush()).rejects.toThrow();
    await expect(store.listRequests()).rejects.toThrow();
    expect(errors.length).toBeGreaterThan(0);
    await store.close();
    expect(store.droppedCount).toBe(2);
    expect(drops).toEqual([{ reason: "closed", count: 2, droppedCount: 2 }]);
  });

  it("flushes on close(), and counts traces recorded after it", async () => {
    const url = await backend.newUrl();
    const drops: DropEvent[] = [];
    const store = await openStore({ url, onDrop: (event) => drops.push(event) });
    for (let index = 0; index < 3; index++) store.record(makeTrace());
    await store.close();
    store.record(makeTrace());
    expect(store.droppedCount).toBe(1);
    expect(drops).toEqual([{ reason: "closed", count: 1, droppedCount: 1 }]);
    const reopened = await openStore({ url });
    expect(await count(reopened)).toBe(3);
  });

  it.runIf(backend.name === "postgres")(
    "records at once while a write waits on a locked table",
    async () => {
      const url = await backend.newUrl();
      const store = await openStore({ url });
      await store.migrate();
      const locker = new pg.Client({ connectionString: url });
      await locker.connect();
      try {
        await locker.query("BEGIN");
        await locker.query("LOCK TABLE switchyard_requests IN ACCESS EXCLUSIVE MODE");
        store.record(makeTrace());
        const flushed = store.flush();
        let settled = false;
        flushed.then(
          () => (settled = true),
          () => (settled = true),
        );
        // The server shows the store's insert waiting on the lock.
        await vi.waitFor(async () => {
          await locker.query("SELECT pg_stat_clear_snapshot()");
          const { rows } = await locker.query<{ waiting: number }>(
            "SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO switchyard_requests%'",
          );
          expect(rows[0]?.waiting).toBe(1);
        }, IO_WAIT);
        for (let index = 0; index < 100; index++) store.record(makeTrace());
        expect(store.pendingCount).toBe(101);
        expect(settled).toBe(false);
        await locker.query("COMMIT");
        await flushed;
        await store.flush();
      } finally {
        await locker.end();
      }
      expect(await count(store)).toBe(101);
    },
  );
});
