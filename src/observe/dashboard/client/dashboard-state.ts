import type { KeyView, PeriodUsage, TeamView } from "../../../store/key-store.js";
import type { RequestDetail, RequestSummary } from "../../../store/request-trace.js";
import type { Overview } from "../../build-overview.js";
import type { SeriesWindow } from "../../target-series.js";

/** `/admin/overview`'s answer. */
export interface OverviewResponse extends Overview {
  filters: { models: string[]; providers: string[]; clients: string[] };
}

/** `/admin/keys` and `/admin/teams` rows: a view with its spend in the current budget period. */
export type KeyRow = KeyView & { usage?: PeriodUsage };
export type TeamRow = TeamView & { usage?: PeriodUsage };

/** The keys panel: what the admin API answered, and the revocation waiting to be confirmed. */
export interface KeysState {
  /** false: the gateway has no `database` (the API said so); undefined: not asked yet. */
  available: boolean | undefined;
  keys: KeyRow[];
  teams: TeamRow[];
  /** The id of the key whose Revoke was pressed once. */
  confirming: string | undefined;
}

/** What the dashboard page holds between refreshes (types only: nothing here runs in the page). */
export interface DashboardState {
  overview: OverviewResponse | undefined;
  series: SeriesWindow | undefined;
  requests: RequestSummary[];
  requestsSource: string;
  nextCursor: string | undefined;
  /** Requests whose attempt chain is open, kept open across refreshes. */
  expanded: Set<string>;
  details: Map<string, RequestDetail>;
  usageHours: number;
  feedCount: number;
  keys: KeysState;
}
