/** The dashboard's stylesheet: light and dark by the system's preference, one column when narrow. */
export const DASHBOARD_STYLE = `
:root {
  --bg: #f5f6f8; --panel: #ffffff; --panel-2: #f9fafb; --border: #e4e7ec; --text: #101828;
  --muted: #667085; --faint: #98a2b3; --accent: #3559e0; --accent-soft: #e9eefc;
  --good: #12805c; --good-soft: #e3f5ec; --bad: #d92d20; --bad-soft: #fdecea;
  --warn: #b54708; --warn-soft: #fef3e2; --info: #3559e0; --info-soft: #e9eefc;
  --cool: #6941c6; --cool-soft: #f1ecfd; --skip: #98a2b3; --skip-soft: #f2f4f7;
  --bar-ok: #7f9cf5; --shadow: 0 1px 2px rgba(16, 24, 40, 0.05);
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  color-scheme: light;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --panel: #151b23; --panel-2: #1a212b; --border: #2a3340; --text: #e6edf3;
    --muted: #9aa6b5; --faint: #6e7b8b; --accent: #7c9cff; --accent-soft: #1c2640;
    --good: #3fb984; --good-soft: #13291f; --bad: #ff6b5e; --bad-soft: #3a1a17;
    --warn: #f0a54a; --warn-soft: #33240f; --info: #7c9cff; --info-soft: #1c2640;
    --cool: #b197fc; --cool-soft: #261d3d; --skip: #6e7b8b; --skip-soft: #1f2630;
    --bar-ok: #5b7bea; --shadow: none; color-scheme: dark;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--text);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-variant-numeric: tabular-nums;
}
[hidden] { display: none !important; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
h2 { font-size: 15px; margin: 0; font-weight: 600; }
h3 { font-size: 13px; margin: 0; font-weight: 600; }
button, select, input {
  font: inherit; color: inherit; background: var(--panel); border: 1px solid var(--border);
  border-radius: 6px; padding: 5px 10px;
}
button { cursor: pointer; }
button:hover { background: var(--panel-2); }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }

.topbar {
  position: sticky; top: 0; z-index: 5; display: flex; align-items: center; gap: 16px;
  padding: 10px 24px; background: var(--panel); border-bottom: 1px solid var(--border);
}
.brand { display: flex; align-items: center; gap: 8px; font-weight: 650; font-size: 15px; }
.brand svg { width: 22px; height: 22px; }
.meta { color: var(--muted); font-size: 13px; flex: 1; min-width: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.sections { display: flex; gap: 4px; }
.sections a { color: var(--muted); padding: 4px 8px; border-radius: 6px; font-size: 13px; }
.sections a:hover { background: var(--panel-2); color: var(--text); text-decoration: none; }
.live { display: inline-flex; align-items: center; gap: 6px; font-size: 12px; color: var(--muted); white-space: nowrap; }
.live::before { content: ""; width: 8px; height: 8px; border-radius: 50%; background: var(--faint); }
.live[data-state="live"]::before { background: var(--good); box-shadow: 0 0 0 3px var(--good-soft); }
.live[data-state="reconnecting"]::before { background: var(--warn); }
.topbar form { margin: 0; }
.ghost { border-color: transparent; background: transparent; color: var(--muted); font-size: 13px; }

main { max-width: 1440px; margin: 0 auto; padding: 20px 24px 48px; display: grid; gap: 16px; }
.banner { background: var(--bad-soft); color: var(--bad); border-radius: 8px; padding: 8px 12px; }

.cards { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 12px; }
.card {
  background: var(--panel); border: 1px solid var(--border); border-radius: 10px; padding: 12px 14px;
  display: grid; gap: 2px; box-shadow: var(--shadow); min-height: 92px; align-content: start;
}
.card-label { color: var(--muted); font-size: 12px; }
.card-value { font-size: 24px; font-weight: 650; letter-spacing: -0.01em; }
.card.bad .card-value { color: var(--bad); }
.card.warn .card-value { color: var(--warn); }
.card.good .card-value { color: var(--good); }
.card-note { color: var(--faint); font-size: 12px; }
.card .spark { width: 100%; height: 28px; display: block; margin-top: 4px; }

.layout { display: grid; grid-template-columns: minmax(0, 1fr) 360px; gap: 16px; align-items: start; }
.panel {
  background: var(--panel); border: 1px solid var(--border); border-radius: 10px;
  box-shadow: var(--shadow); min-width: 0;
}
.panel-head {
  display: flex; align-items: center; gap: 12px; flex-wrap: wrap; padding: 12px 16px;
  border-bottom: 1px solid var(--border);
}
.panel-body { padding: 4px 16px 12px; }
#request-list { overflow-x: auto; }
.hint { color: var(--faint); font-size: 12px; font-weight: 400; }
.empty, .muted { color: var(--faint); }
.note { color: var(--muted); font-size: 12px; margin: 8px 0 0; }

.model-group { padding: 10px 0 6px; border-bottom: 1px solid var(--border); }
.model-group:last-child { border-bottom: 0; }
.model-head { display: flex; align-items: baseline; gap: 8px; margin-bottom: 4px; }
.model-name { font-weight: 650; }
.model-count { color: var(--faint); font-size: 12px; }
.tag {
  display: inline-block; font-size: 11px; color: var(--muted); background: var(--skip-soft);
  border-radius: 4px; padding: 0 5px; margin: 0 4px; vertical-align: 1px;
}
.target {
  display: grid; align-items: center; gap: 4px 16px; padding: 8px 0;
  grid-template-columns: minmax(230px, 3fr) 104px repeat(4, minmax(64px, 0.7fr)) minmax(110px, 1.3fr);
  border-top: 1px dashed var(--border);
}
.model-head + .target { border-top: 0; }
.t-name { display: flex; align-items: center; gap: 10px; min-width: 0; }
.order {
  flex: none; width: 20px; height: 20px; border-radius: 50%; background: var(--skip-soft);
  color: var(--muted); font-size: 11px; display: grid; place-items: center;
}
.t-title { display: grid; min-width: 0; flex: 1; }
.t-state { display: flex; }
.t-id { font-family: var(--mono); font-size: 13px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.t-sub { color: var(--faint); font-size: 12px; }
.t-stat { display: grid; }
.t-label { color: var(--faint); font-size: 11px; text-transform: uppercase; letter-spacing: 0.04em; }
.t-value { display: inline-flex; align-items: center; gap: 6px; white-space: nowrap; }
.t-value.bad { color: var(--bad); font-weight: 600; }
.t-chart .spark { width: 100%; height: 32px; display: block; }
.t-error {
  grid-column: 1 / -1; color: var(--bad); font-size: 12px; font-family: var(--mono);
  overflow: hidden; text-overflow: ellipsis; white-space: nowrap; padding-left: 30px;
}
.badge {
  flex: none; font-size: 11px; font-weight: 600; border-radius: 999px; padding: 2px 8px; white-space: nowrap;
}
.badge.good, .chip.good, .pill.good { color: var(--good); background: var(--good-soft); }
.badge.bad, .chip.bad, .pill.bad { color: var(--bad); background: var(--bad-soft); }
.badge.warn, .chip.warn, .pill.warn { color: var(--warn); background: var(--warn-soft); }
.badge.info, .chip.info, .pill.info { color: var(--info); background: var(--info-soft); }
.badge.cool, .chip.cool, .pill.cool { color: var(--cool); background: var(--cool-soft); }
.dot { width: 8px; height: 8px; border-radius: 50%; background: var(--faint); display: inline-block; }
.dot.healthy { background: var(--good); }
.dot.unhealthy { background: var(--bad); }

.spark .ok { fill: var(--bar-ok); }
.spark .bad { fill: var(--bad); }
.spark .baseline { stroke: var(--border); stroke-width: 1; vector-effect: non-scaling-stroke; }
.spark g:hover rect { opacity: 0.75; }

.feed { list-style: none; margin: 0; padding: 0; max-height: 520px; overflow: auto; }
.feed-item {
  display: grid; grid-template-columns: auto auto minmax(0, 1fr); gap: 8px; align-items: baseline;
  padding: 8px 0; border-bottom: 1px solid var(--border); animation: arrive 1.2s ease-out;
}
.feed-item:last-child { border-bottom: 0; }
@keyframes arrive { from { background: var(--accent-soft); } to { background: transparent; } }
.feed-time { color: var(--faint); font-size: 12px; font-family: var(--mono); }
.chip { font-size: 11px; font-weight: 600; border-radius: 4px; padding: 1px 6px; white-space: nowrap; }
.feed-text { font-size: 13px; overflow-wrap: anywhere; }
.feed-model { font-weight: 600; margin-right: 6px; }

.filters { display: flex; gap: 8px; flex-wrap: wrap; margin-left: auto; }
.filters select { font-size: 13px; padding: 4px 8px; }
table.requests { width: 100%; border-collapse: collapse; font-size: 13px; }
.requests th {
  text-align: left; font-weight: 500; color: var(--faint); font-size: 11px; text-transform: uppercase;
  letter-spacing: 0.04em; padding: 8px 8px; border-bottom: 1px solid var(--border);
}
.requests td { padding: 7px 8px; border-bottom: 1px solid var(--border); white-space: nowrap; }
.requests .num { text-align: right; }
.requests td.served { font-family: var(--mono); font-size: 12px; max-width: 240px; overflow: hidden; text-overflow: ellipsis; }
tr.req { cursor: pointer; }
tr.req:hover td { background: var(--panel-2); }
tr.req.open td { background: var(--accent-soft); border-bottom-color: transparent; }
.caret { display: inline-block; width: 14px; color: var(--faint); }
.time { font-family: var(--mono); font-size: 12px; }
.pill { font-size: 12px; font-weight: 600; border-radius: 4px; padding: 1px 6px; }
tr.req-detail > td { background: var(--panel-2); padding: 10px 12px 12px 30px; white-space: normal; }
.chain { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; }
.step {
  display: grid; grid-template-columns: 22px minmax(0, 1.4fr) minmax(120px, 1fr) 72px; gap: 10px;
  align-items: center;
}
.step-number {
  width: 22px; height: 22px; border-radius: 50%; display: grid; place-items: center; font-size: 11px;
  font-weight: 600; background: var(--skip-soft); color: var(--muted);
}
.step.good .step-number { background: var(--good-soft); color: var(--good); }
.step.bad .step-number { background: var(--bad-soft); color: var(--bad); }
.step.warn .step-number { background: var(--warn-soft); color: var(--warn); }
.step-main { display: grid; min-width: 0; }
.step-target { font-family: var(--mono); font-size: 12px; }
.step-why { font-size: 12px; color: var(--muted); }
.step.bad .step-why { color: var(--bad); }
.step.good .step-why { color: var(--good); }
.step-message { font-size: 12px; color: var(--faint); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.step-track { position: relative; height: 8px; background: var(--skip-soft); border-radius: 4px; }
.step-bar {
  position: absolute; top: 0; bottom: 0; left: var(--start); width: var(--width);
  border-radius: 4px; background: var(--skip); min-width: 3px;
}
.step-bar.good { background: var(--good); }
.step-bar.bad { background: var(--bad); }
.step-bar.warn { background: var(--warn); }
.step-latency { text-align: right; font-size: 12px; color: var(--muted); }
.detail-facts { margin: 10px 0 0; font-size: 12px; color: var(--muted); font-family: var(--mono); overflow-wrap: anywhere; }
.detail-error { margin: 6px 0 0; font-size: 12px; color: var(--bad); overflow-wrap: anywhere; }
.more { margin-top: 10px; }

.segmented { display: inline-flex; border: 1px solid var(--border); border-radius: 6px; overflow: hidden; margin-left: auto; }
.segmented button { border: 0; border-radius: 0; padding: 4px 10px; font-size: 12px; }
.segmented button + button { border-left: 1px solid var(--border); }
.segmented button[aria-pressed="true"] { background: var(--accent-soft); color: var(--accent); font-weight: 600; }
.usage-grid { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; padding: 12px 16px 16px; }
.usage-head { display: flex; align-items: baseline; justify-content: space-between; gap: 8px; margin-bottom: 8px; flex-wrap: wrap; }
.usage-total { color: var(--muted); font-size: 12px; }
.bars { display: grid; gap: 6px; }
.bar-row { display: grid; grid-template-columns: minmax(80px, 160px) minmax(0, 1fr) 88px; gap: 10px; align-items: center; font-size: 13px; }
.bar-label { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.bar-value { text-align: right; color: var(--muted); }
svg.bar { width: 100%; height: 12px; display: block; }
svg.bar .track { fill: var(--skip-soft); }
svg.bar .fill { fill: var(--accent); }

.key-form { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: end; padding: 10px 0; }
.key-form label { display: grid; gap: 2px; font-size: 12px; color: var(--muted); }
.key-form input { width: 150px; }
button.primary { background: var(--accent); color: #fff; border-color: var(--accent); }
button.danger { background: var(--bad); color: #fff; border-color: var(--bad); }
button:disabled { opacity: 0.6; cursor: default; }
.new-key { border: 1px solid var(--good); background: var(--good-soft); border-radius: 8px; padding: 8px 12px; margin: 4px 0 10px; }
.new-key p { margin: 0 0 6px; }
.new-key-row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.new-key-row input { flex: 1; min-width: 220px; }
.mono { font-family: var(--mono); font-size: 12px; }
#key-list { overflow-x: auto; }
.keys td.limits { white-space: normal; min-width: 160px; color: var(--muted); }
.keys tr[data-status="revoked"] td { color: var(--faint); }
.key-name { font-weight: 600; }
.confirm { display: inline-flex; gap: 6px; align-items: center; white-space: nowrap; }
.teams-head { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; margin-top: 14px; }
.teams { list-style: none; margin: 0; padding: 0; }
.team { display: flex; gap: 12px; flex-wrap: wrap; align-items: baseline; padding: 6px 0; border-bottom: 1px solid var(--border); font-size: 13px; }
.team-name { font-weight: 600; }
.team-limits, .team-spend { color: var(--muted); }

details summary { cursor: pointer; padding: 12px 16px; font-weight: 600; font-size: 15px; }
details[open] summary { border-bottom: 1px solid var(--border); }
pre.config {
  margin: 0; padding: 12px 16px; font-family: var(--mono); font-size: 12px; overflow: auto;
  max-height: 480px; color: var(--muted);
}

@media (max-width: 1100px) {
  .layout { grid-template-columns: minmax(0, 1fr); }
  .feed { max-height: 280px; }
}
@media (max-width: 820px) {
  .cards { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  .target { grid-template-columns: repeat(4, minmax(0, 1fr)); }
  .t-name { grid-column: 1 / 4; }
  .t-state { grid-column: 4; justify-content: flex-end; }
  .t-chart { grid-column: 1 / -1; }
  .usage-grid { grid-template-columns: minmax(0, 1fr); }
  .requests .opt { display: none; }
  .sections { display: none; }
}
@media (max-width: 520px) {
  main { padding: 12px 10px 32px; }
  .topbar { padding: 8px 12px; gap: 10px; }
  .meta { display: none; }
  .card-value { font-size: 20px; }
  .target { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  .t-name { grid-column: 1 / 2; }
  .t-state { grid-column: 2; justify-content: flex-end; }
  .t-id { white-space: normal; overflow-wrap: anywhere; }
  .step { grid-template-columns: 22px minmax(0, 1fr) 60px; }
  .step-track { display: none; }
  .requests td, .requests th { padding: 6px 4px; }
  .requests td.served { max-width: 92px; }
  .requests .tag, .requests .caret { display: none; }
  .requests td.time { font-size: 11px; }
  .requests .tries { display: none; }
  tr.req-detail > td { padding-left: 8px; }
  .filters { margin-left: 0; }
}
`;
