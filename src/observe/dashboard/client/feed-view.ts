import type { FeedEvent } from "../../event-feed.js";
import type { DashboardState } from "./dashboard-state.js";
import type { DashboardEventSourceConstructor } from "./dom.js";

/**
 * Dashboard client: the live feed over server-sent events. Every export is a self-contained
 * function declaration (see `dashboard-script.ts`).
 */

declare const EventSource: DashboardEventSourceConstructor;
declare const h: typeof import("./elements.js").h;
declare const byId: typeof import("./elements.js").byId;
declare const formatClock: typeof import("./format.js").formatClock;

/**
 * Opens `/admin/events` and shows each event as it comes; `onChange` runs after each (to refresh
 * the targets at once). EventSource reconnects by itself, resuming after the last event seen.
 */
export function connectFeed(state: DashboardState, onChange: () => void): void {
  const status = byId("live-status");
  const source = new EventSource("/admin/events");
  const setStatus = (live: boolean) => {
    status.dataset.state = live ? "live" : "reconnecting";
    status.textContent = live ? "live" : "reconnecting…";
  };
  source.onopen = () => setStatus(true);
  source.onerror = () => setStatus(false);
  for (const type of ["fallback", "circuit", "cooldown", "health", "exhausted"]) {
    source.addEventListener(type, (message) => {
      const event = JSON.parse(message.data) as FeedEvent;
      addFeedEvent(state, event);
      onChange();
    });
  }
}

export function addFeedEvent(state: DashboardState, event: FeedEvent): void {
  const list = byId("feed");
  if (list.querySelector(`[data-id="${event.id}"]`)) return;
  state.feedCount += 1;
  byId("feed-empty").hidden = true;
  const [label, tone] = feedLabel(event);
  const item = h(
    `li.feed-item.${tone}`,
    { "data-id": event.id, "data-type": event.type, "data-state": event.state },
    h("span.feed-time", null, formatClock(event.at)),
    h(`span.chip.${tone}`, null, label),
    h(
      "span.feed-text",
      null,
      h("span.feed-model", null, event.model),
      event.endpoint === "chat" ? null : h("span.tag", null, event.endpoint),
      event.message,
    ),
  );
  list.prepend(item);
  // Keep the newest hundred.
  while (list.childElementCount > 100) list.lastElementChild?.remove();
}

export function feedLabel(event: FeedEvent): [string, string] {
  switch (event.type) {
    case "fallback":
      return ["fallback", "warn"];
    case "circuit":
      if (event.state === "open") return ["circuit open", "bad"];
      if (event.state === "half_open") return ["half-open", "info"];
      return ["circuit closed", "good"];
    case "cooldown":
      return ["cooldown", "cool"];
    case "health":
      return event.healthy ? ["healthy", "good"] : ["unhealthy", "warn"];
    default:
      return ["exhausted", "bad"];
  }
}
