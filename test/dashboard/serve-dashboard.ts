/**
 * Serves the dashboard over mock providers with some traffic, for looking at it by hand:
 * `node --import tsx test/dashboard/serve-dashboard.ts [port]`, then open the printed URL.
 */
import { ADMIN_KEY, startDashboardGateway } from "./dashboard-gateway.js";

const port = Number(process.argv[2] ?? 8790);
const running = await startDashboardGateway({ port });
console.log(`dashboard: ${running.url}/ui?key=${ADMIN_KEY}`);
const clients = ["acme", "globex"] as const;
let tick = 0;
const timer = setInterval(() => {
  tick++;
  const model = tick % 3 === 0 ? "fast" : "smart";
  void running.chat(model, clients[tick % 2] ?? "acme", tick % 4 === 0);
  if (tick === 40) running.primary.setDefaultFor("openai.chat", { error: { kind: "server" } });
  if (tick === 70) running.primary.setDefaultFor("openai.chat", undefined);
}, 400);
process.once("SIGINT", () => {
  clearInterval(timer);
  void running.close().then(() => process.exit(0));
});
