import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { probeOllama } from "./probe-ollama.js";

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A local server answering every request with `status` and `body` (or never, when `status` is 0). */
async function serveOnce(status: number, body: string): Promise<string> {
  const created = createServer((_request, response) => {
    if (status === 0) return;
    response.writeHead(status, { "content-type": "application/json" }).end(body);
  });
  server = created;
  await new Promise<void>((resolve) => created.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(created.address() as AddressInfo).port}`;
}

describe("probeOllama", () => {
  it("lists the pulled models of a server that answers /api/tags", async () => {
    const baseUrl = await serveOnce(
      200,
      JSON.stringify({ models: [{ name: "llama3.2:latest" }, { name: "bad name" }, { size: 1 }] }),
    );
    expect(await probeOllama({ baseUrl })).toEqual({ models: ["llama3.2:latest"] });
  });

  it("counts a success with an unreadable body as an Ollama with no known models", async () => {
    const baseUrl = await serveOnce(200, "not json");
    expect(await probeOllama({ baseUrl })).toEqual({ models: [] });
  });

  it("finds nothing when the answer is an error", async () => {
    const baseUrl = await serveOnce(404, "{}");
    expect(await probeOllama({ baseUrl })).toBeUndefined();
  });

  it("gives up after timeoutMs when nothing answers", async () => {
    const baseUrl = await serveOnce(0, "");
    expect(await probeOllama({ baseUrl, timeoutMs: 50 })).toBeUndefined();
  });

  it("finds nothing when the connection is refused, and asks /api/tags", async () => {
    const asked: string[] = [];
    const refused: typeof fetch = async (input) => {
      asked.push(String(input));
      throw new TypeError("fetch failed");
    };
    expect(await probeOllama({ fetch: refused })).toBeUndefined();
    expect(asked).toEqual(["http://127.0.0.1:11434/api/tags"]);
  });
});
