/**
 * The hot routes run on two transports: straight off Node's socket (`NodeExchange`, what `listen()`
 * serves) and through the Hono app (`WebExchange`, `app.request()` or another server mounting the
 * app). Both must answer alike.
 */
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/index.js";
import { Gateway } from "../../src/gateway/gateway.js";
import { type MockProviderServer, startMockProviderServer } from "../../src/testing/index.js";

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

let mock: MockProviderServer;
let gateway: Gateway;
let url: string;

beforeAll(async () => {
  mock = await startMockProviderServer({ defaultBehaviour: { reply: { text: "one two three" } } });
  const config = {
    server: { maxBodyBytes: 4096 },
    providers: [
      { name: "up", type: "openai", baseUrl: `${mock.url}/v1`, keys: [{ key: "sk-up" }] },
    ],
    models: [{ name: "m", targets: [{ provider: "up", model: "gpt-x" }] }],
  };
  gateway = new Gateway(parseConfigText(JSON.stringify(config), { env: {} }), { logger: quiet });
  url = await gateway.listen({ host: "127.0.0.1", port: 0 });
});

afterAll(async () => {
  await gateway?.close(0);
  await mock?.close();
});

const chatBody = (stream: boolean) =>
  JSON.stringify({ model: "m", stream, messages: [{ role: "user", content: "hi" }] });

const init = (body: string, requestId = "req-transport-1"): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", "x-request-id": requestId },
  body,
});

/** The same request through the Node server and through the Hono app. */
async function both(path: string, body: string): Promise<[Response, Response]> {
  return [await fetch(`${url}${path}`, init(body)), await gateway.app.request(path, init(body))];
}

describe("the Node server and the Hono app answer alike", () => {
  it("a chat completion: status, routing headers, request id and body", async () => {
    const [direct, viaApp] = await both("/v1/chat/completions", chatBody(false));
    for (const response of [direct, viaApp]) {
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/json");
      expect(response.headers.get("x-request-id")).toBe("req-transport-1");
      expect(response.headers.get("request-id")).toBe("req-transport-1");
      expect(response.headers.get("x-switchyard-provider")).toBe("up");
      const body = (await response.json()) as { choices: { message: { content: string } }[] };
      expect(body.choices[0]?.message.content).toBe("one two three");
    }
  });

  it("a stream: the same events, ending with [DONE]", async () => {
    const [direct, viaApp] = await both("/v1/chat/completions", chatBody(true));
    const texts: string[] = [];
    for (const response of [direct, viaApp]) {
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
      expect(response.headers.get("x-request-id")).toBe("req-transport-1");
      const text = await response.text();
      expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
      const deltas = text
        .split("\n\n")
        .filter((event) => event.startsWith("data: {"))
        .map(
          (event) => JSON.parse(event.slice(6)) as { choices: { delta: { content?: string } }[] },
        )
        .map((chunk) => chunk.choices[0]?.delta.content ?? "")
        .join("");
      texts.push(deltas);
    }
    expect(texts[0]).toBe("one two three");
    expect(texts[1]).toBe(texts[0]);
  });

  it("an Anthropic request to the OpenAI path is a 400 in the OpenAI format on both", async () => {
    const [direct, viaApp] = await both("/v1/chat/completions", JSON.stringify({ model: "m" }));
    for (const response of [direct, viaApp]) {
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { type: string } };
      expect(body.error.type).toBe("invalid_request_error");
    }
  });

  it("malformed JSON is a 400 naming it on both", async () => {
    const [direct, viaApp] = await both("/v1/embeddings", "{not json");
    for (const response of [direct, viaApp]) {
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string } };
      expect(body.error.code).toBe("invalid_json");
    }
  });

  it("a query string does not change the route", async () => {
    const response = await fetch(`${url}/v1/chat/completions?trace=1`, init(chatBody(false)));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-switchyard-attempts")).toBe("1");
  });
});

describe("bodies over server.maxBodyBytes on the Node server", () => {
  it("a chunked body is counted as it arrives: 413, and the connection is closed", async () => {
    const { status, body, connection } = await new Promise<{
      status: number;
      body: string;
      connection: string | undefined;
    }>((resolve, reject) => {
      const request = httpRequest(`${url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
      });
      request.on("response", (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            body: text,
            connection: response.headers.connection,
          }),
        );
      });
      request.on("error", reject);
      // Four chunks of 2000 bytes: over the 4096-byte limit at the third.
      for (let index = 0; index < 4; index++) request.write("x".repeat(2000));
      request.end();
    });
    expect(status).toBe(413);
    expect(connection).toBe("close");
    expect(JSON.parse(body)).toMatchObject({ error: { code: "request_too_large" } });
  });
});
