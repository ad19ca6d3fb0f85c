import type { AttemptTrace, RequestDetail, RequestSummary } from "../../../store/request-trace.js";
import type { DashboardState } from "./dashboard-state.js";
import type { DashboardElement, DashboardEvent } from "./dom.js";

/**
 * Dashboard client: recent requests, filterable, each expandable to its chain of attempts. Every
 * export is a self-contained function declaration (see `dashboard-script.ts`).
 */

declare const h: typeof import("./elements.js").h;
declare const byId: typeof import("./elements.js").byId;
declare const api: typeof import("./elements.js").api;
declare const formatClock: typeof import("./format.js").formatClock;
declare const formatCount: typeof import("./format.js").formatCount;
declare const formatMs: typeof import("./format.js").formatMs;
declare const formatUsd: typeof import("./format.js").formatUsd;
declare const words: typeof import("./format.js").words;

/** Fills the filter menus from the overview, keeping what is selected. */
export function fillFilters(state: DashboardState): void {
  const filters = state.overview?.filters;
  if (!filters) return;
  const fill = (id: string, values: string[], all: string) => {
    const select = byId(id);
    const chosen = select.value;
    if (select.dataset.values === values.join("\n")) return;
    select.dataset.values = values.join("\n");
    select.replaceChildren(
      h("option", { value: "" }, all),
      ...values.map((value) => h("option", { value }, value)),
    );
    select.value = values.includes(chosen) ? chosen : "";
  };
  fill("filter-model", filters.models, "all models");
  fill("filter-provider", filters.providers, "all providers");
  fill("filter-client", filters.clients, "all clients");
  byId("filter-client").hidden = filters.clients.length === 0;
}

export async function loadRequests(state: DashboardState, older = false): Promise<void> {
  const query = new URLSearchParams({ limit: "15" });
  for (const [field, id] of [
    ["model", "filter-model"],
    ["provider", "filter-provider"],
    ["client", "filter-client"],
    ["outcome", "filter-outcome"],
  ]) {
    const value = byId(id ?? "").value;
    if (field && value) query.set(field, value);
  }
  if (older && state.nextCursor) query.set("cursor", state.nextCursor);
  const page = await api<{ source: string; requests: RequestSummary[]; nextCursor?: string }>(
    `/admin/requests?${query}`,
  );
  state.requests = older ? [...state.requests, ...page.requests] : page.requests;
  state.nextCursor = page.nextCursor;
  state.requestsSource = page.source;
  renderRequests(state);
}

export function renderRequests(state: DashboardState): void {
  byId("requests-source").textContent =
    state.requestsSource === "memory"
      ? "held in memory since start (set database.url to keep them)"
      : `from ${state.requestsSource}`;
  byId("requests-more").hidden = state.nextCursor === undefined;
  const list = byId("request-list");
  if (state.requests.length === 0) {
    list.replaceChildren(h("p.empty", null, "No requests yet, or none match the filters."));
    return;
  }
  const body = h("tbody");
  for (const request of state.requests) {
    const open = state.expanded.has(request.id);
    body.append(requestRow(request, open));
    const detail = state.details.get(request.id);
    if (open)
      body.append(
        h(
          "tr.req-detail",
          null,
          h(
            "td",
            { colspan: 9 },
            detail ? attemptChain(detail) : h("span.muted", null, "loading…"),
          ),
        ),
      );
  }
  list.replaceChildren(
    h(
      "table.requests",
      null,
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          h("th", null, "time"),
          h("th", null, "model"),
          h("th.opt", null, "client"),
          h("th", null, "served by"),
          h("th", null, "status"),
          h("th.num", null, "latency"),
          h("th.num.opt", null, "tokens"),
          h("th.num.opt", null, "cost"),
          h("th.num.tries", null, "tries"),
        ),
      ),
      body,
    ),
  );
}

export function requestRow(request: RequestSummary, open: boolean): DashboardElement {
  const tone =
    request.outcome === "success" ? "good" : request.outcome === "error" ? "bad" : "warn";
  const tokens =
    request.inputTokens === undefined && request.outputTokens === undefined
      ? "–"
      : `${formatCount(request.inputTokens ?? 0)} → ${formatCount(request.outputTokens ?? 0)}`;
  const served = request.cached ? "cache" : (request.targetId ?? "–");
  return h(
    `tr.req${open ? ".open" : ""}`,
    { "data-id": request.id, tabindex: 0, "aria-expanded": String(open) },
    h("td.time", null, h("span.caret", null, open ? "▾" : "▸"), formatClock(request.startedAt)),
    h("td", null, request.model ?? "–", request.stream ? h("span.tag", null, "stream") : null),
    h("td.opt", null, request.client ?? "–"),
    h("td.served", null, served),
    h("td", null, h(`span.pill.${tone}`, null, String(request.status ?? "–"))),
    h("td.num", null, formatMs(request.latencyMs)),
    h("td.num.opt", null, tokens),
    h("td.num.opt", null, formatUsd(request.costUsd)),
    h("td.num.tries", null, String(request.attemptCount)),
  );
}

