import type { Logger } from "pino";
import { createLogger } from "./create-logger.js";

export type LogLine = Record<string, unknown> & { msg: string; level: number };

/** Collects log lines (parsed) from a line source and resolves waits when a matching line arrives. */
export class LogCapture {
  readonly lines: LogLine[] = [];
  private waiters: { match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];

  /** A real serve logger (redaction and all) writing here. */
  logger(): Logger {
    return createLogger({ level: "debug", destination: { write: (text) => this.push(text) } });
  }

  push(text: string): void {
    for (const raw of text.split("\n")) {
      if (raw.trim() === "" || !raw.startsWith("{")) continue;
      const line = JSON.parse(raw) as LogLine;
      this.lines.push(line);
      this.waiters = this.waiters.filter((waiter) => {
        if (!waiter.match(line)) return true;
        waiter.resolve(line);
        return false;
      });
    }
  }

  /** The first line (already seen or still to come) that matches. */
  waitFor(match: (line: LogLine) => boolean): Promise<LogLine> {
    const seen = this.lines.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  /** How many lines so far match. */
  count(match: (line: LogLine) => boolean): number {
    return this.lines.filter(match).length;
  }

  messages(): string[] {
    return this.lines.map((line) => line.msg);
  }
}
