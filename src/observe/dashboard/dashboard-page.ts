import { dashboardScript } from "./dashboard-script.js";
import { DASHBOARD_STYLE } from "./dashboard-style.js";

/** Two tracks parting: the mark in the top bar and the favicon. */
const LOGO = `<svg viewBox="0 0 24 24" aria-hidden="true"><rect width="24" height="24" rx="6" fill="#3559e0"/><path d="M5 18h14M5 18c5 0 7-9 14-9" fill="none" stroke="#fff" stroke-width="2.2" stroke-linecap="round"/><circle cx="19" cy="9" r="1.8" fill="#fff"/><circle cx="19" cy="18" r="1.8" fill="#fff"/></svg>`;

const FAVICON = `data:image/svg+xml,${encodeURIComponent(LOGO.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" '))}`;

function head(title: string, nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<link rel="icon" href="${FAVICON}">
<style nonce="${nonce}">${DASHBOARD_STYLE}</style>
</head>`;
}

/** The dashboard: a static skeleton the script fills from the admin API. */
export function dashboardPage(nonce: string): string {
  return `${head("Switchyard", nonce)}
<body>
<header class="topbar">
  <div class="brand">${LOGO}<span>Switchyard</span></div>
  <div class="meta" id="meta">loading…</div>
  <nav class="sections" aria-label="Sections">
    <a href="#targets">Targets</a><a href="#requests">Requests</a><a href="#usage">Usage</a><a href="#keys">Keys</a><a href="#config">Config</a>
  </nav>
  <span class="live" id="live-status" data-state="connecting">connecting…</span>
  <form method="post" action="/ui/logout"><button class="ghost" type="submit">Sign out</button></form>
</header>
<main>
  <div class="banner" id="error-banner" role="alert" hidden></div>
  <section class="cards" id="summary" aria-label="Last 15 minutes"></section>
  <div class="layout">
    <section class="panel" id="targets">
      <div class="panel-head"><h2>Providers and keys</h2><span class="hint">in failover order · charts: attempts per 10 s, up to 15 min</span></div>
      <div class="panel-body" id="target-list"><p class="empty">loading…</p></div>
    </section>
    <section class="panel" id="feed-panel">
      <div class="panel-head"><h2>Live feed</h2><span class="hint">fallbacks, circuits, cooldowns</span></div>
      <div class="panel-body">
        <ol class="feed" id="feed" aria-live="polite"></ol>
        <p class="empty" id="feed-empty">Quiet so far. Fallbacks, circuit changes and cooldowns appear here as they happen.</p>
      </div>
    </section>
  </div>
  <section class="panel" id="requests">
    <div class="panel-head">
      <h2>Recent requests</h2><span class="hint" id="requests-source"></span>
      <form class="filters" id="request-filters" aria-label="Filter requests">
        <select id="filter-model" aria-label="Model"><option value="">all models</option></select>
        <select id="filter-provider" aria-label="Provider"><option value="">all providers</option></select>
        <select id="filter-client" aria-label="Client" hidden><option value="">all clients</option></select>
        <select id="filter-outcome" aria-label="Outcome">
          <option value="">any outcome</option><option value="success">success</option>
          <option value="error">error</option><option value="interrupted">interrupted</option><option value="client_closed">client closed</option>
        </select>
      </form>
    </div>
    <div class="panel-body">
      <div id="request-list"><p class="empty">loading…</p></div>
      <button class="more" id="requests-more" type="button" hidden>Older requests</button>
    </div>
  </section>
  <section class="panel" id="usage">
    <div class="panel-head">
      <h2>Usage and cost</h2>
      <span class="hint" id="usage-source" hidden>counted in memory since the gateway started: usage that lasts across restarts and whole periods needs <code>database</code> (set <code>database.url</code>)</span>
      <div class="segmented" role="group" aria-label="Period">
        <button type="button" id="usage-1h">1 h</button><button type="button" id="usage-24h" aria-pressed="true">24 h</button><button type="button" id="usage-168h">7 d</button>
      </div>
    </div>
    <div class="usage-grid"><div id="usage-client"></div><div id="usage-model"></div></div>
  </section>
  <section class="panel" id="keys">
    <div class="panel-head"><h2>Runtime keys</h2><span class="hint" id="key-count"></span><span class="hint">made and revoked here, without a reload</span></div>
    <div class="panel-body">
      <p class="note" id="keys-off" hidden>Runtime keys need <code>database</code>: set <code>database.url</code> (<code>sqlite:&lt;file&gt;</code> or <code>postgres://…</code>) in the config to make and revoke keys here. The config's <code>clients</code> work without it.</p>
      <div id="keys-on" hidden>
        <form class="key-form" id="key-form" aria-label="Create a key">
          <label>Name<input id="key-name" required maxlength="200" autocomplete="off"></label>
          <label>Team<select id="key-team"><option value="">no team</option></select></label>
          <label>Models<input id="key-models" placeholder="all models" title="logical model names, comma-separated; empty: every model" autocomplete="off"></label>
          <label>Requests/min<input id="key-rpm" type="number" min="1" step="1" placeholder="no limit"></label>
          <label>Budget (USD)<input id="key-budget" type="number" min="0.01" step="any" placeholder="none"></label>
          <label>per<select id="key-period"><option value="month">month</option><option value="day">day</option></select></label>
          <button type="submit" class="primary" id="key-create">Create key</button>
        </form>
        <p class="banner" id="key-form-error" role="alert" hidden></p>
        <div class="new-key" id="new-key" role="status" hidden></div>
        <div id="key-list"><p class="empty">loading…</p></div>
        <div class="teams-head"><h3>Teams</h3>
          <form class="key-form" id="team-form" aria-label="Create a team">
            <input id="team-name" required maxlength="200" placeholder="team name" aria-label="Team name" autocomplete="off">
            <input id="team-budget" type="number" min="0.01" step="any" placeholder="budget USD/month" aria-label="Team budget per month">
            <button type="submit">Create team</button>
          </form>
        </div>
        <div id="team-list"></div>
      </div>
    </div>
  </section>
  <section class="panel" id="config">
    <details><summary>Running config <span class="hint">every secret redacted</span></summary><pre class="config" id="config-text">loading…</pre></details>
  </section>
</main>
<script nonce="${nonce}">${dashboardScript()}</script>
</body>
</html>
`;
}

/** The sign-in page: one field for the admin key, posted once; a session cookie does the rest. */
export function loginPage(nonce: string, message: string | undefined): string {
  const notice = message ? `<p class="banner" role="alert">${escapeHtml(message)}</p>` : "";
  return `${head("Switchyard · sign in", nonce)}
<body>
<main class="login">
  <form class="panel login-form" method="post" action="/ui/login">
    <div class="brand">${LOGO}<span>Switchyard</span></div>
    <p class="hint">The dashboard needs the gateway's admin key (<code>server.adminKey</code>).</p>
    ${notice}
    <label for="key">Admin key</label>
    <input id="key" name="key" type="password" autocomplete="current-password" autofocus required>
    <button type="submit">Sign in</button>
  </form>
</main>
<style nonce="${nonce}">
.login { min-height: 100vh; display: grid; place-items: center; }
.login-form { width: min(360px, 92vw); padding: 24px; display: grid; gap: 10px; }
.login-form label { font-size: 12px; color: var(--muted); }
.login-form button { background: var(--accent); color: #fff; border-color: var(--accent); padding: 7px 10px; }
</style>
</body>
</html>
`;
}

/** The page shown when the dashboard is off for want of an admin key. */
export function dashboardOffPage(nonce: string): string {
  return `${head("Switchyard · dashboard off", nonce)}
<body><main><section class="panel"><div class="panel-head"><h2>The dashboard is off</h2></div>
<div class="panel-body"><p>Set <code>server.adminKey</code> in the config (for example <code>adminKey: \${SWITCHYARD_ADMIN_KEY}</code>) to turn it on.</p></div>
</section></main></body></html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
