/**
 * A child process for optional-dependencies.test.ts: serves each config file given as an argument in
 * turn (port 0, no file watching), and after each prints one JSON line with the CommonJS modules
 * loaded so far. Run with `node --import tsx`.
 */
import { createRequire } from "node:module";
import { startServe } from "../../src/cli/serve-command.js";

const loaded = createRequire(import.meta.url).cache;

for (const config of process.argv.slice(2)) {
  const server = await startServe({ config, port: 0, watch: false, env: {} });
  await server.close();
  process.stdout.write(`${JSON.stringify({ config, modules: Object.keys(loaded) })}\n`);
}
