export {
  BudgetGuard,
  type BudgetGuardOptions,
  type BudgetStatus,
  type ClientBudget,
} from "./budget.js";
export {
  type BudgetExceededDetails,
  BudgetExceededError,
  isBudgetExceededError,
} from "./budget-exceeded-error.js";
export { type BudgetPeriod, periodEnd, periodStart } from "./budget-period.js";
export {
  computeCost,
  costOf,
  findPrice,
  formatUsd,
  type ModelPrice,
  type PricingTable,
  type TokenCounts,
} from "./cost.js";
export {
  type CreateTraceStoreOptions,
  createTraceStore,
  sqliteFile,
} from "./create-trace-store.js";
export { MIGRATIONS, type Migration, runMigrations } from "./migrations.js";
export { PostgresDatabase, type PostgresDatabaseOptions } from "./postgres-database.js";
export {
  type AttemptOutcome,
  type AttemptTrace,
  countAttempts,
  REQUEST_OUTCOMES,
  type RequestDetail,
  type RequestOutcome,
  type RequestSummary,
  type RequestTrace,
} from "./request-trace.js";
export type { SqlDatabase, SqlDialect, SqlExecutor, SqlRow, SqlValue } from "./sql-database.js";
export {
  SqlTraceStore,
  type SqlTraceStoreOptions,
  type TraceBufferOptions,
} from "./sql-trace-store.js";
export { SqliteDatabase, type SqliteDatabaseOptions } from "./sqlite-database.js";
export {
  errorClass,
  type TargetInfo,
  type TraceInput,
  traceFromReport,
} from "./trace-from-report.js";
export type {
  DropEvent,
  DropReason,
  ListRequestsQuery,
  RequestPage,
  TraceStore,
  UsageGroup,
  UsageQuery,
  UsageRow,
} from "./trace-store.js";
export { TraceWriter, type TraceWriterOptions } from "./trace-writer.js";
