/**
 * Dashboard client: the running config, secrets redacted by the server. Every export is a
 * self-contained function declaration (see `dashboard-script.ts`).
 */

declare const byId: typeof import("./elements.js").byId;
declare const api: typeof import("./elements.js").api;

export async function loadConfig(): Promise<void> {
  const answer = await api<{ yaml: string }>("/admin/config");
  byId("config-text").textContent = answer.yaml;
}
