import type { Clock } from "../engine/clock.js";
import {
  dated,
  type NewStoredResponse,
  parseStoredResponse,
  type ResponseStore,
  type StoredResponse,
} from "./response-store.js";
import type { SqlDatabase } from "./sql-database.js";

export const RESPONSES_TABLE = "switchyard_responses";

/** The table of stored responses (created by the trace store's migrations). */
export function createResponsesTableSql(database: Pick<SqlDatabase, "dialect">): string[] {
  const { dialect } = database;
  return [
    `CREATE TABLE IF NOT EXISTS ${RESPONSES_TABLE} (id ${dialect.columnType("text")} PRIMARY KEY, owner ${dialect.columnType("text")} NOT NULL, expires_at ${dialect.columnType("bigint")} NOT NULL, record ${dialect.columnType("text")} NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS ${RESPONSES_TABLE}_expires_at ON ${RESPONSES_TABLE} (expires_at)`,
  ];
}

/**
 * Stored Responses API responses in the trace database (SQLite or PostgreSQL), written before the
 * answer completes so every instance reading the same database can continue the conversation.
 * Expired rows are read as missing and deleted in passing.
 */
export class SqlResponseStore implements ResponseStore {
  constructor(
    private readonly database: SqlDatabase,
    private readonly ready: () => Promise<void>,
    private readonly clock: Clock,
  ) {}

  get kind(): "sqlite" | "postgres" {
    return this.database.dialect.name;
  }

  async put(fresh: NewStoredResponse, ttlMs: number): Promise<void> {
    await this.ready();
    const record = dated(fresh, this.clock.now(), ttlMs);
    const p = (index: number) => this.database.dialect.placeholder(index);
    await this.database.query(
      `INSERT INTO ${RESPONSES_TABLE} (id, owner, expires_at, record) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)})`,
      [record.id, record.owner, Math.ceil(record.expiresAtMs), JSON.stringify(record)],
    );
  }

  async get(id: string, owner: string): Promise<StoredResponse | undefined> {
    await this.ready();
    const p = (index: number) => this.database.dialect.placeholder(index);
    const rows = await this.database.query(
      `SELECT record, expires_at FROM ${RESPONSES_TABLE} WHERE id = ${p(1)} AND owner = ${p(2)}`,
      [id, owner],
    );
    const row = rows[0];
    if (!row) return undefined;
    if (Number(row.expires_at) <= this.clock.now()) {
      await this.database.query(`DELETE FROM ${RESPONSES_TABLE} WHERE expires_at <= ${p(1)}`, [
        Math.floor(this.clock.now()),
      ]);
      return undefined;
    }
    return parseStoredResponse(String(row.record));
  }

  async delete(id: string, owner: string): Promise<boolean> {
    if (!(await this.get(id, owner))) return false;
    const p = (index: number) => this.database.dialect.placeholder(index);
    await this.database.query(`DELETE FROM ${RESPONSES_TABLE} WHERE id = ${p(1)}`, [id]);
    return true;
  }

  async close(): Promise<void> {}
}
