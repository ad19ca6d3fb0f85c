import { randomBytes } from "node:crypto";
import type { Clock } from "../../engine/clock.js";
import { periodStart } from "../../store/budget-period.js";
import type {
  AuditEntry,
  KeyLimits,
  KeyRecord,
  KeyView,
  PeriodUsage,
  SqlKeyStore,
  TeamRecord,
  TeamView,
} from "../../store/key-store.js";
import { hashKey } from "../auth/client-registry.js";
import {
  AdminInputError,
  type CreateKeyInput,
  type CreateTeamInput,
  type UpdateKeyInput,
  type UpdateTeamInput,
} from "./key-input.js";

/** Every runtime key starts with this. */
export const KEY_PREFIX = "sk-sy-";
/** How many characters of a key its listing shows. */
const SHOWN_PREFIX_LENGTH = KEY_PREFIX.length + 6;

export type { KeyView, PeriodUsage, TeamView };

export class AdminNotFoundError extends Error {
  constructor(what: "key" | "team", id: string) {
    super(`no ${what} with id '${id}'`);
    this.name = "AdminNotFoundError";
  }
}

export interface KeyAdminOptions {
  store: SqlKeyStore;
  clock: Clock;
  /** Called after every change, to load it here and tell the other instances. */
  changed: () => Promise<void>;
  /** Spend of a key id or of `team:<id>` since a time, from the traces. */
  spend?: (name: string, since: number) => Promise<number>;
}

