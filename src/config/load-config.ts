import { readFile } from "node:fs/promises";
import { ConfigError } from "./config-error.js";
import type { Environment } from "./interpolate-env.js";
import { type LoadedConfig, parseConfigText } from "./parse-config-text.js";

/**
 * Reads, interpolates and validates a config file. Throws a `ConfigError` listing every problem
 * (a file that cannot be read is one problem, with no line).
 */
export async function loadConfig(
  path: string,
  env: Environment = process.env,
): Promise<LoadedConfig> {
  return parseConfigText(await readConfigFile(path), { path, env });
}

/** The file's text, or a `ConfigError` saying why it cannot be read. */
export async function readConfigFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigError(path, [
      {
        path: "",
        line: 0,
        column: 0,
        message: `cannot read the config file: ${readFailure(error)}`,
      },
    ]);
  }
}

function readFailure(error: unknown): string {
  switch ((error as { code?: unknown }).code) {
    case "ENOENT":
      return "no such file";
    case "EISDIR":
      return "it is a directory";
    case "EACCES":
      return "permission denied";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
