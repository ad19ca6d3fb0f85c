import type { RequestDetail, RequestSummary } from "../../../store/request-trace.js";
import type { Overview } from "../../build-overview.js";
import type { SeriesWindow } from "../../target-series.js";

/** `/admin/overview`'s answer. */
export interface OverviewResponse extends Overview {
  filters: { models: string[]; providers: string[]; clients: string[] };
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
}
