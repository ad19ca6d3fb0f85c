/** A row as a driver returns it: column name to value. */
export type SqlRow = Readonly<Record<string, unknown>>;

export type SqlValue = string | number | boolean | null;

/** The column types the schema uses, rendered per dialect. */
export type ColumnType = "text" | "integer" | "bigint" | "real" | "boolean";

/** What differs between the SQL the two databases speak. */
export interface SqlDialect {
  readonly name: "sqlite" | "postgres";
  /** The placeholder for the parameter at `index` (1-based). */
  placeholder(index: number): string;
  columnType(type: ColumnType): string;
  /** A value as the driver takes it (booleans become 0/1 where there is no boolean type). */
  bind(value: SqlValue): SqlValue;
}

export interface SqlExecutor {
  query(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]>;
}

/** A connection (or pool) the trace store runs its SQL on. */
export interface SqlDatabase extends SqlExecutor {
  readonly dialect: SqlDialect;
  /**
   * Runs `work` in one transaction, committed when it resolves and rolled back when it rejects.
   * `exclusive` also serialises it against other processes migrating the same database.
   */
  transaction<T>(work: (executor: SqlExecutor) => Promise<T>, exclusive?: boolean): Promise<T>;
  close(): Promise<void>;
}

/** Collects parameters and hands out their placeholders, for SQL built piece by piece. */
export class SqlParams {
  readonly values: SqlValue[] = [];

  constructor(private readonly dialect: SqlDialect) {}

  add(value: SqlValue): string {
    this.values.push(this.dialect.bind(value));
    return this.dialect.placeholder(this.values.length);
  }
}
