import type { Clock } from "../../engine/clock.js";
import type { TraceStore } from "../../store/trace-store.js";
import type { GatewayLogger } from "../gateway-context.js";
import { KeyAdmin } from "./key-admin.js";
import { type KeyChangeLink, KeySync } from "./key-sync.js";
import { RuntimeKeys } from "./runtime-keys.js";

/** With Redis announcing changes, the database poll underneath runs this many times slower. */
const POLL_SLOWDOWN_WITH_REDIS = 10;

/** Runtime virtual keys on one instance: the in-memory set, its sync, and the admin operations. */
export interface RuntimeKeyService {
  keys: RuntimeKeys;
  sync: KeySync;
  admin: KeyAdmin;
  /** A spend reader that also answers for `team:<id>` (the sum of the team's keys). */
  spend: Pick<TraceStore, "spend">;
}

export interface RuntimeKeyServiceOptions {
  traceStore: TraceStore | undefined;
  link: KeyChangeLink | undefined;
  clock: Clock;
  /** `database.keyPollIntervalMs`: the poll without Redis (ten times that with it). */
  pollIntervalMs: number;
  logger: GatewayLogger;
}

/** The runtime keys of a gateway with a database; undefined without one. */
export function createRuntimeKeyService(
  options: RuntimeKeyServiceOptions,
): RuntimeKeyService | undefined {
  const { traceStore, link, clock, logger } = options;
  const store = traceStore?.keyStore?.();
  if (!traceStore || !store) return undefined;
  const keys = new RuntimeKeys(clock);
  let failing = false;
  const sync = new KeySync({
    store,
    keys,
    clock,
    pollIntervalMs: options.pollIntervalMs * (link ? POLL_SLOWDOWN_WITH_REDIS : 1),
    ...(link ? { link } : {}),
    onLoad: () => {
      if (!failing) return;
      failing = false;
      logger.info({}, "runtime keys read again");
    },
    onError: (error) => {
      if (failing) return;
      failing = true;
      const message = error instanceof Error ? error.message : String(error);
      logger.warn({ error: message }, "runtime keys cannot be read: keeping the ones loaded");
    },
  });
  const spend = {
    async spend(name: string, since: number): Promise<number> {
      if (!name.startsWith("team:")) return traceStore.spend(name, since);
      const spends = keys.keysOfTeam(name.slice(5)).map((id) => traceStore.spend(id, since));
      return (await Promise.all(spends)).reduce((sum, usd) => sum + usd, 0);
    },
  };
  const admin = new KeyAdmin({
    store,
    clock,
    changed: () => sync.changed(),
    spend: (name, since) => spend.spend(name, since),
  });
  return { keys, sync, admin, spend };
}
