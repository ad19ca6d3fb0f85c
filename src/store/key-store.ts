import type { SqlDatabase, SqlDialect, SqlRow, SqlValue } from "./sql-database.js";

export const KEYS_TABLE = "switchyard_keys";
export const TEAMS_TABLE = "switchyard_teams";
export const AUDIT_TABLE = "switchyard_audit";

/** A rate limit as clients and keys spell it. */
export interface KeyRateLimit {
  rpm?: number;
  tpm?: number;
}

/** A spending limit per period. */
export interface KeyBudget {
  usd: number;
  period: "day" | "month";
}

/** What keys and teams share: a model list and limits that bind whoever holds them. */
export interface KeyLimits {
  models?: string[];
  rateLimit?: KeyRateLimit;
  budget?: KeyBudget;
  metadata?: Record<string, unknown>;
}

/** A virtual key made at runtime, as stored: the key itself never, only its SHA-256. */
export interface KeyRecord extends KeyLimits {
  id: string;
  name: string;
  /** The key's first characters, enough to tell keys apart in a list. */
  prefix: string;
  /** `sha256:<hex>` of the key. */
  keyHash: string;
  /** The hash of the key before the last rotation, valid until `previousExpiresAt`. */
  previousHash?: string;
  previousExpiresAt?: number;
  team?: string;
  expiresAt?: number;
  createdAt: number;
  updatedAt: number;
  lastUsedAt?: number;
  revokedAt?: number;
  /** Bumped by every change: the sum over all rows tells a poller that something changed. */
  revision: number;
}

export interface TeamRecord extends KeyLimits {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  deletedAt?: number;
  revision: number;
}

/** A key as the admin API shows it: never the key nor its hash. */
export type KeyView = Omit<KeyRecord, "keyHash" | "previousHash" | "revision"> & {
  status: "active" | "expired" | "revoked";
};
export type TeamView = Omit<TeamRecord, "revision">;

/** Spend in the current budget period (the budget's period, else the calendar month, UTC). */
export interface PeriodUsage {
  period: "day" | "month";
  periodStart: number;
  spentUsd: number;
}

/** One admin change: who (a hash prefix of the admin credential), what, when, before and after. */
export interface AuditEntry {
  id: string;
  at: number;
  actor: string;
  action: string;
  target: string;
  before?: unknown;
  after?: unknown;
}

/** The tables of migration 4. */
export function createKeyTablesSql(dialect: SqlDialect): string[] {
  const t = (type: Parameters<SqlDialect["columnType"]>[0]) => dialect.columnType(type);
  const limits = `models ${t("text")}, rate_limit ${t("text")}, budget ${t("text")}, metadata ${t("text")}`;
  return [
    `CREATE TABLE IF NOT EXISTS ${KEYS_TABLE} (id ${t("text")} PRIMARY KEY, name ${t("text")} NOT NULL, prefix ${t("text")} NOT NULL, key_hash ${t("text")} NOT NULL, previous_hash ${t("text")}, previous_expires_at ${t("bigint")}, team ${t("text")}, ${limits}, expires_at ${t("bigint")}, created_at ${t("bigint")} NOT NULL, updated_at ${t("bigint")} NOT NULL, last_used_at ${t("bigint")}, revoked_at ${t("bigint")}, revision ${t("integer")} NOT NULL)`,
    `CREATE UNIQUE INDEX IF NOT EXISTS ${KEYS_TABLE}_key_hash ON ${KEYS_TABLE} (key_hash)`,
    `CREATE TABLE IF NOT EXISTS ${TEAMS_TABLE} (id ${t("text")} PRIMARY KEY, name ${t("text")} NOT NULL, ${limits}, created_at ${t("bigint")} NOT NULL, updated_at ${t("bigint")} NOT NULL, deleted_at ${t("bigint")}, revision ${t("integer")} NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${AUDIT_TABLE} (id ${t("text")} PRIMARY KEY, at ${t("bigint")} NOT NULL, actor ${t("text")} NOT NULL, action ${t("text")} NOT NULL, target ${t("text")} NOT NULL, before_state ${t("text")}, after_state ${t("text")})`,
    `CREATE INDEX IF NOT EXISTS ${AUDIT_TABLE}_at ON ${AUDIT_TABLE} (at)`,
  ];
}