/** Opens or closes a request's attempt chain (clicks and Enter on a row). */
export async function onRequestClick(state: DashboardState, event: DashboardEvent): Promise<void> {
  if (event.key !== undefined && event.key !== "Enter" && event.key !== " ") return;
  const row = event.target?.closest("tr.req");
  const id = row?.dataset.id;
  if (!id) return;
  event.preventDefault();
  if (state.expanded.has(id)) {
    state.expanded.delete(id);
    renderRequests(state);
    return;
  }
  state.expanded.add(id);
  renderRequests(state);
  if (!state.details.has(id)) {
    const answer = await api<{ request: RequestDetail }>(
      `/admin/requests/${encodeURIComponent(id)}`,
    );
    state.details.set(id, answer.request);
    renderRequests(state);
  }
}

/** The waterfall of one request: every attempt and skip, where it started and how long it took. */
export function attemptChain(request: RequestDetail): DashboardElement {
  const total = Math.max(
    request.latencyMs,
    ...request.attempts.map((a) => (a.startedAfterMs ?? 0) + (a.latencyMs ?? 0)),
    1,
  );
  const steps = h("ol.chain");
  request.attempts.forEach((attempt, index) => {
    steps.append(attemptStep(attempt, index + 1, total));
  });
  if (request.attempts.length === 0) {
    steps.append(
      h(
        "li.step.skip",
        null,
        h(
          "span.step-why",
          null,
          request.cached ? "served from the cache" : "no upstream call was made",
        ),
      ),
    );
  }
  const facts = [
    `id ${request.id}`,
    `${request.protocol}${request.stream ? " stream" : ""}`,
    request.firstByteMs === undefined ? "" : `first byte ${formatMs(request.firstByteMs)}`,
    request.inputTokens === undefined
      ? ""
      : `${formatCount(request.inputTokens)} in / ${formatCount(request.outputTokens ?? 0)} out tokens`,
    request.costUsd === undefined ? "" : formatUsd(request.costUsd),
  ].filter((fact) => fact !== "");
  return h(
    "div.detail",
    null,
    steps,
    h("p.detail-facts", null, facts.join(" · ")),
    request.errorMessage
      ? h("p.detail-error", null, `${words(request.errorClass)}: ${request.errorMessage}`)
      : null,
  );
}

export function attemptStep(
  attempt: AttemptTrace,
  number: number,
  totalMs: number,
): DashboardElement {
  const tone =
    attempt.outcome === "success"
      ? "good"
      : attempt.outcome === "failure"
        ? "bad"
        : attempt.outcome === "skipped"
          ? "skip"
          : "warn";
  const why =
    attempt.outcome === "success"
      ? "answered"
      : attempt.outcome === "failure"
        ? `failed: ${words(attempt.errorKind)}${attempt.status ? ` (${attempt.status})` : ""}`
        : attempt.outcome === "skipped"
          ? `skipped: ${words(attempt.skippedReason)}`
          : "aborted";
  const start = ((attempt.startedAfterMs ?? 0) / totalMs) * 100;
  const width = Math.max(((attempt.latencyMs ?? 0) / totalMs) * 100, 0.8);
  const bar = h(`span.step-bar.${tone}`);
  bar.style.setProperty("--start", `${Math.min(start, 99.2)}%`);
  bar.style.setProperty("--width", `${Math.min(width, 100 - Math.min(start, 99.2))}%`);
  return h(
    `li.step.${tone}`,
    { "data-outcome": attempt.outcome },
    h("span.step-number", null, String(number)),
    h(
      "div.step-main",
      null,
      h(
        "span.step-target",
        null,
        attempt.targetId,
        attempt.attempt && attempt.attempt > 1
          ? h("span.tag", null, `retry ${attempt.attempt - 1}`)
          : null,
        attempt.hedge ? h("span.tag", null, "hedge") : null,
        // A stream cut here and continued on the next target (stream recovery): see the message.
        attempt.outcome === "failure" && attempt.message?.includes("; continued on ")
          ? h("span.tag", null, "continued")
          : null,
      ),
      h("span.step-why", null, why),
      attempt.message && attempt.outcome !== "success"
        ? h("span.step-message", null, attempt.message)
        : null,
    ),
    h("span.step-track", null, attempt.outcome === "skipped" ? null : bar),
    h("span.step-latency", null, attempt.outcome === "skipped" ? "" : formatMs(attempt.latencyMs)),
  );
}
