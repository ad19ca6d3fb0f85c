import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { validConfigInput } from "./config-arbitraries.test-helper.js";
import { isConfigError } from "./config-error.js";
import type { SwitchyardConfig } from "./config-schema.js";
import { parseConfigText } from "./parse-config-text.js";
import { REDACTED, redactConfig } from "./redact-config.js";
import { stringifyConfig } from "./stringify-config.js";

const asConfig = (data: unknown) => data as SwitchyardConfig;

/** Loads text; returns the config, or the ConfigError's problems. Any other throw fails the test. */
function attempt(text: string) {
  try {
    return { config: parseConfigText(text, { env: {} }).config, problems: undefined };
  } catch (error) {
    if (!isConfigError(error)) throw error;
    return { config: undefined, problems: error.problems };
  }
}

function expectWellFormedProblems(
  problems: readonly { line: number; column: number; message: string }[],
) {
  expect(problems.length).toBeGreaterThan(0);
  for (const problem of problems) {
    expect(problem.line).toBeGreaterThanOrEqual(1);
    expect(problem.column).toBeGreaterThanOrEqual(1);
    expect(problem.message.length).toBeGreaterThan(0);
  }
}

describe("config properties", () => {
  it("loads every valid config, and loading it again after writing it out changes nothing", () => {
    fc.assert(
      fc.property(validConfigInput, (input) => {
        const first = parseConfigText(stringifyConfig(asConfig(input)), { env: {} });
        const providers = input.providers as { name: string }[];
        expect(first.config.providers.map((provider) => provider.name)).toEqual(
          providers.map((provider) => provider.name),
        );
        expect(first.config.models.length).toBe((input.models as unknown[]).length);
        const second = parseConfigText(stringifyConfig(first.config), { env: {} });
        expect(second.config).toEqual(first.config);
      }),
      { numRuns: 100 },
    );
  });

  it("redacts every provider and client key of every valid config", () => {
    fc.assert(
      fc.property(validConfigInput, (input) => {
        const { config } = parseConfigText(stringifyConfig(asConfig(input)), { env: {} });
        const redacted = redactConfig(config);
        for (const provider of redacted.providers) {
          for (const entry of provider.keys) {
            expect(entry.key ?? entry.secretAccessKey).toBe(REDACTED);
            if (entry.accessKeyId !== undefined) expect(entry.accessKeyId).toBe(REDACTED);
          }
        }
        for (const client of redacted.clients ?? []) {
          expect(client.key ?? client.keyHash).toBe(REDACTED);
        }
      }),
      { numRuns: 50 },
    );
  });

  it("answers random text with a config or a ConfigError, never a crash", () => {
    const yamlish = fc.string({
      unit: fc.constantFrom(
        "a",
        ":",
        " ",
        "\n",
        "-",
        "[",
        "]",
        "{",
        "}",
        "$",
        "*",
        "&",
        "!",
        "#",
        "'",
        '"',
        "|",
        ">",
        "1",
        "\t",
        "<<",
      ),
      maxLength: 80,
    });
    fc.assert(
      fc.property(fc.oneof(fc.string(), yamlish), (text) => {
        const result = attempt(text);
        if (result.problems !== undefined) expectWellFormedProblems(result.problems);
      }),
      { numRuns: 500 },
    );
  });

  it("answers any YAML data with a ConfigError, never a crash", () => {
    fc.assert(
      fc.property(fc.anything(), (data) => {
        const result = attempt(stringify(data) ?? "");
        if (result.problems !== undefined) expectWellFormedProblems(result.problems);
      }),
      { numRuns: 300 },
    );
  });

  it("answers a valid config with one part replaced by junk, never crashing nor leaking a key", () => {
    fc.assert(
      fc.property(validConfigInput, fc.array(fc.nat()), fc.jsonValue(), (input, picks, junk) => {
        const mutated = structuredClone(input);
        const secrets = (mutated.providers as { keys?: { key: string }[] }[]).flatMap((provider) =>
          (provider.keys ?? []).map((entry, index) => {
            entry.key = `SECRET${index}x${"z".repeat(12)}`;
            return entry.key;
          }),
        );
        replaceSomewhere(mutated, picks, junk);
        const result = attempt(stringifyConfig(asConfig(mutated)));
        if (result.problems === undefined) return;
        expectWellFormedProblems(result.problems);
        const message = result.problems.map((problem) => problem.message).join("\n");
        for (const secret of secrets) expect(message).not.toContain(secret);
      }),
      { numRuns: 150 },
    );
  });
});

/** Walks down `data` by `picks` and replaces (or deletes, for `null` junk in a mapping) what it lands on. */
function replaceSomewhere(
  data: Record<string, unknown>,
  picks: readonly number[],
  junk: unknown,
): void {
  let current: unknown = data;
  for (let depth = 0; ; depth++) {
    const container = current as Record<string, unknown> | unknown[];
    const keys = Object.keys(container);
    if (keys.length === 0) return;
    const key = keys[(picks[depth] ?? 0) % keys.length] as string;
    const child = (container as Record<string, unknown>)[key];
    const last = depth >= picks.length || child === null || typeof child !== "object";
    if (last) {
      if (junk === null && !Array.isArray(container))
        delete (container as Record<string, unknown>)[key];
      else (container as Record<string, unknown>)[key] = junk;
      return;
    }
    current = child;
  }
}
