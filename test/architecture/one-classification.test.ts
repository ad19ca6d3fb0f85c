import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { kindOfStatus } from "../../src/engine/classify-error.js";
import { NETWORK_ERROR_KINDS } from "../../src/engine/network-error-kind.js";
import { COOLDOWN_REASONS } from "../../src/errors/attempt-record.js";
import { ERROR_KINDS } from "../../src/errors/error-kind.js";
import { mockKindForStatus } from "../../src/testing/mock-kit/mock-wire-helpers.js";

/**
 * One classification: one status-to-kind function (`kindOfStatus`), one list of network error
 * codes (`NETWORK_ERROR_KINDS`) and one spelling of cooldown reasons (`COOLDOWN_REASONS`), which
 * the engine, every adapter and the mock server use; no copy of them anywhere else in `src`.
 */
const src = join(import.meta.dirname, "../../src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "fixtures" ? [] : sourceFiles(path);
    return name.endsWith(".ts") && !name.includes(".test") ? [path] : [];
  });
}

const files = sourceFiles(src).map((path) => ({
  path: relative(src, path).split(sep).join("/"),
  code: readFileSync(path, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, ""),
}));

describe("one classification", () => {
  it("only the engine's list spells out network error codes (a file naming three is a list)", () => {
    const lists = files
      .filter((file) => {
        const named = [...NETWORK_ERROR_KINDS.keys()].filter((code) =>
          file.code.includes(`"${code}"`),
        );
        return named.length >= 3;
      })
      .map((file) => file.path);
    expect(lists).toEqual(["engine/network-error-kind.ts"]);
  });

  it("only kindOfStatus maps an HTTP status to an error kind", () => {
    const mappers = files
      .filter((file) => /\(\s*status: number\s*\)\s*:\s*ErrorKind\b/.test(file.code))
      .map((file) => file.path);
    expect(mappers).toEqual(["engine/classify-error.ts"]);
    expect(files.some((file) => file.path === "providers/shared/status-kind.ts")).toBe(false);
  });

  it("the mock server reads a bare status as the engine does, in its finer vendor words", () => {
    const engineKindOf: Record<string, string> = {
      rate_limit: "rate_limited",
      quota: "quota_exhausted",
      auth: "auth",
      permission: "auth",
      not_found: "not_found",
      server: "transient",
      overloaded: "transient",
      invalid_request: "invalid_request",
    };
    for (let status = 400; status <= 599; status++) {
      const engine = kindOfStatus(status);
      expect([status, engineKindOf[mockKindForStatus(status)]]).toEqual([status, engine]);
    }
  });

  it("cooldown reasons are spelled one way, and only the error policy and their owner list them", () => {
    expect(COOLDOWN_REASONS).toEqual(["rate_limited", "quota_exhausted", "auth_failed"]);
    const spelled = files
      .filter((file) => /"rate"\s*\|\s*"quota"|\brate:\s*"rate_limited"/.test(file.code))
      .map((file) => file.path);
    expect(spelled).toEqual([]);
    const lists = files
      .filter((file) => COOLDOWN_REASONS.every((reason) => file.code.includes(`"${reason}"`)))
      .map((file) => file.path)
      .sort();
    // The owner, the policy, the cooldown lengths, and the gateway's answer, which reads the error
    // kinds of the same names and one reason (a key resting after its credentials were rejected).
    expect(lists).toEqual([
      "engine/cooldown-ms.ts",
      "engine/error-policy.ts",
      "errors/attempt-record.ts",
      "gateway/error-response.ts",
    ]);
  });

  it("every error kind has its row in the error policy and in the docs' table", () => {
    const docs = readFileSync(join(src, "../docs/engine.md"), "utf8");
    for (const kind of ERROR_KINDS)
      expect([kind, docs.includes(`\`${kind}\``)]).toEqual([kind, true]);
  });
});