/** A new key: `sk-sy-` and 32 random bytes in base64url. */
export function newKey(): string {
  return `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
}

function newId(kind: "key" | "team"): string {
  return `${kind}_${randomBytes(9).toString("base64url")}`;
}

let auditSequence = 0;

/** An audit entry's id, in the order of the changes within a millisecond (the log sorts by time, then id). */
function auditId(at: number): string {
  auditSequence = (auditSequence + 1) % 1_000_000;
  const order = `${Math.floor(at).toString(36).padStart(9, "0")}${auditSequence.toString(36).padStart(4, "0")}`;
  return `audit_${order}_${randomBytes(4).toString("hex")}`;
}

/**
 * The admin operations on runtime keys and teams: each is written to the database, to the audit log
 * (who, what, when, before and after, without secrets), then loaded on every instance.
 */
export class KeyAdmin {
  constructor(private readonly options: KeyAdminOptions) {}

  /** Every key, each with its spend in the current budget period. */
  async listKeys(): Promise<(KeyView & { usage?: PeriodUsage })[]> {
    const keys = await this.options.store.listKeys();
    return Promise.all(keys.map((key) => this.withKeyUsage(key)));
  }

  /** One key, with its spend in the current budget period. */
  async getKey(id: string): Promise<KeyView & { usage?: PeriodUsage }> {
    const key = await this.key(id);
    return this.withKeyUsage(key);
  }

  async createKey(input: CreateKeyInput, actor: string): Promise<{ view: KeyView; key: string }> {
    if (input.team !== undefined) await this.team(input.team, "team");
    this.checkExpiry(input.expiresAt, "expiresAt");
    const now = this.options.clock.now();
    const key = newKey();
    const record: KeyRecord = {
      id: newId("key"),
      name: input.name,
      prefix: key.slice(0, SHOWN_PREFIX_LENGTH),
      keyHash: hashKey(key),
      ...limitsOf(input),
      ...(input.team !== undefined ? { team: input.team } : {}),
      ...(input.expiresAt !== undefined ? { expiresAt: input.expiresAt } : {}),
      createdAt: now,
      updatedAt: now,
      revision: 1,
    };
    await this.options.store.putKey(record, true);
    const view = this.view(record);
    await this.audit(actor, "key.create", record.id, undefined, view);
    return { view, key };
  }

  async updateKey(id: string, input: UpdateKeyInput, actor: string): Promise<KeyView> {
    const before = await this.key(id);
    if (before.revokedAt !== undefined) throw new AdminInputError(`key '${id}' is revoked`, "id");
    if (typeof input.team === "string") await this.team(input.team, "team");
    if (typeof input.expiresAt === "number") this.checkExpiry(input.expiresAt, "expiresAt");
    const after: KeyRecord = applyPatch({ ...before }, input);
    if (input.name !== undefined) after.name = input.name;
    if (input.team !== undefined) setOrClear(after, "team", input.team);
    if (input.expiresAt !== undefined) setOrClear(after, "expiresAt", input.expiresAt);
    return this.saveKey(before, after, "key.update", actor);
  }

  /** A new key for the same id; the old one stays valid for `gracePeriodMs` (default 0). */
  async rotateKey(
    id: string,
    gracePeriodMs: number,
    actor: string,
  ): Promise<{ view: KeyView; key: string }> {
    const before = await this.key(id);
    if (before.revokedAt !== undefined) throw new AdminInputError(`key '${id}' is revoked`, "id");
    const key = newKey();
    const after: KeyRecord = {
      ...before,
      prefix: key.slice(0, SHOWN_PREFIX_LENGTH),
      keyHash: hashKey(key),
      previousHash: before.keyHash,
      previousExpiresAt: this.options.clock.now() + gracePeriodMs,
    };
    const view = await this.saveKey(before, after, "key.rotate", actor);
    return { view, key };
  }

  async revokeKey(id: string, actor: string): Promise<KeyView> {
    const before = await this.key(id);
    if (before.revokedAt !== undefined) return this.view(before);
    const after = { ...before, revokedAt: this.options.clock.now() };
    return this.saveKey(before, after, "key.revoke", actor);
  }

  /** The teams, each with its keys' spend in the current budget period. */
  async listTeams(): Promise<(TeamView & { usage?: PeriodUsage })[]> {
    const teams = await this.options.store.listTeams();
    const live = teams.filter((team) => team.deletedAt === undefined);
    return Promise.all(live.map((team) => this.withUsage(team)));
  }

  async getTeam(id: string): Promise<TeamView & { usage?: PeriodUsage }> {
    return this.withUsage(await this.team(id, "id"));
  }

  async createTeam(input: CreateTeamInput, actor: string): Promise<TeamView> {
    const now = this.options.clock.now();
    const record: TeamRecord = {
      id: newId("team"),
      name: input.name,
      ...limitsOf(input),
      createdAt: now,
      updatedAt: now,
      revision: 1,
    };
    await this.options.store.putTeam(record, true);
    const view = teamView(record);
    await this.audit(actor, "team.create", record.id, undefined, view);
    return view;
  }

  async updateTeam(id: string, input: UpdateTeamInput, actor: string): Promise<TeamView> {
    const before = await this.team(id, "id");
    const after: TeamRecord = applyPatch({ ...before }, input);
    if (input.name !== undefined) after.name = input.name;
    return this.saveTeam(before, after, "team.update", actor);
  }

  /** Deletes a team; its keys stop working (they are bound by a team that no longer exists). */
  async deleteTeam(id: string, actor: string): Promise<TeamView> {
    const before = await this.team(id, "id");
    return this.saveTeam(
      before,
      { ...before, deletedAt: this.options.clock.now() },
      "team.delete",
      actor,
    );
  }

  async listAudit(query: { limit: number; before?: number }): Promise<AuditEntry[]> {
    return this.options.store.listAudit(query);
  }

  private async saveKey(
    before: KeyRecord,
    after: KeyRecord,
    action: string,
    actor: string,
  ): Promise<KeyView> {
    after.updatedAt = this.options.clock.now();
    after.revision = before.revision + 1;
    await this.options.store.putKey(after, false);
    const view = this.view(after);
    await this.audit(actor, action, before.id, this.view(before), view);
    return view;
  }

  private async saveTeam(
    before: TeamRecord,
    after: TeamRecord,
    action: string,
    actor: string,
  ): Promise<TeamView> {
    after.updatedAt = this.options.clock.now();
    after.revision = before.revision + 1;
    await this.options.store.putTeam(after, false);
    const view = teamView(after);
    await this.audit(actor, action, before.id, teamView(before), view);
    return view;
  }

  private async audit(
    actor: string,
    action: string,
    target: string,
    before: unknown,
    after: unknown,
  ): Promise<void> {
    const at = this.options.clock.now();
    await this.options.store.appendAudit({
      id: auditId(at),
      at,
      actor,
      action,
      target,
      ...(before !== undefined ? { before } : {}),
      after,
    });
    await this.options.changed();
  }

  private async withKeyUsage(key: KeyRecord): Promise<KeyView & { usage?: PeriodUsage }> {
    return { ...this.view(key), ...(await this.usage(key.id, key.budget?.period)) };
  }

  private async withUsage(team: TeamRecord): Promise<TeamView & { usage?: PeriodUsage }> {
    return { ...teamView(team), ...(await this.usage(`team:${team.id}`, team.budget?.period)) };
  }

  private async usage(
    name: string,
    period: "day" | "month" = "month",
  ): Promise<{ usage?: PeriodUsage }> {
    if (!this.options.spend) return {};
    const start = periodStart(period, this.options.clock.now());
    const spentUsd = await this.options.spend(name, start);
    return { usage: { period, periodStart: start, spentUsd } };
  }

  private async key(id: string): Promise<KeyRecord> {
    const key = await this.options.store.getKey(id);
    if (!key) throw new AdminNotFoundError("key", id);
    return key;
  }

  private async team(id: string, field: string): Promise<TeamRecord> {
    const team = (await this.options.store.listTeams()).find(
      (candidate) => candidate.id === id && candidate.deletedAt === undefined,
    );
    if (team) return team;
    if (field === "id") throw new AdminNotFoundError("team", id);
    throw new AdminInputError(`${field}: no team with id '${id}'`, field);
  }

  private checkExpiry(expiresAt: number | undefined, field: string): void {
    if (expiresAt !== undefined && expiresAt <= this.options.clock.now()) {
      throw new AdminInputError(`${field}: must be in the future`, field);
    }
  }

  private view(record: KeyRecord): KeyView {
    const { keyHash: _hash, previousHash: _previous, revision: _revision, ...shown } = record;
    const now = this.options.clock.now();
    const status =
      record.revokedAt !== undefined
        ? "revoked"
        : record.expiresAt !== undefined && record.expiresAt <= now
          ? "expired"
          : "active";
    return { ...shown, status };
  }
}

function teamView(record: TeamRecord): TeamView {
  const { revision: _revision, ...shown } = record;
  return shown;
}

function limitsOf(input: KeyLimits): KeyLimits {
  return {
    ...(input.models !== undefined ? { models: input.models } : {}),
    ...(input.rateLimit !== undefined ? { rateLimit: input.rateLimit } : {}),
    ...(input.budget !== undefined ? { budget: input.budget } : {}),
    ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
  };
}

type Clearable<T> = { [K in keyof T]?: T[K] | null };

/** Applies the limit fields of a PATCH: a value replaces, `null` clears, absent keeps. */
function applyPatch<Row extends KeyLimits>(row: Row, patch: Clearable<KeyLimits>): Row {
  const limits: KeyLimits = row;
  if (patch.models !== undefined) setOrClear(limits, "models", patch.models);
  if (patch.rateLimit !== undefined) setOrClear(limits, "rateLimit", patch.rateLimit);
  if (patch.budget !== undefined) setOrClear(limits, "budget", patch.budget);
  if (patch.metadata !== undefined) setOrClear(limits, "metadata", patch.metadata);
  return row;
}

function setOrClear<Row, Field extends keyof Row>(
  row: Row,
  field: Field,
  value: Row[Field] | null,
): void {
  if (value === null) delete row[field];
  else row[field] = value;
}