const KEY_COLUMNS = [
  "id",
  "name",
  "prefix",
  "key_hash",
  "previous_hash",
  "previous_expires_at",
  "team",
  "models",
  "rate_limit",
  "budget",
  "metadata",
  "expires_at",
  "created_at",
  "updated_at",
  "last_used_at",
  "revoked_at",
  "revision",
] as const;

const TEAM_COLUMNS = [
  "id",
  "name",
  "models",
  "rate_limit",
  "budget",
  "metadata",
  "created_at",
  "updated_at",
  "deleted_at",
  "revision",
] as const;

/**
 * Runtime virtual keys, teams and the admin audit log in the trace database (SQLite or PostgreSQL).
 * Rows are never deleted: a revoked key and a deleted team keep their row, marked, so the audit log
 * and traces still name them and a poller sees the change.
 */
export class SqlKeyStore {
  constructor(
    private readonly database: SqlDatabase,
    private readonly ready: () => Promise<void>,
  ) {}

  /** Changes whenever a key or team is created or changed: cheap enough to poll. */
  async changeStamp(): Promise<string> {
    await this.ready();
    const stamp = async (table: string) => {
      const rows = await this.database.query(
        `SELECT COUNT(*) AS n, COALESCE(SUM(revision), 0) AS r FROM ${table}`,
      );
      return `${Number(rows[0]?.n ?? 0)}.${Number(rows[0]?.r ?? 0)}`;
    };
    return `${await stamp(KEYS_TABLE)}/${await stamp(TEAMS_TABLE)}`;
  }

  async listKeys(): Promise<KeyRecord[]> {
    await this.ready();
    const rows = await this.database.query(
      `SELECT ${KEY_COLUMNS.join(", ")} FROM ${KEYS_TABLE} ORDER BY created_at, id`,
    );
    return rows.map(keyFromRow);
  }

  async getKey(id: string): Promise<KeyRecord | undefined> {
    await this.ready();
    const rows = await this.database.query(
      `SELECT ${KEY_COLUMNS.join(", ")} FROM ${KEYS_TABLE} WHERE id = ${this.p(1)}`,
      [id],
    );
    return rows[0] ? keyFromRow(rows[0]) : undefined;
  }

  async putKey(record: KeyRecord, isNew: boolean): Promise<void> {
    await this.ready();
    await this.write(KEYS_TABLE, KEY_COLUMNS, keyToRow(record), isNew);
  }

  /** Notes when keys were last used (batched by the caller, off the request path). */
  async touchKeys(lastUsed: ReadonlyMap<string, number>): Promise<void> {
    if (lastUsed.size === 0) return;
    await this.ready();
    for (const [id, at] of lastUsed) {
      await this.database.query(
        `UPDATE ${KEYS_TABLE} SET last_used_at = ${this.p(1)} WHERE id = ${this.p(2)}`,
        [Math.floor(at), id],
      );
    }
  }

  async listTeams(): Promise<TeamRecord[]> {
    await this.ready();
    const rows = await this.database.query(
      `SELECT ${TEAM_COLUMNS.join(", ")} FROM ${TEAMS_TABLE} ORDER BY created_at, id`,
    );
    return rows.map(teamFromRow);
  }

  async putTeam(record: TeamRecord, isNew: boolean): Promise<void> {
    await this.ready();
    await this.write(TEAMS_TABLE, TEAM_COLUMNS, teamToRow(record), isNew);
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    await this.ready();
    const values: SqlValue[] = [
      entry.id,
      Math.floor(entry.at),
      entry.actor,
      entry.action,
      entry.target,
      json(entry.before),
      json(entry.after),
    ];
    await this.database.query(
      `INSERT INTO ${AUDIT_TABLE} (id, at, actor, action, target, before_state, after_state) VALUES (${values.map((_, index) => this.p(index + 1)).join(", ")})`,
      values,
    );
  }

  /** The newest entries first; `before` (epoch ms) pages back. */
  async listAudit(query: { limit: number; before?: number }): Promise<AuditEntry[]> {
    await this.ready();
    const where = query.before === undefined ? "" : `WHERE at < ${this.p(1)}`;
    const rows = await this.database.query(
      `SELECT id, at, actor, action, target, before_state, after_state FROM ${AUDIT_TABLE} ${where} ORDER BY at DESC, id DESC LIMIT ${Math.floor(query.limit)}`,
      query.before === undefined ? [] : [Math.floor(query.before)],
    );
    return rows.map((row) => ({
      id: String(row.id),
      at: Number(row.at),
      actor: String(row.actor),
      action: String(row.action),
      target: String(row.target),
      ...optional("before", parsed(row.before_state)),
      ...optional("after", parsed(row.after_state)),
    }));
  }

