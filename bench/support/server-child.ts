// A benchmark server in its own process, so that its CPU time and memory are its own. Started by
// `startServerProcess` (server-process.ts) with the spec as the first argument; answers the
// parent's `stats` and `close` messages over IPC. Nothing is added to the servers themselves.

import { subscribe } from "node:diagnostics_channel";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ChildMessage,
  epochMs,
  type ParentMessage,
  type ServerSpec,
  type UpstreamCall,
} from "./server-process.js";

interface Running {
  url: string;
  close(): Promise<void>;
}

const upstream: UpstreamCall[] = [];

function send(message: ChildMessage): void {
  process.send?.(message);
}

/** Every upstream request undici creates in this process: its time, origin, path and credential. */
function trackUpstream(): void {
  subscribe("undici:request:create", (message) => {
    const { request } = message as {
      request: { origin?: unknown; path?: unknown; headers?: unknown };
    };
    upstream.push({
      at: epochMs(),
      origin: String(request.origin ?? ""),
      path: String(request.path ?? ""),
      key: credentialOf(request.headers),
    });
  });
}

function credentialOf(headers: unknown): string | undefined {
  if (!Array.isArray(headers)) return undefined;
  for (let index = 0; index + 1 < headers.length; index += 2) {
    const name = String(headers[index]).toLowerCase();
    const value = String(headers[index + 1]);
    if (name === "authorization") return value.replace(/^Bearer\s+/i, "");
    if (name === "x-api-key") return value;
  }
  return undefined;
}

/** Each kind loads only its own modules, so a process's memory is that server's alone. */
async function start(spec: ServerSpec): Promise<Running> {
  switch (spec.kind) {
    case "mock": {
      const { startMockProviderServer } = await import("../../src/testing/index.js");
      const text = Array.from({ length: spec.streamChunks }, (_, index) => `word${index}`).join(
        " ",
      );
      // One fixed behaviour: a stream splits the text by words, so it has `streamChunks` deltas.
      return startMockProviderServer({
        recordRequests: false,
        defaultBehaviour: { reply: { text } },
      });
    }
    case "proxy": {
      const { startPassThroughProxy } = await import("./pass-through-proxy.js");
      return startPassThroughProxy({ upstreamUrl: spec.upstreamUrl });
    }
    case "sequential": {
      const { startSequentialFallback } = await import("./sequential-fallback.js");
      return startSequentialFallback({
        models: spec.models,
        ...(spec.attemptTimeoutMs === undefined ? {} : { attemptTimeoutMs: spec.attemptTimeoutMs }),
      });
    }
    case "switchyard": {
      // As the `switchyard` executable runs it (src/cli/main.ts).
      const { tuneHeap } = await import("../../src/cli/tune-heap.js");
      tuneHeap();
      const { startServe } = await import("../../src/cli/serve-command.js");
      const folder = await mkdtemp(join(tmpdir(), "switchyard-bench-"));
      const file = join(folder, "switchyard.yaml");
      await writeFile(file, spec.configText);
      const running = await startServe({ config: file, watch: false });
      return {
        url: running.url,
        close: async () => {
          await running.close();
          await rm(folder, { recursive: true, force: true });
        },
      };
    }
  }
}

async function main(): Promise<void> {
  const { spec, trackUpstream: track } = JSON.parse(process.argv[2] ?? "{}") as {
    spec: ServerSpec;
    trackUpstream: boolean;
  };
  if (track) trackUpstream();
  let running: Running;
  try {
    running = await start(spec);
  } catch (error) {
    send({ type: "failed", message: error instanceof Error ? error.message : String(error) });
    process.exitCode = 1;
    process.disconnect?.();
    return;
  }
  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    await running.close().catch(() => undefined);
    process.exit(0);
  };
  process.on("message", (message: ParentMessage) => {
    if (message.type === "close") {
      void close();
      return;
    }
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    send({
      type: "stats",
      id: message.id,
      cpuUserUs: cpu.user,
      cpuSystemUs: cpu.system,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      heapTotalBytes: memory.heapTotal,
      externalBytes: memory.external,
      upstream: upstream.splice(0),
    });
  });
  process.on("disconnect", () => void close());
  send({ type: "ready", url: running.url });
}

await main();
