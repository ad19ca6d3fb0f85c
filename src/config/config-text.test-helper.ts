import { type ConfigProblem, isConfigError } from "./config-error.js";
import type { Environment } from "./interpolate-env.js";
import { parseConfigText } from "./parse-config-text.js";

/** Test support: YAML from lines, so a test can see which line is which. */
export function lines(...text: string[]): string {
  return `${text.join("\n")}\n`;
}

/** Test support: the problems `parseConfigText` throws for `text`; fails when it does not throw. */
export function problemsOf(text: string, env: Environment = {}): ConfigProblem[] {
  try {
    parseConfigText(text, { env });
  } catch (error) {
    if (isConfigError(error)) return [...error.problems];
    throw error;
  }
  throw new Error("expected a ConfigError, but the config loaded");
}

/** Test support: the error message `parseConfigText` throws for `text`. */
export function messageOf(text: string, env: Environment = {}): string {
  try {
    parseConfigText(text, { env });
  } catch (error) {
    if (isConfigError(error)) return error.message;
    throw error;
  }
  throw new Error("expected a ConfigError, but the config loaded");
}

/** Test support: a small valid providers section (lines 1-5). */
export const PROVIDERS = [
  "providers:",
  "  - name: openai-main",
  "    type: openai",
  "    keys:",
  "      - key: sk-test-1",
];
