import { createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import type { EventSource } from "./exchange.js";
import { NodeExchange } from "./node-exchange.js";

/** Runs `handle` on the server side of one request; resolves with what it resolves with. */
async function onServer<T>(
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<T>,
): Promise<T> {
  let result: Promise<T> | undefined;
  const server = createServer((incoming, response) => {
    result = handle(incoming, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const client = request({ host: "127.0.0.1", port, method: "POST", path: "/" });
  client.on("error", () => undefined);
  client.end("{}");
  try {
    while (!result) await new Promise((resolve) => setImmediate(resolve));
    return await result;
  } finally {
    client.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe("NodeExchange.sendStream", () => {
  it("closes the event source, running its finally, when the client left before the stream began", async () => {
    const steps = await onServer(async (incoming, response) => {
      const steps: string[] = [];
      async function* events(): EventSource {
        try {
          steps.push("started");
          yield "data: one\n\n";
          steps.push("resumed");
          yield "data: two\n\n";
        } finally {
          steps.push("finally");
        }
      }
      response.destroy();
      new NodeExchange(incoming, response).sendStream({}, events());
      while (!steps.includes("finally")) await new Promise((resolve) => setImmediate(resolve));
      return steps;
    });
    expect(steps).toEqual(["started", "finally"]);
  });

  it("aborts its signal when the client goes away before the answer is complete", async () => {
    const reason = await onServer(async (incoming, response) => {
      const exchange = new NodeExchange(incoming, response);
      const signal = exchange.signal;
      response.destroy();
      while (!signal.aborted) await new Promise((resolve) => setImmediate(resolve));
      return signal.reason as Error;
    });
    expect(reason.name).toBe("AbortError");
  });
});
