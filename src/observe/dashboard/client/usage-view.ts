import type { UsageRow } from "../../../store/trace-store.js";
import type { DashboardState } from "./dashboard-state.js";
import type { DashboardElement } from "./dom.js";

/**
 * Dashboard client: usage and cost by client and by model. Every export is a self-contained
 * function declaration (see `dashboard-script.ts`).
 */

declare const h: typeof import("./elements.js").h;
declare const byId: typeof import("./elements.js").byId;
declare const api: typeof import("./elements.js").api;
declare const barRows: typeof import("./charts.js").barRows;
declare const formatCount: typeof import("./format.js").formatCount;
declare const formatUsd: typeof import("./format.js").formatUsd;

export async function loadUsage(state: DashboardState): Promise<void> {
  const hours = state.usageHours;
  const [byClient, byModel] = await Promise.all([
    api<{ source: string; rows: UsageRow[] }>(`/admin/usage?groupBy=client&hours=${hours}`),
    api<{ source: string; rows: UsageRow[] }>(`/admin/usage?groupBy=model&hours=${hours}`),
  ]);
  // Without a database, usage is counted in memory since start: say so rather than imply a period.
  const inMemory = byClient.source === "memory";
  const source = byId("usage-source");
  source.hidden = !inMemory;
  const none = inMemory
    ? "Nothing used since the gateway started."
    : "Nothing used in this period.";
  byId("usage-client").replaceChildren(usageBlock("By client", byClient.rows, "no client", none));
  byId("usage-model").replaceChildren(usageBlock("By model", byModel.rows, "unknown model", none));
  for (const button of ["1", "24", "168"]) {
    byId(`usage-${button}h`).setAttribute("aria-pressed", String(Number(button) === hours));
  }
}

export function usageBlock(
  title: string,
  rows: UsageRow[],
  nullLabel: string,
  emptyText: string,
): DashboardElement {
  let cost = 0;
  let requests = 0;
  let tokens = 0;
  for (const row of rows) {
    cost += row.costUsd;
    requests += row.requests;
    tokens += row.inputTokens + row.outputTokens;
  }
  // Cost when anything was priced, else tokens: a bar chart of zeros says nothing.
  const byCost = cost > 0;
  const bars = rows.slice(0, 12).map((row) => ({
    label: row.key ?? nullLabel,
    value: byCost ? row.costUsd : row.inputTokens + row.outputTokens,
    shown: byCost
      ? formatUsd(row.costUsd)
      : `${formatCount(row.inputTokens + row.outputTokens)} tok`,
    detail: `${row.requests} requests (${row.errors} failed), ${formatCount(row.inputTokens)} in / ${formatCount(row.outputTokens)} out tokens, ${formatUsd(row.costUsd)}${row.unpricedRequests > 0 ? `, ${row.unpricedRequests} unpriced` : ""}`,
  }));
  return h(
    "div.usage-block",
    null,
    h(
      "div.usage-head",
      null,
      h("h3", null, title),
      h(
        "span.usage-total",
        null,
        `${formatUsd(cost)} · ${formatCount(requests)} requests · ${formatCount(tokens)} tokens`,
      ),
    ),
    barRows(bars, emptyText),
  );
}
