import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  budgetForEffort,
  budgetOf,
  effortForBudget,
  effortOf,
  REASONING_EFFORTS,
} from "./reasoning-effort.js";

describe("the effort <-> budget table", () => {
  it("gives each level its budget, and medium's to a level it does not know", () => {
    expect(REASONING_EFFORTS.map((row) => [row.effort, budgetForEffort(row.effort)])).toEqual([
      ["none", 0],
      ["minimal", 1024],
      ["low", 2048],
      ["medium", 8192],
      ["high", 16384],
      ["xhigh", 32768],
    ]);
    expect(budgetForEffort("max")).toBe(8192);
  });

  it("gives a budget the lowest level that covers it, capped where asked", () => {
    expect(effortForBudget(0)).toBe("none");
    expect(effortForBudget(1)).toBe("minimal");
    expect(effortForBudget(1024)).toBe("minimal");
    expect(effortForBudget(1025)).toBe("low");
    expect(effortForBudget(8192)).toBe("medium");
    expect(effortForBudget(10_000)).toBe("high");
    expect(effortForBudget(100_000)).toBe("xhigh");
    expect(effortForBudget(100_000, "high")).toBe("high");
    expect(effortForBudget(500, "high")).toBe("minimal");
  });

  it("round-trips every level: effort -> budget -> the same effort", () => {
    for (const { effort } of REASONING_EFFORTS) {
      expect(effortForBudget(budgetForEffort(effort))).toBe(effort);
    }
  });

  it("reads a request's effort or budget, whichever it gave", () => {
    expect(effortOf({ budgetTokens: 2000 })).toBe("low");
    expect(effortOf({ effort: "high", budgetTokens: 10 })).toBe("high");
    expect(effortOf({})).toBeUndefined();
    expect(budgetOf({ effort: "low" })).toBe(2048);
    expect(budgetOf({ effort: "low", budgetTokens: 5000 })).toBe(5000);
    expect(budgetOf({})).toBeUndefined();
  });

  it("is the table docs/wire-fidelity.md prints", () => {
    const doc = readFileSync(new URL("../../docs/wire-fidelity.md", import.meta.url), "utf8");
    for (const { effort, budgetTokens } of REASONING_EFFORTS) {
      expect(doc).toMatch(new RegExp(`^\\| \`${effort}\` \\| ${budgetTokens} \\|`, "m"));
    }
  });
});
