import { type DestinationStream, type Logger, pino } from "pino";
import { REDACTED } from "../config/index.js";

/** Field names that may hold a credential: redacted wherever they appear, up to three levels deep. */
const SECRET_FIELDS = [
  "key",
  "apiKey",
  "adminKey",
  "authorization",
  "Authorization",
  '"x-api-key"',
];

/**
 * Pino redact paths for every `SECRET_FIELDS` name at the top level and one or two levels down
 * (`key`, `*.key`, `*.*.key`). Defense in depth: nothing should log such fields in the first place.
 */
export const REDACT_PATHS: readonly string[] = SECRET_FIELDS.flatMap((field) => {
  const bracketed = field.startsWith('"') ? `[${field}]` : field;
  const nested = field.startsWith('"') ? bracketed : `.${field}`;
  return [bracketed, `*${nested}`, `*.*${nested}`];
});

export interface CreateLoggerOptions {
  /** One of the config's `logging.level` values; default `info`. */
  level?: string;
  /** Where lines go; default stdout, written synchronously (lines stay in order and survive `exit`). */
  destination?: DestinationStream;
}

/**
 * The serve command's logger: one JSON object per line, ISO timestamps, secrets redacted. The gateway
 * logs one line per request with its request id, never headers or bodies.
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const settings = {
    name: "switchyard",
    level: options.level ?? "info",
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
  };
  return pino(settings, options.destination ?? pino.destination({ dest: 1, sync: true }));
}
