import type { SeriesWindow } from "../../target-series.js";
import type { DashboardState, OverviewResponse } from "./dashboard-state.js";
import type { DashboardDocument } from "./dom.js";

/**
 * Dashboard client: start-up and refresh loop. The page's script ends with `startDashboard()`.
 * Every export is a self-contained function declaration (see `dashboard-script.ts`).
 */

declare const document: DashboardDocument;
declare const byId: typeof import("./elements.js").byId;
declare const api: typeof import("./elements.js").api;
declare const renderSummary: typeof import("./targets-view.js").renderSummary;
declare const renderTargets: typeof import("./targets-view.js").renderTargets;
declare const connectFeed: typeof import("./feed-view.js").connectFeed;
declare const fillFilters: typeof import("./requests-view.js").fillFilters;
declare const loadRequests: typeof import("./requests-view.js").loadRequests;
declare const onRequestClick: typeof import("./requests-view.js").onRequestClick;
declare const loadUsage: typeof import("./usage-view.js").loadUsage;
declare const loadConfig: typeof import("./config-view.js").loadConfig;
declare const loadKeys: typeof import("./keys-view.js").loadKeys;
declare const createKey: typeof import("./keys-view.js").createKey;
declare const createTeam: typeof import("./keys-view.js").createTeam;
declare const onKeyClick: typeof import("./keys-view.js").onKeyClick;

export function startDashboard(): void {
  const state: DashboardState = {
    overview: undefined,
    series: undefined,
    requests: [],
    requestsSource: "",
    nextCursor: undefined,
    expanded: new Set(),
    details: new Map(),
    usageHours: 24,
    feedCount: 0,
    keys: { available: undefined, keys: [], teams: [], confirming: undefined },
  };
  const banner = byId("error-banner");
  const guard = (work: Promise<void>) =>
    work.then(
      () => {
        banner.hidden = true;
      },
      (error: unknown) => {
        banner.hidden = false;
        banner.textContent = `Cannot reach the gateway (${error instanceof Error ? error.message : String(error)}); retrying.`;
      },
    );
  const refreshOverview = async () => {
    const [overview, series] = await Promise.all([
      api<OverviewResponse>("/admin/overview"),
      api<SeriesWindow>("/admin/series"),
    ]);
    state.overview = overview;
    state.series = series;
    renderSummary(state);
    renderTargets(state);
    fillFilters(state);
  };
  let scheduled = false;
  const refreshSoon = () => {
    if (scheduled) return;
    scheduled = true;
    setTimeout(() => {
      scheduled = false;
      void guard(Promise.all([refreshOverview(), loadRequests(state)]).then(() => undefined));
    }, 250);
  };
  const visible = () => document.visibilityState !== "hidden";

  void guard(
    refreshOverview().then(async () => {
      await Promise.all([loadRequests(state), loadKeys(state)]);
    }),
  );
  void guard(loadUsage(state));
  void guard(loadConfig());
  connectFeed(state, refreshSoon);

  setInterval(() => visible() && void guard(refreshOverview()), 5000);
  setInterval(() => visible() && void guard(loadRequests(state)), 10_000);
  setInterval(() => visible() && void guard(loadUsage(state)), 60_000);
  // Not while a revocation waits for its confirmation: a refresh would not lose it, but be calm.
  setInterval(() => visible() && !state.keys.confirming && void guard(loadKeys(state)), 30_000);
  document.addEventListener("visibilitychange", () => visible() && refreshSoon());

  for (const id of ["filter-model", "filter-provider", "filter-client", "filter-outcome"]) {
    byId(id).addEventListener("change", () => {
      state.expanded.clear();
      void guard(loadRequests(state));
    });
  }
  byId("requests-more").addEventListener("click", () => void guard(loadRequests(state, true)));
  const list = byId("request-list");
  list.addEventListener("click", (event) => void guard(onRequestClick(state, event)));
  list.addEventListener("keydown", (event) => void guard(onRequestClick(state, event)));
  byId("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    void guard(createKey(state));
  });
  byId("team-form").addEventListener("submit", (event) => {
    event.preventDefault();
    void guard(createTeam(state));
  });
  byId("key-list").addEventListener("click", (event) => void guard(onKeyClick(state, event)));
  for (const hours of [1, 24, 168]) {
    byId(`usage-${hours}h`).addEventListener("click", () => {
      state.usageHours = hours;
      void guard(loadUsage(state));
    });
  }
}
