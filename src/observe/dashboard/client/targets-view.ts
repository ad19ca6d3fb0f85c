import type { TargetOverview } from "../../build-overview.js";
import type { DashboardState } from "./dashboard-state.js";
import type { DashboardElement } from "./dom.js";

/**
 * Dashboard client: the summary cards and the providers-and-keys table. Every export is a
 * self-contained function declaration (see `dashboard-script.ts`).
 */

declare const h: typeof import("./elements.js").h;
declare const byId: typeof import("./elements.js").byId;
declare const sparkBars: typeof import("./charts.js").sparkBars;
declare const formatCount: typeof import("./format.js").formatCount;
declare const formatPercent: typeof import("./format.js").formatPercent;
declare const formatMs: typeof import("./format.js").formatMs;
declare const formatDuration: typeof import("./format.js").formatDuration;
declare const words: typeof import("./format.js").words;

export function renderSummary(state: DashboardState): void {
  const overview = state.overview;
  if (!overview) return;
  const { requests, errors, fallbacks } = overview.window;
  const targets = overview.models.flatMap((model) => model.targets);
  const open = targets.filter((target) => target.circuitState !== "closed").length;
  const series = state.series;
  const chart = series
    ? sparkBars(series.series["gateway:requests"], {
        ...chartWindow(state),
        height: 28,
        label: "requests over the last minutes",
      })
    : null;
  byId("summary").replaceChildren(
    card("Requests · 15 min", formatCount(requests), "", chart),
    card(
      "Error rate",
      requests > 0 ? formatPercent(errors / requests) : "–",
      errors > 0 ? "bad" : "",
      h("span.card-note", null, `${formatCount(errors)} failed`),
    ),
    card(
      "Fallbacks · 15 min",
      formatCount(fallbacks),
      fallbacks > 0 ? "warn" : "",
      h("span.card-note", null, "served by a later target"),
    ),
    card(
      "Circuits open",
      `${open} of ${targets.length}`,
      open > 0 ? "bad" : "good",
      h("span.card-note", null, open > 0 ? "traffic routed around them" : "all closed"),
    ),
  );
  const uptime = formatDuration(overview.now - overview.startedAt);
  const traces =
    overview.traces.kind === "memory" ? "traces in memory" : `traces: ${overview.traces.kind}`;
  const parts = [
    `${overview.models.length} models`,
    `${targets.length} targets`,
    `up ${uptime}`,
    traces,
  ];
  if (overview.stateStore) {
    parts.push(overview.stateStore.connected ? "redis shared" : "redis unreachable");
  }
  if (overview.draining) parts.push("draining");
  byId("meta").textContent = parts.join(" · ");
}

export function card(
  label: string,
  value: string,
  tone: string,
  extra: DashboardElement | null,
): DashboardElement {
  return h(
    `div.card${tone ? `.${tone}` : ""}`,
    null,
    h("span.card-label", null, label),
    h("span.card-value", null, value),
    extra,
  );
}

export function renderTargets(state: DashboardState): void {
  const overview = state.overview;
  if (!overview) return;
  const list = byId("target-list");
  const groups: DashboardElement[] = [];
  for (const model of overview.models) {
    const group = h(
      "div.model-group",
      { "data-model": model.name },
      h(
        "div.model-head",
        null,
        h("span.model-name", null, model.name),
        model.direct ? h("span.tag", null, "direct") : null,
        h(
          "span.model-count",
          null,
          `${model.targets.length} target${model.targets.length === 1 ? "" : "s"}`,
        ),
      ),
    );
    if (model.targets.length === 0) group.append(h("p.empty", null, "no usable target"));
    model.targets.forEach((target, index) => {
      group.append(targetRow(state, target, index + 1));
    });
    groups.push(group);
  }
  for (const skipped of overview.skippedProviders) {
    groups.push(h("p.note", null, `${skipped}: skipped, no API key`));
  }
  list.replaceChildren(...groups);
}

