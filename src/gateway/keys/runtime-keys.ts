import type { Clock } from "../../engine/clock.js";
import type { KeyLimits, KeyRecord, TeamRecord } from "../../store/key-store.js";
import type { Client, RuntimeKeyLookup } from "../auth/client-registry.js";
import { ModelAllowList } from "../auth/model-allow-list.js";

/** The budget name of a team: its keys' spend summed. */
export function teamBudgetName(teamId: string): string {
  return `team:${teamId}`;
}

interface Entry {
  key: KeyRecord;
  hash: string;
  /** Until when this hash is valid (a rotated-out hash, or the key's own expiry). */
  validUntil: number;
  client: Client;
}

/**
 * Every instance's in-memory copy of the runtime keys and teams, swapped whole on each load, so a
 * request is authorised with a map lookup and an unknown key is refused without asking the database.
 * Expiry is checked on the clock at lookup, so an expired key is refused at once on every instance.
 */
export class RuntimeKeys implements RuntimeKeyLookup {
  private byHash = new Map<string, Entry>();
  private keysById = new Map<string, KeyRecord>();
  private teamsById = new Map<string, TeamRecord>();
  /** Until the first load it is not known whether keys exist: every request then needs a key. */
  private everHadKeys = true;
  /** Key ids used since the last `takeUsed()`, with when. */
  private used = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  get active(): boolean {
    return this.everHadKeys;
  }

  /** Replaces what is held with a fresh read of the tables. */
  load(keys: readonly KeyRecord[], teams: readonly TeamRecord[]): void {
    const teamsById = new Map(
      teams.filter((team) => team.deletedAt === undefined).map((team) => [team.id, team]),
    );
    const byHash = new Map<string, Entry>();
    for (const key of keys) {
      if (key.revokedAt !== undefined) continue;
      const team = key.team === undefined ? undefined : teamsById.get(key.team);
      if (key.team !== undefined && !team) continue;
      const until = key.expiresAt ?? Number.POSITIVE_INFINITY;
      byHash.set(key.keyHash, entry(key, key.keyHash, until, team));
      if (key.previousHash && key.previousExpiresAt !== undefined) {
        const previousUntil = Math.min(until, key.previousExpiresAt);
        byHash.set(key.previousHash, entry(key, key.previousHash, previousUntil, team));
      }
    }
    this.byHash = byHash;
    this.keysById = new Map(keys.map((key) => [key.id, key]));
    this.teamsById = teamsById;
    this.everHadKeys = keys.length > 0;
  }

  find(hash: string): Client | undefined {
    const found = this.byHash.get(hash);
    if (!found) return undefined;
    const now = this.clock.now();
    if (now >= found.validUntil) return undefined;
    this.used.set(found.key.id, now);
    return found.client;
  }

  /** The budget of a key id or of `team:<id>`, for the budget guard. */
  budgetOf(name: string): KeyLimits["budget"] {
    if (name.startsWith("team:")) return this.teamsById.get(name.slice(5))?.budget;
    return this.keysById.get(name)?.budget;
  }

  /** The budget name of a key's team (`team:<id>`), when it has one. */
  teamOf(keyId: string): string | undefined {
    const team = this.keysById.get(keyId)?.team;
    return team === undefined ? undefined : teamBudgetName(team);
  }

  /** The ids of the live keys of a team. */
  keysOfTeam(teamId: string): string[] {
    return [...this.keysById.values()]
      .filter((key) => key.team === teamId && key.revokedAt === undefined)
      .map((key) => key.id);
  }

  /** The keys used since the last call, with when (for `last used`, written off the request path). */
  takeUsed(): Map<string, number> {
    const used = this.used;
    this.used = new Map();
    return used;
  }
}

function entry(
  key: KeyRecord,
  hash: string,
  validUntil: number,
  team: TeamRecord | undefined,
): Entry {
  const lists = [key.models, team?.models].filter((list) => list !== undefined);
  const client: Client = {
    name: key.id,
    models: lists.length > 0 ? new ModelAllowList(...lists) : undefined,
    config: {
      name: key.id,
      keyHash: hash,
      ...(key.models ? { models: [...key.models] } : {}),
      ...(key.rateLimit ? { rateLimit: key.rateLimit } : {}),
      ...(key.budget ? { budget: key.budget } : {}),
    },
    ...(team
      ? {
          team: {
            name: teamBudgetName(team.id),
            config: {
              ...(team.rateLimit ? { rateLimit: team.rateLimit } : {}),
              ...(team.budget ? { budget: team.budget } : {}),
            },
          },
        }
      : {}),
  };
  return { key, hash, validUntil, client };
}
