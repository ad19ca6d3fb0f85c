import { describe, expect, it } from "vitest";
import type { KeyRecord } from "../../store/key-store.js";
import { FakeClock } from "../../testing/fake-clock.js";
import { KeySync } from "./key-sync.js";
import { RuntimeKeys } from "./runtime-keys.js";

function record(id: string, revision = 1): KeyRecord {
  return {
    id,
    name: id,
    prefix: "sk-sy-abcdef",
    keyHash: `sha256:${id}`,
    createdAt: 0,
    updatedAt: 0,
    revision,
  };
}

/** A key table in memory that counts its full reads and can fail. */
function fakeStore() {
  const rows: KeyRecord[] = [];
  const state = { reads: 0, failing: false, touched: [] as string[] };
  const guard = () => {
    if (state.failing) throw new Error("database down");
  };
  return {
    rows,
    state,
    store: {
      async changeStamp() {
        guard();
        return `${rows.length}.${rows.reduce((sum, row) => sum + row.revision, 0)}`;
      },
      async listKeys() {
        guard();
        state.reads += 1;
        return [...rows];
      },
      async listTeams() {
        return [];
      },
      async touchKeys(used: ReadonlyMap<string, number>) {
        state.touched.push(...used.keys());
      },
    },
  };
}

describe("KeySync", () => {
  it("polls a cheap stamp and reads the keys only when it moved", async () => {
    const clock = new FakeClock();
    const { rows, state, store } = fakeStore();
    const keys = new RuntimeKeys(clock);
    const sync = new KeySync({ store, keys, clock, pollIntervalMs: 500 });
    await sync.ready;
    expect(state.reads).toBe(1);
    await clock.advance(500);
    await sync.refresh();
    expect(state.reads).toBe(1);
    rows.push(record("k1"));
    expect(keys.find("sha256:k1")).toBeUndefined();
    await clock.advance(500);
    await sync.refresh();
    expect(state.reads).toBe(2);
    expect(keys.find("sha256:k1")?.name).toBe("k1");
    await sync.refresh();
    expect(state.touched).toEqual(["k1"]);
    sync.close();
  });

  it("keeps the keys it holds while the database fails, and reports the failure", async () => {
    const clock = new FakeClock();
    const { rows, state, store } = fakeStore();
    rows.push(record("k1"));
    const errors: unknown[] = [];
    const keys = new RuntimeKeys(clock);
    const sync = new KeySync({
      store,
      keys,
      clock,
      pollIntervalMs: 500,
      onError: (error) => errors.push(error),
    });
    await sync.ready;
    state.failing = true;
    await sync.refresh(true);
    expect(errors).toHaveLength(1);
    expect(keys.find("sha256:k1")?.name).toBe("k1");
    sync.close();
  });

  it("reloads on a message from another instance, and a change asked during a read is read after it", async () => {
    const clock = new FakeClock();
    const { rows, store } = fakeStore();
    let deliver: (message: object) => void = () => undefined;
    const sent: Record<string, unknown>[] = [];
    const link = {
      listen: (_namespace: string, listener: (message: object) => void) => {
        deliver = listener;
      },
      broadcast: (_namespace: string, message: Record<string, unknown>) => sent.push(message),
    };
    const keys = new RuntimeKeys(clock);
    const sync = new KeySync({ store, keys, clock, pollIntervalMs: 60_000, link });
    await sync.ready;
    rows.push(record("k1"));
    deliver({ ns: "keys", changed: true });
    const during = sync.refresh();
    rows[0] = record("k1", 2);
    rows.push(record("k2"));
    await sync.changed();
    await during;
    expect(keys.find("sha256:k2")?.name).toBe("k2");
    expect(sent).toEqual([{ changed: true }]);
    sync.close();
  });
});