export function targetRow(
  state: DashboardState,
  target: TargetOverview,
  order: number,
): DashboardElement {
  const [badge, tone] = targetBadge(target);
  const series = state.series;
  const chart = series
    ? sparkBars(series.series[target.seriesKey], {
        ...chartWindow(state),
        label: `${target.id}: attempts over the last minutes`,
      })
    : h("span.muted", null, "…");
  const sub = [target.provider];
  if (target.keyId !== "none") sub.push(`key ${target.keyId}`);
  if (target.endpoint !== "chat") sub.push(target.endpoint);
  const limit = target.concurrencyLimit === undefined ? "" : ` / ${target.concurrencyLimit}`;
  const rate = target.successRate;
  const row = h(
    "div.target",
    { "data-target": target.id, "data-state": target.status ?? "unknown" },
    h(
      "div.t-name",
      null,
      h("span.order", null, String(order)),
      h(
        "div.t-title",
        null,
        h("span.t-id", { title: target.id }, target.id),
        h("span.t-sub", null, sub.join(" · ")),
      ),
    ),
    h("div.t-state", null, h(`span.badge.${tone}`, { "data-circuit": target.circuitState }, badge)),
    stat("health", h(`span.dot.${target.health}`), target.health, "", healthNote(target)),
    stat(
      "success",
      null,
      rate === null ? "–" : formatPercent(rate),
      rate !== null && rate < 0.9 ? "bad" : "",
    ),
    stat("in flight", null, `${target.inFlight}${limit}`),
    stat(
      "p50 / p95",
      null,
      target.p50LatencyMs > 0
        ? `${formatMs(target.p50LatencyMs)} / ${formatMs(target.p95LatencyMs)}`
        : "–",
    ),
    h("div.t-chart", null, chart),
  );
  if (target.lastError && target.status !== "healthy") {
    row.append(
      h(
        "div.t-error",
        null,
        `last error: ${words(target.lastError.kind)}: ${target.lastError.message}`,
      ),
    );
  }
  return row;
}

export function stat(
  label: string,
  icon: DashboardElement | null,
  value: string,
  tone = "",
  title: string | undefined = undefined,
): DashboardElement {
  return h(
    "div.t-stat",
    { "data-stat": label, title },
    h("span.t-label", null, label),
    h(`span.t-value${tone ? `.${tone}` : ""}`, null, icon, value),
  );
}

/** What the health value rests on: a health check (listing models), or nothing yet. */
export function healthNote(target: TargetOverview): string {
  if (target.health === "unknown") {
    return "No health check has finished for this target: its health is not known. The circuit and the success rate say how its requests went.";
  }
  return `The last health check (listing the provider's models) ${target.health === "healthy" ? "passed" : "failed"}. It is not a request: the circuit and the success rate say how requests went.`;
}

/** The state badge: circuit first, then cooldown, then health. */
export function targetBadge(target: TargetOverview): [string, string] {
  if (target.circuitState === "open") return ["circuit open", "bad"];
  if (target.circuitState === "half_open") return ["half-open", "info"];
  if (target.cooldownLeftMs > 0)
    return [`cooling ${formatDuration(target.cooldownLeftMs)}`, "cool"];
  if (target.health === "unhealthy") return ["unhealthy", "warn"];
  return ["circuit closed", "good"];
}

/**
 * The buckets the charts show: the whole window (15 minutes) once the gateway has run that long,
 * else the time since it started (at least three minutes), so a fresh gateway's charts are not
 * mostly empty.
 */
export function chartWindow(state: DashboardState): {
  startMs: number;
  bucketMs: number;
  from: number;
} {
  const series = state.series;
  const startedAt = state.overview?.startedAt ?? 0;
  if (!series) return { startMs: 0, bucketMs: 10_000, from: 0 };
  const count = series.series["gateway:requests"]?.successes.length ?? 90;
  const sinceStart = Math.ceil(
    (series.startMs + count * series.bucketMs - startedAt) / series.bucketMs,
  );
  const shown = Math.min(count, Math.max(18, sinceStart));
  const from = count - shown;
  return { startMs: series.startMs + from * series.bucketMs, bucketMs: series.bucketMs, from };
}
