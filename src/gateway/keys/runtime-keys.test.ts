import { describe, expect, it } from "vitest";
import type { KeyRecord, TeamRecord } from "../../store/key-store.js";
import { FakeClock } from "../../testing/fake-clock.js";
import { RuntimeKeys } from "./runtime-keys.js";

const NOW = 1_000_000;

function key(id: string, extra: Partial<KeyRecord> = {}): KeyRecord {
  return {
    id,
    name: id,
    prefix: "sk-sy-abcdef",
    keyHash: `sha256:${id}`,
    createdAt: NOW,
    updatedAt: NOW,
    revision: 1,
    ...extra,
  };
}

function team(id: string, extra: Partial<TeamRecord> = {}): TeamRecord {
  return { id, name: id, createdAt: NOW, updatedAt: NOW, revision: 1, ...extra };
}

describe("RuntimeKeys", () => {
  it("fails closed until loaded, then requires keys only once one exists", () => {
    const keys = new RuntimeKeys(new FakeClock(NOW));
    expect(keys.active).toBe(true);
    keys.load([], []);
    expect(keys.active).toBe(false);
    keys.load([key("k1", { revokedAt: NOW })], []);
    expect(keys.active).toBe(true);
    expect(keys.find("sha256:k1")).toBeUndefined();
  });

  it("refuses a key from its expiry on, and a rotated-out hash after its grace period", async () => {
    const clock = new FakeClock(NOW);
    const keys = new RuntimeKeys(clock);
    keys.load(
      [
        key("k1", { expiresAt: NOW + 100 }),
        key("k2", {
          keyHash: "sha256:new",
          previousHash: "sha256:old",
          previousExpiresAt: NOW + 50,
        }),
      ],
      [],
    );
    expect(keys.find("sha256:k1")?.name).toBe("k1");
    expect(keys.find("sha256:old")?.name).toBe("k2");
    expect(keys.find("sha256:old")?.config.keyHash).toBe("sha256:old");
    await clock.advance(50);
    expect(keys.find("sha256:old")).toBeUndefined();
    expect(keys.find("sha256:new")?.name).toBe("k2");
    await clock.advance(50);
    expect(keys.find("sha256:k1")).toBeUndefined();
  });

  it("binds a key by its team: models both allow, the team's limits, none when the team is gone", () => {
    const keys = new RuntimeKeys(new FakeClock(NOW));
    const teams = [
      team("t1", { models: ["a", "b"], rateLimit: { rpm: 5 }, budget: { usd: 3, period: "day" } }),
      team("t2", { deletedAt: NOW }),
    ];
    keys.load(
      [
        key("k1", { team: "t1", models: ["b", "c"] }),
        key("k2", { team: "t1" }),
        key("k3", { team: "t2" }),
        key("k4"),
      ],
      teams,
    );
    const allowed = (hash: string) =>
      ["a", "b", "c"].filter((model) => keys.find(hash)?.models?.allows(model));
    expect(allowed("sha256:k1")).toEqual(["b"]);
    expect(allowed("sha256:k2")).toEqual(["a", "b"]);
    expect(keys.find("sha256:k2")?.team).toEqual({
      name: "team:t1",
      config: { rateLimit: { rpm: 5 }, budget: { usd: 3, period: "day" } },
    });
    expect(keys.find("sha256:k3")).toBeUndefined();
    expect(keys.find("sha256:k4")?.models).toBeUndefined();
    expect(keys.budgetOf("team:t1")).toEqual({ usd: 3, period: "day" });
    expect(keys.teamOf("k1")).toBe("team:t1");
    expect(keys.keysOfTeam("t1")).toEqual(["k1", "k2"]);
  });

  it("remembers which keys were used, for last-used, until taken", () => {
    const keys = new RuntimeKeys(new FakeClock(NOW));
    keys.load([key("k1")], []);
    keys.find("sha256:k1");
    expect([...keys.takeUsed()]).toEqual([["k1", NOW]]);
    expect(keys.takeUsed().size).toBe(0);
  });
});
