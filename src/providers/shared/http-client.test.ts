import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { rejectionOf } from "../../../test/support/rejection-of.js";
import { AttemptContext } from "../../engine/attempt-context.js";
import { isProviderError } from "../../errors/provider-error.js";
import { cancellationOf, signalCancellation } from "./cancellation-of.js";
import { createHttpClient, type HttpClient, type HttpClientOptions } from "./http-client.js";

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

const servers: Server[] = [];
const clients: HttpClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function startServer(handler: Handler): Promise<string> {
  const server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => handler(request, response, body));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function client(baseUrl: string, options: Partial<HttpClientOptions> = {}): HttpClient {
  const created = createHttpClient({
    providerName: "test-provider",
    baseUrl,
    headers: { authorization: "Bearer secret-key" },
    ...options,
  });
  clients.push(created);
  return created;
}

const cancellation = () => signalCancellation(new AbortController().signal);

describe("createHttpClient", () => {
  it("sends headers and a JSON body to base URL + path and reads the response", async () => {
    const seen: { url?: string; auth?: string; type?: string; extra?: string; body?: string } = {};
    const baseUrl = await startServer((request, response, body) => {
      Object.assign(seen, {
        url: request.url,
        auth: request.headers.authorization,
        type: request.headers["content-type"],
        extra: request.headers["x-extra"],
        body,
      });
      response.setHeader("X-Request-Id", "abc");
      response.setHeader("Set-Cookie", ["a=1", "b=2"]);
      response.end('{"ok":true}');
    });
    const http = client(`${baseUrl}/v1/`);
    const response = await http.request({
      method: "POST",
      path: "/chat?x=1",
      body: { hello: "world" },
      headers: { "x-extra": "yes" },
      cancellation: cancellation(),
    });
    expect(response.status).toBe(200);
    expect(response.headers["x-request-id"]).toBe("abc");
    expect(response.headers["set-cookie"]).toBe("a=1, b=2");
    expect(await response.json()).toEqual({ ok: true });
    expect(seen).toEqual({
      url: "/v1/chat?x=1",
      auth: "Bearer secret-key",
      type: "application/json",
      extra: "yes",
      body: '{"hello":"world"}',
    });
  });

  it("reuses a keep-alive connection", async () => {
    const ports = new Set<number>();
    const baseUrl = await startServer((request, response) => {
      ports.add(request.socket.remotePort ?? -1);
      response.end("ok");
    });
    const http = client(baseUrl);
    for (let index = 0; index < 3; index++) {
      await (await http.request({ method: "GET", path: "/", cancellation: cancellation() })).text();
      // undici returns the socket to the pool just after the body ends.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(ports.size).toBe(1);
  });

  it("throws transient on malformed JSON", async () => {
    const baseUrl = await startServer((_request, response) => response.end("{not json"));
    const response = await client(baseUrl).request({
      method: "GET",
      path: "/",
      cancellation: cancellation(),
    });
    const error = await rejectionOf(response.json(), isProviderError);
    expect(error.kind).toBe("transient");
    expect(error.provider).toBe("test-provider");
  });

  it("bounds an error body by maxResponseBytes and rejects a bad limit", async () => {
    const baseUrl = await startServer((_request, response) => {
      response.writeHead(500, { "content-type": "text/plain" });
      response.end("e".repeat(5000));
    });
    const response = await client(baseUrl, { maxResponseBytes: 1000 }).request({
      method: "GET",
      path: "/",
      cancellation: cancellation(),
    });
    const error = await rejectionOf(response.text(), isProviderError);
    expect(error).toMatchObject({
      kind: "transient",
      status: 500,
      vendorCode: "response_too_large",
    });
    expect(() => client(baseUrl, { maxResponseBytes: 0 })).toThrow(
      "test-provider: maxResponseBytes must be an integer >= 1 (got 0)",
    );
  });

  it("returns a 3xx as is, without following it", async () => {
    let hits = 0;
    const baseUrl = await startServer((_request, response) => {
      hits += 1;
      response.statusCode = 302;
      response.setHeader("location", "/elsewhere");
      response.end();
    });
    const response = await client(baseUrl).request({
      method: "GET",
      path: "/",
      cancellation: cancellation(),
    });
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe("/elsewhere");
    expect(hits).toBe(1);
  });

  it("maps connection refused to transient, without leaking the key", async () => {
    const baseUrl = await startServer(() => {});
    const server = servers.pop();
    await new Promise((resolve) => server?.close(resolve));
    const error = await rejectionOf(
      client(baseUrl).request({ method: "GET", path: "/", cancellation: cancellation() }),
      isProviderError,
    );
    expect(error.kind).toBe("transient");
    expect(error.vendorCode).toBe("ECONNREFUSED");
    expect(error.message).toContain("test-provider");
    expect(error.message).not.toContain("secret-key");
  });

  it("maps a connection reset before headers to transient", async () => {
    const baseUrl = await startServer((request) => request.socket.destroy());
    const error = await rejectionOf(
      client(baseUrl).request({ method: "GET", path: "/", cancellation: cancellation() }),
      isProviderError,
    );
    expect(error.kind).toBe("transient");
  });

  it("maps slow headers to timeout", async () => {
    const baseUrl = await startServer((_request, response) => {
      setTimeout(() => response.end("late"), 200);
    });
    const error = await rejectionOf(
      client(baseUrl, { firstByteTimeoutMs: 50 }).request({
        method: "GET",
        path: "/",
        cancellation: cancellation(),
      }),
      isProviderError,
    );
    expect(error.kind).toBe("timeout");
    expect(error.message).toContain("50 ms");
  });

  it("maps a stall mid-body to timeout while iterating", async () => {
    const baseUrl = await startServer((_request, response) => {
      response.write("data: first\n\n");
      setTimeout(() => response.end(), 200);
    });
    const response = await client(baseUrl, { idleTimeoutMs: 60 }).request({
      method: "GET",
      path: "/",
      cancellation: cancellation(),
    });
    const chunks: string[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const chunk of response.body) chunks.push(new TextDecoder().decode(chunk));
      })(),
      isProviderError,
    );
    expect(chunks.join("")).toBe("data: first\n\n");
    expect(error.kind).toBe("timeout");
    expect(error.message).toContain("60 ms");
  });

  it("maps a reset mid-body to transient", async () => {
    const baseUrl = await startServer((_request, response) => {
      response.write("partial");
      setTimeout(() => response.socket?.destroy(), 20);
    });
    const response = await client(baseUrl).request({
      method: "GET",
      path: "/",
      cancellation: cancellation(),
    });
    const error = await rejectionOf(response.text(), isProviderError);
    expect(error.kind).toBe("transient");
  });

  it("rethrows signal.reason when aborted before headers", async () => {
    let closed = false;
    const baseUrl = await startServer((request) => {
      request.socket.on("close", () => {
        closed = true;
      });
    });
    const controller = new AbortController();
    const reason = new Error("caller gave up");
    const pending = client(baseUrl).request({
      method: "GET",
      path: "/",
      cancellation: signalCancellation(controller.signal),
    });
    setTimeout(() => controller.abort(reason), 30);
    await expect(pending).rejects.toBe(reason);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(true); // the abort reached the socket
  });

  it("is cancelled through the engine's context without building its AbortSignal", async () => {
    const baseUrl = await startServer((_request, response) => response.write("chunk"));
    const context = new AttemptContext("t", 1);
    const signalRead = vi.spyOn(context, "signal", "get");
    const reason = new Error("attempt timed out");
    const response = await client(baseUrl).request({
      method: "GET",
      path: "/",
      cancellation: cancellationOf(context),
    });
    const reading = (async () => {
      for await (const _chunk of response.body) context.abort(reason);
    })();
    await expect(reading).rejects.toBe(reason);
    expect(signalRead).not.toHaveBeenCalled();
  });

  it("rethrows signal.reason when aborted mid-body", async () => {
    const baseUrl = await startServer((_request, response) => response.write("chunk"));
    const controller = new AbortController();
    const reason = new Error("hedge lost");
    const response = await client(baseUrl).request({
      method: "GET",
      path: "/",
      cancellation: signalCancellation(controller.signal),
    });
    const reading = (async () => {
      for await (const _chunk of response.body) controller.abort(reason);
    })();
    await expect(reading).rejects.toBe(reason);
  });

  it("rethrows signal.reason when already aborted", async () => {
    const controller = new AbortController();
    const reason = new Error("already");
    controller.abort(reason);
    const pending = client("http://127.0.0.1:9").request({
      method: "GET",
      path: "/",
      cancellation: signalCancellation(controller.signal),
    });
    await expect(pending).rejects.toBe(reason);
  });

  it("frees the connection when the reader stops early", async () => {
    const baseUrl = await startServer((request, response) => {
      if (request.url === "/stream") response.write("endless");
      else response.end("second");
    });
    const http = client(baseUrl, { maxConnections: 1 });
    const first = await http.request({
      method: "GET",
      path: "/stream",
      cancellation: cancellation(),
    });
    for await (const _chunk of first.body) break;
    const second = await http.request({
      method: "GET",
      path: "/next",
      cancellation: cancellation(),
    });
    expect(await second.text()).toBe("second");
  });
});
