import type { DashboardState, KeyRow, TeamRow } from "./dashboard-state.js";
import type { DashboardElement, DashboardEvent, DashboardNavigator } from "./dom.js";

/**
 * Dashboard client: runtime keys and teams (list, create with the key shown once, revoke after a
 * confirmation), over `/admin/keys` and `/admin/teams`. A new key lives only in the one element
 * that shows it: never in the state, storage or the URL. Every export is a self-contained function
 * declaration (see `dashboard-script.ts`).
 */

declare const navigator: DashboardNavigator;
declare const h: typeof import("./elements.js").h;
declare const byId: typeof import("./elements.js").byId;
declare const adminCall: typeof import("./elements.js").adminCall;
declare const apiError: typeof import("./elements.js").apiError;
declare const formatDate: typeof import("./format.js").formatDate;
declare const formatUsd: typeof import("./format.js").formatUsd;

/** Reads keys and teams; a gateway without `database` gets a note saying so instead of a list. */
export async function loadKeys(state: DashboardState): Promise<void> {
  // Runtime keys live in the trace database: with traces in memory there is none to ask.
  if (state.overview?.traces.kind === "memory") {
    state.keys.available = false;
    renderKeys(state);
    return;
  }
  const [keys, teams] = await Promise.all([
    adminCall("GET", "/admin/keys"),
    adminCall("GET", "/admin/teams"),
  ]);
  if (keys.status === 400 && apiError(keys.body).param === "database") {
    state.keys.available = false;
    renderKeys(state);
    return;
  }
  if (keys.status >= 400) throw new Error(`/admin/keys answered ${keys.status}`);
  if (teams.status >= 400) throw new Error(`/admin/teams answered ${teams.status}`);
  state.keys.available = true;
  state.keys.keys = (keys.body as { keys: KeyRow[] }).keys;
  state.keys.teams = (teams.body as { teams: TeamRow[] }).teams;
  renderKeys(state);
}

export function renderKeys(state: DashboardState): void {
  const { available, keys, teams } = state.keys;
  byId("keys-off").hidden = available !== false;
  byId("keys-on").hidden = available !== true;
  if (available !== true) return;
  const teamNames = new Map(teams.map((team) => [team.id, team.name]));
  const select = byId("key-team");
  const chosen = select.value;
  select.replaceChildren(
    h("option", { value: "" }, "no team"),
    ...teams.map((team) => h("option", { value: team.id }, team.name)),
  );
  select.value = teams.some((team) => team.id === chosen) ? chosen : "";
  byId("key-count").textContent = `${keys.filter((key) => key.status === "active").length} active`;
  byId("key-list").replaceChildren(
    keys.length === 0
      ? h("p.empty", null, "No runtime keys yet. Create one above; YAML clients work beside them.")
      : h(
          "table.requests.keys",
          null,
          h(
            "thead",
            null,
            h(
              "tr",
              null,
              ...[
                "Name",
                "Key",
                "Team",
                "Limits",
                "Created",
                "Last used",
                "Spend",
                "Status",
                "",
              ].map((title) => h("th", null, title)),
            ),
          ),
          h("tbody", null, ...keys.map((key) => keyRow(state, key, teamNames))),
        ),
  );
  byId("team-list").replaceChildren(
    teams.length === 0
      ? h("p.empty", null, "No teams. A team's models, rate limit and budget bind all its keys.")
      : h(
          "ul.teams",
          null,
          ...teams.map((team) =>
            h(
              "li.team",
              { "data-team": team.id },
              h("span.team-name", null, team.name),
              h("span.t-sub", null, team.id),
              h("span.team-limits", null, limitsText(team)),
              h("span.team-spend", null, spendText(team)),
            ),
          ),
        ),
  );
}

export function keyRow(
  state: DashboardState,
  key: KeyRow,
  teamNames: Map<string, string>,
): DashboardElement {
  const tone = key.status === "active" ? "good" : key.status === "revoked" ? "bad" : "warn";
  const confirming = state.keys.confirming === key.id;
  const action =
    key.status === "revoked"
      ? h("span.muted", null, formatDate(key.revokedAt))
      : confirming
        ? h(
            "span.confirm",
            null,
            h("span", null, "Revoke? It stops working at once. "),
            h("button.danger", { type: "button", "data-action": "revoke-confirmed" }, "Revoke key"),
            h("button", { type: "button", "data-action": "revoke-cancel" }, "Cancel"),
          )
        : h("button", { type: "button", "data-action": "revoke" }, "Revoke");
  return h(
    "tr.key",
    { "data-key": key.id, "data-status": key.status },
    h("td", null, h("div.key-name", null, key.name), h("div.t-sub", null, key.id)),
    h("td.mono", null, `${key.prefix}…`),
    h("td", null, key.team ? (teamNames.get(key.team) ?? key.team) : "–"),
    h("td.limits", null, limitsText(key)),
    h("td", null, formatDate(key.createdAt)),
    h("td", null, key.lastUsedAt === undefined ? "never" : formatDate(key.lastUsedAt)),
    h("td.spend", null, spendText(key)),
    h("td", null, h(`span.pill.${tone}`, null, key.status)),
    h("td.action", null, action),
  );
}

