import { z } from "zod";
import { count, duration, ratio, strictObject, text, url } from "./schema-helpers.js";

/** What an alert can be about. */
export const ALERT_EVENTS = [
  "circuit_open",
  "circuit_closed",
  "all_targets_failed",
  "budget_threshold",
  "key_cooldown",
] as const;
export type AlertEventKind = (typeof ALERT_EVENTS)[number];

/** One webhook (`alerts[]`): where to post, which events, how often at most, and its signing key. */
export const alertSchema = strictObject({
  url: url(["http:", "https:"]),
  events: z.array(z.enum(ALERT_EVENTS)).min(1),
  minIntervalMs: duration().default(60_000),
  secret: text().optional(),
  thresholds: z.array(ratio()).min(1).default([0.8, 1]),
  maxAttempts: count(1).default(3),
});

export type AlertConfig = z.output<typeof alertSchema>;
