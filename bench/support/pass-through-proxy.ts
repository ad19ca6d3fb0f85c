import { createServer, type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { pipeline } from "node:stream/promises";
import { Pool } from "undici";

export interface PassThroughProxyOptions {
  /** Where every request goes, e.g. `http://127.0.0.1:4000` (its path is ignored). */
  upstreamUrl: string;
  host?: string;
  /** 0 picks a free port. Default 0. */
  port?: number;
  /** Keep-alive connections to the upstream. Default 128. */
  connections?: number;
}

export interface PassThroughProxy {
  readonly url: string;
  close(): Promise<void>;
}

/** Hop-by-hop headers: they describe one connection and are never forwarded. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "host",
]);

/**
 * The practical floor for a proxy written in Node: a node:http server that forwards each request,
 * body streamed both ways, to one upstream over an undici keep-alive pool, and does nothing else
 * (no parsing, no routing, no logging). What a gateway costs is measured against this.
 */
export async function startPassThroughProxy(
  options: PassThroughProxyOptions,
): Promise<PassThroughProxy> {
  const pool = new Pool(new URL(options.upstreamUrl).origin, {
    connections: options.connections ?? 128,
  });
  const server = createServer((request, response) => {
    const method = request.method ?? "GET";
    const hasBody = method !== "GET" && method !== "HEAD";
    pool
      .request({
        path: request.url ?? "/",
        method: method as "GET",
        headers: forwardable(request.headers),
        body: hasBody ? request : null,
      })
      .then(async (upstream) => {
        response.writeHead(
          upstream.statusCode,
          forwardable(upstream.headers) as OutgoingHttpHeaders,
        );
        await pipeline(upstream.body, response);
      })
      .catch((error: unknown) => {
        if (response.headersSent) {
          response.destroy();
          return;
        }
        const message = error instanceof Error ? error.message : String(error);
        response.writeHead(502, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: { message: `proxy: ${message}` } }));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: options.host ?? "127.0.0.1", port: options.port ?? 0 }, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await pool.close();
    },
  };
}

function forwardable(
  headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = value;
  }
  return kept;
}