/** `models smart, cheap · 60 rpm · $20/month`, or `no limits`. */
export function limitsText(row: KeyRow | TeamRow): string {
  const parts: string[] = [];
  if (row.models) parts.push(`models ${row.models.join(", ")}`);
  if (row.rateLimit?.rpm) parts.push(`${row.rateLimit.rpm} rpm`);
  if (row.rateLimit?.tpm) parts.push(`${row.rateLimit.tpm} tpm`);
  if (row.budget) parts.push(`${formatUsd(row.budget.usd)}/${row.budget.period}`);
  if ("expiresAt" in row && row.expiresAt !== undefined) {
    parts.push(`expires ${formatDate(row.expiresAt)}`);
  }
  return parts.length > 0 ? parts.join(" · ") : "no limits";
}

/** `$1.20 this month`; `–` when the gateway keeps no spend. */
export function spendText(row: KeyRow | TeamRow): string {
  if (!row.usage) return "–";
  const period = row.usage.period === "day" ? "today" : "this month";
  const budget = row.budget ? ` of ${formatUsd(row.budget.usd)}` : "";
  return `${formatUsd(row.usage.spentUsd)}${budget} ${period}`;
}

/** The create form's fields as a `POST /admin/keys` body. */
export function keyFormBody(): Record<string, unknown> {
  const body: Record<string, unknown> = { name: byId("key-name").value.trim() };
  const team = byId("key-team").value;
  if (team) body.team = team;
  const models = byId("key-models")
    .value.split(",")
    .map((model) => model.trim())
    .filter((model) => model !== "");
  if (models.length > 0) body.models = models;
  const rpm = byId("key-rpm").value.trim();
  if (rpm) body.rateLimit = { rpm: Number(rpm) };
  const usd = byId("key-budget").value.trim();
  if (usd) body.budget = { usd: Number(usd), period: byId("key-period").value };
  return body;
}

export async function createKey(state: DashboardState): Promise<void> {
  const error = byId("key-form-error");
  const submit = byId("key-create");
  submit.disabled = true;
  try {
    const answer = await adminCall("POST", "/admin/keys", keyFormBody());
    if (answer.status !== 201) {
      error.hidden = false;
      error.textContent = `Not created: ${apiError(answer.body).message}`;
      return;
    }
    error.hidden = true;
    const made = answer.body as KeyRow & { key: string };
    showNewKey(made.name, made.key);
    for (const id of ["key-name", "key-models", "key-rpm", "key-budget"]) byId(id).value = "";
    await loadKeys(state);
  } finally {
    submit.disabled = false;
  }
}

/** Shows a new key with a copy button until "Done": the only place it ever appears. */
export function showNewKey(name: string, key: string): void {
  const field = h("input.mono", {
    id: "new-key-value",
    readonly: "",
    value: key,
    "aria-label": `the key for ${name}`,
    spellcheck: "false",
  });
  const status = h("span.hint", { id: "new-key-copied" }, "");
  const copy = h("button", { type: "button", id: "new-key-copy" }, "Copy");
  const done = h("button", { type: "button", id: "new-key-done" }, "Done");
  const box = byId("new-key");
  copy.addEventListener("click", () => {
    // Selected first, so Ctrl+C works even where the clipboard API is refused or never answers.
    field.select();
    status.textContent = "selected: press Ctrl+C (or ⌘C) if it is not copied";
    navigator.clipboard?.writeText(key).then(
      () => {
        status.textContent = "copied";
      },
      () => undefined,
    );
  });
  done.addEventListener("click", () => {
    box.replaceChildren();
    box.hidden = true;
  });
  box.replaceChildren(
    h(
      "p",
      null,
      h("strong", null, `Key for ${name}`),
      " — copy it now: it is shown this once and cannot be seen again.",
    ),
    h("div.new-key-row", null, field, copy, done, status),
  );
  box.hidden = false;
  field.focus();
  field.select();
}

/** Revoke, then confirm or cancel: clicks on the key list's buttons. */
export async function onKeyClick(state: DashboardState, event: DashboardEvent): Promise<void> {
  const button = event.target?.closest("button[data-action]");
  const row = button?.closest("tr[data-key]");
  const id = row?.dataset.key;
  if (!button || !id) return;
  const action = button.dataset.action;
  if (action === "revoke") state.keys.confirming = id;
  if (action === "revoke-cancel") state.keys.confirming = undefined;
  if (action !== "revoke-confirmed") {
    renderKeys(state);
    return;
  }
  button.disabled = true;
  const answer = await adminCall("DELETE", `/admin/keys/${encodeURIComponent(id)}`);
  state.keys.confirming = undefined;
  if (answer.status >= 400) {
    const error = byId("key-form-error");
    error.hidden = false;
    error.textContent = `Not revoked: ${apiError(answer.body).message}`;
  }
  await loadKeys(state);
}

export async function createTeam(state: DashboardState): Promise<void> {
  const body: Record<string, unknown> = { name: byId("team-name").value.trim() };
  const usd = byId("team-budget").value.trim();
  if (usd) body.budget = { usd: Number(usd), period: "month" };
  const answer = await adminCall("POST", "/admin/teams", body);
  const error = byId("key-form-error");
  if (answer.status !== 201) {
    error.hidden = false;
    error.textContent = `Team not created: ${apiError(answer.body).message}`;
    return;
  }
  error.hidden = true;
  byId("team-name").value = "";
  byId("team-budget").value = "";
  await loadKeys(state);
}