  private p(index: number): string {
    return this.database.dialect.placeholder(index);
  }

  private async write(
    table: string,
    columns: readonly string[],
    row: Record<string, SqlValue>,
    isNew: boolean,
  ): Promise<void> {
    const values = columns.map((column) => this.database.dialect.bind(row[column] ?? null));
    if (isNew) {
      await this.database.query(
        `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((_, index) => this.p(index + 1)).join(", ")})`,
        values,
      );
      return;
    }
    // Parameters in the order they appear: SQLite's placeholders are positional.
    const [id = null, ...rest] = values;
    const sets = columns.slice(1).map((column, index) => `${column} = ${this.p(index + 1)}`);
    await this.database.query(
      `UPDATE ${table} SET ${sets.join(", ")} WHERE id = ${this.p(columns.length)}`,
      [...rest, id],
    );
  }
}

function limitsToRow(limits: KeyLimits): Record<string, SqlValue> {
  return {
    models: json(limits.models),
    rate_limit: json(limits.rateLimit),
    budget: json(limits.budget),
    metadata: json(limits.metadata),
  };
}

function limitsFromRow(row: SqlRow): KeyLimits {
  return {
    ...optional("models", parsed(row.models) as string[] | undefined),
    ...optional("rateLimit", parsed(row.rate_limit) as KeyRateLimit | undefined),
    ...optional("budget", parsed(row.budget) as KeyBudget | undefined),
    ...optional("metadata", parsed(row.metadata) as Record<string, unknown> | undefined),
  };
}

function keyToRow(record: KeyRecord): Record<string, SqlValue> {
  return {
    id: record.id,
    name: record.name,
    prefix: record.prefix,
    key_hash: record.keyHash,
    previous_hash: record.previousHash ?? null,
    previous_expires_at: whole(record.previousExpiresAt),
    team: record.team ?? null,
    ...limitsToRow(record),
    expires_at: whole(record.expiresAt),
    created_at: whole(record.createdAt),
    updated_at: whole(record.updatedAt),
    last_used_at: whole(record.lastUsedAt),
    revoked_at: whole(record.revokedAt),
    revision: record.revision,
  };
}

function keyFromRow(row: SqlRow): KeyRecord {
  return {
    id: String(row.id),
    name: String(row.name),
    prefix: String(row.prefix),
    keyHash: String(row.key_hash),
    ...optional("previousHash", row.previous_hash == null ? undefined : String(row.previous_hash)),
    ...optional("previousExpiresAt", time(row.previous_expires_at)),
    ...optional("team", row.team == null ? undefined : String(row.team)),
    ...limitsFromRow(row),
    ...optional("expiresAt", time(row.expires_at)),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    ...optional("lastUsedAt", time(row.last_used_at)),
    ...optional("revokedAt", time(row.revoked_at)),
    revision: Number(row.revision),
  };
}

function teamToRow(record: TeamRecord): Record<string, SqlValue> {
  return {
    id: record.id,
    name: record.name,
    ...limitsToRow(record),
    created_at: whole(record.createdAt),
    updated_at: whole(record.updatedAt),
    deleted_at: whole(record.deletedAt),
    revision: record.revision,
  };
}

function teamFromRow(row: SqlRow): TeamRecord {
  return {
    id: String(row.id),
    name: String(row.name),
    ...limitsFromRow(row),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    ...optional("deletedAt", time(row.deleted_at)),
    revision: Number(row.revision),
  };
}

function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

function parsed(value: unknown): unknown {
  return value == null ? undefined : JSON.parse(String(value));
}

function whole(value: number | undefined): number | null {
  return value === undefined ? null : Math.floor(value);
}

function time(value: unknown): number | undefined {
  return value == null ? undefined : Number(value);
}

/** `{ [name]: value }`, or nothing when the value is undefined (for exactOptionalPropertyTypes). */
function optional<Name extends string, Value>(
  name: Name,
  value: Value | undefined,
): { [K in Name]?: Value } {
  return (value === undefined ? {} : { [name]: value }) as { [K in Name]?: Value };
}
