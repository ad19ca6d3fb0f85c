/**
 * A child process for optional-dependencies.test.ts: serves each config file given as an argument in
 * turn (port 0, no file watching), and after each prints one JSON line with the modules loaded so
 * far: the CommonJS ones (from `require.cache`) and the ES modules (reported by a module hook).
 * Run with `node --import tsx`.
 */
import { createRequire, register } from "node:module";
import { fileURLToPath } from "node:url";
import { MessageChannel } from "node:worker_threads";

const loaded = createRequire(import.meta.url).cache;
const esm = new Set<string>();
const { port1, port2 } = new MessageChannel();
let flushed: (() => void) | undefined;
port1.on("message", (message: { url?: string; flushed?: boolean }) => {
  if (message.url !== undefined) esm.add(fileURLToPath(message.url));
  if (message.flushed) flushed?.();
});
register("./record-loaded-modules-hook.mjs", {
  parentURL: import.meta.url,
  data: { port: port2 },
  transferList: [port2],
});

/** Resolves once every URL the hook posted before now has arrived (one port keeps the order). */
function flush(): Promise<void> {
  return new Promise((resolve) => {
    flushed = resolve;
    port1.postMessage("flush");
  });
}

const { startServe } = await import("../../src/cli/serve-command.js");
for (const config of process.argv.slice(2)) {
  const server = await startServe({ config, port: 0, watch: false, env: {} });
  await server.close();
  await flush();
  const modules = [...new Set([...Object.keys(loaded), ...esm])];
  process.stdout.write(`${JSON.stringify({ config, modules })}\n`);
}
port1.close();
