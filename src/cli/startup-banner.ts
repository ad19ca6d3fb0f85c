import type { DemoDashboard } from "./demo-admin-key.js";

/** A curl command asking `model` a question through the gateway at `url`, headers shown. */
export function curlCommand(url: string, model = "smart"): string {
  const body = JSON.stringify({ model, messages: [{ role: "user", content: "Hello!" }] });
  return `curl -i ${url}/v1/chat/completions -H 'content-type: application/json' -d '${body}'`;
}

/** What a newcomer reads in demo mode: what is running, a command to paste and the dashboard. */
export function demoBanner(url: string, dashboard: DemoDashboard): string {
  return [
    "",
    "  Switchyard is running in DEMO MODE: no API key and no local Ollama were found.",
    "  Model `smart` routes to two mock providers on this machine: demo-primary fails every",
    "  3rd request (a 503, then a 429), and demo-backup answers instead. Try it a few times:",
    "",
    `    ${curlCommand(url)}`,
    "",
    "  The x-switchyard-provider header names the provider that answered. For real providers,",
    "  set OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY or GROQ_API_KEY (or write a",
    "  switchyard.yaml) and restart.",
    "",
    ...dashboardLines(url, dashboard),
    "",
    "",
  ].join("\n");
}

/**
 * The dashboard's line. A generated admin key is printed here and nowhere else: this is the one
 * place it may appear (the demo listens on loopback only, and the key dies with the process).
 */
function dashboardLines(url: string, dashboard: DemoDashboard): string[] {
  switch (dashboard.kind) {
    case "generated":
      return [
        "  Dashboard, signed in by an admin key made for this run (loopback only, shown only here):",
        "",
        `    ${url}/ui?key=${encodeURIComponent(dashboard.adminKey)}`,
      ];
    case "configured":
      return [`  Dashboard: ${url}/ui (sign in with the admin key you set, SWITCHYARD_ADMIN_KEY).`];
    case "off":
      return [
        `  Dashboard: off. The demo listens on ${dashboard.host}, beyond this machine, so no admin`,
        "  key is made for it; set SWITCHYARD_ADMIN_KEY to turn the dashboard on.",
      ];
  }
}
