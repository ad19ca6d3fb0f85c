import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AttemptContext } from "../../engine/attempt-context.js";
import { signalCancellation } from "./cancellation-of.js";
import { createHttpClient, type HttpClient, type HttpClientOptions } from "./http-client.js";
import { DRAIN_MAX_BYTES } from "./http-exchange.js";

// The dispatcher-level exchange behind createHttpClient: backpressure, header joining, BOMs,
// URL normalisation and cancellation of a request still queued for a connection.

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const servers: Server[] = [];
const clients: HttpClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(handler: Handler): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((request, response) => {
    seen.push(request.url ?? "");
    request.resume();
    request.on("end", () => handler(request, response));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function client(baseUrl: string, options: Partial<HttpClientOptions> = {}): HttpClient {
  const created = createHttpClient({
    providerName: "exchange-test",
    baseUrl,
    headers: {},
    ...options,
  });
  clients.push(created);
  return created;
}

const cancellation = () => signalCancellation(new AbortController().signal);

describe("HttpExchange", () => {
  it("delivers a large body to a slow reader completely and in order (pausing the socket)", async () => {
    const pieceCount = 80;
    const piece = (index: number) => Buffer.alloc(64 * 1024, index % 251);
    const { url } = await serve((_request, response) => {
      response.writeHead(200, { "content-type": "application/octet-stream" });
      let index = 0;
      const writeMore = () => {
        while (index < pieceCount) {
          if (!response.write(piece(index++))) return void response.once("drain", writeMore);
        }
        response.end();
      };
      writeMore();
    });
    const response = await client(url).request({
      method: "GET",
      path: "/big",
      cancellation: cancellation(),
    });
    const received: Buffer[] = [];
    for await (const chunk of response.body) {
      received.push(Buffer.from(chunk));
      if (received.length % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const all = Buffer.concat(received);
    expect(all.length).toBe(pieceCount * 64 * 1024);
    for (let index = 0; index < pieceCount; index++) {
      expect(all[index * 64 * 1024]).toBe(index % 251);
    }
  });

  it("lower-cases header names and joins repeated headers with a comma", async () => {
    const { url } = await serve((_request, response) => {
      response.setHeader("X-Trace", ["a", "b"]);
      response.setHeader("Content-Type", "text/plain");
      response.end("ok");
    });
    const response = await client(url).request({
      method: "GET",
      path: "/",
      cancellation: cancellation(),
    });
    expect(response.headers["x-trace"]).toBe("a, b");
    expect(response.headers["content-type"]).toBe("text/plain");
    expect(await response.text()).toBe("ok");
  });

  it("drops a leading byte order mark, as TextDecoder does", async () => {
    const { url } = await serve((_request, response) => {
      response.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"ok":true}')]));
    });
    const response = await client(url).request({
      method: "GET",
      path: "/",
      cancellation: cancellation(),
    });
    expect(await response.json()).toEqual({ ok: true });
  });

  it("normalises a path that needs it, as new URL would, and sends plain paths as they are", async () => {
    const { url, seen } = await serve((_request, response) => response.end("ok"));
    const http = client(`${url}/base/`);
    for (const path of ["/a b/../c?q=1", "/models/x:generate?alt=sse"]) {
      await (await http.request({ method: "GET", path, cancellation: cancellation() })).text();
    }
    expect(seen).toEqual(["/base/c?q=1", "/base/models/x:generate?alt=sse"]);
  });

  it("cancels a request still queued for a connection: it rejects and is never sent", async () => {
    let release: (() => void) | undefined;
    const { url, seen } = await serve((_request, response) => {
      release = () => response.end("first");
    });
    const http = client(url, { maxConnections: 1 });
    const first = http.request({ method: "GET", path: "/first", cancellation: cancellation() });
    await vi.waitFor(() => expect(seen).toEqual(["/first"]));
    const controller = new AbortController();
    const reason = new Error("no longer needed");
    const second = http.request({
      method: "GET",
      path: "/second",
      cancellation: signalCancellation(controller.signal),
    });
    controller.abort(reason);
    await expect(second).rejects.toBe(reason);
    release?.();
    expect(await (await first).text()).toBe("first");
    const third = http.request({ method: "GET", path: "/third", cancellation: cancellation() });
    await vi.waitFor(() => expect(seen).toEqual(["/first", "/third"]));
    release?.();
    expect((await third).status).toBe(200);
  });

  describe("a reader that stops before the body ends", () => {
    /**
     * A server that counts its connections. Each answer: `[DONE]`, then, once the test lets it go on
     * (`finish`: the reader has stopped by then), `after` more bytes and the end.
     */
    async function sseServer(after: number) {
      /** The client port of each request: the same port is the same connection. */
      const ports: (number | undefined)[] = [];
      const waiting: (() => void)[] = [];
      const served = await serve((request, response) => {
        ports.push(request.socket.remotePort);
        response.writeHead(200, { "content-type": "text/event-stream" });
        response.write("data: [DONE]\n\n");
        waiting.push(() => {
          if (after > 0) response.write(":".repeat(after));
          response.end();
        });
      });
      const finish = () => {
        for (const go of waiting.splice(0)) go();
      };
      return { ...served, ports, finish };
    }

    async function readFirstEvent(http: HttpClient, path: string, abort?: AttemptContext) {
      const response = await http.request({
        method: "GET",
        path,
        cancellation: abort ?? cancellation(),
      });
      for await (const event of response.events()) {
        expect(event.data).toBe("[DONE]");
        if (abort) abort.abort(new Error("caller left"));
        break; // as a stream reader returns at the protocol's end event
      }
    }

    /** Waits until the server has seen `count` requests (each one's handler runs on its own). */
    async function settle(): Promise<void> {
      for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
    }

    it("keeps the connection when the body ends right after (read and dropped)", async () => {
      const { url, seen, ports, finish } = await sseServer(0);
      const http = client(url);
      for (let index = 0; index < 3; index++) {
        await readFirstEvent(http, `/s${index}`);
        finish();
        await settle();
      }
      expect(seen).toEqual(["/s0", "/s1", "/s2"]);
      expect(new Set(ports).size).toBe(1);
    });

    it("closes the connection when more than DRAIN_MAX_BYTES follow", async () => {
      const { url, seen, ports, finish } = await sseServer(DRAIN_MAX_BYTES + 1024);
      const http = client(url);
      for (let index = 0; index < 2; index++) {
        await readFirstEvent(http, `/s${index}`);
        finish();
        await settle();
      }
      expect(seen).toEqual(["/s0", "/s1"]);
      expect(new Set(ports).size).toBe(2);
    });

    it("closes the connection at once when the caller cancelled", async () => {
      const { url, ports, finish } = await sseServer(0);
      const http = client(url);
      await readFirstEvent(http, "/s0", new AttemptContext("t", 1));
      finish();
      await settle();
      await readFirstEvent(http, "/s1");
      finish();
      expect(new Set(ports).size).toBe(2);
    });
  });
});
