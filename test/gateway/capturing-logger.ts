import type { GatewayLogger } from "../../src/gateway/gateway-context.js";

export type LogLevel = "info" | "warn" | "error";

export interface CapturedLog {
  level: LogLevel;
  fields: Record<string, unknown>;
  message: string;
}

export interface CapturingLogger extends GatewayLogger {
  readonly entries: CapturedLog[];
  /** Every line as JSON, one per line: what a JSON log sink would have written. */
  text(): string;
}

/** A pino-shaped logger that keeps every line it is given. */
export function createCapturingLogger(): CapturingLogger {
  const entries: CapturedLog[] = [];
  const at =
    (level: LogLevel) =>
    (fields: Record<string, unknown>, message: string): void => {
      entries.push({ level, fields, message });
    };
  return {
    entries,
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    text: () => entries.map((entry) => JSON.stringify(entry)).join("\n"),
  };
}
