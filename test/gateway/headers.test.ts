/**
 * Response headers: a request id on every response (an inbound one kept), and the routing headers
 * that say which provider and model served a call after how many attempts.
 */
import { afterEach, describe, expect, it } from "vitest";
import { harnessPool, primaryAndFallback, rejectionOf } from "./harness.js";

const pool = harnessPool();
afterEach(() => pool.closeAll());

const HELLO = { model: "smart", messages: [{ role: "user" as const, content: "Hello" }] };
const HELLO_ANTHROPIC = {
  model: "smart",
  max_tokens: 32,
  messages: [{ role: "user" as const, content: "Hello" }],
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("request ids", () => {
  it("every response carries x-request-id and request-id, the same fresh id", async () => {
    const h = await pool.start(
      primaryAndFallback({
        server: { adminKey: "admin-key-headers-test" },
        clients: [{ name: "app", key: "vk-headers-test-0001" }],
      }),
    );
    const key = { apiKey: "vk-headers-test-0001" };
    await h.openai(key).chat.completions.create(HELLO);
    const stream = await h.openai(key).chat.completions.create({ ...HELLO, stream: true });
    for await (const _ of stream) {
      // drain
    }
    await h.openai(key).embeddings.create({ model: "smart", input: "x" });
    for await (const _ of h.openai(key).models.list()) {
      // drain
    }
    await h.anthropic(key).messages.create(HELLO_ANTHROPIC);
    await h.anthropic(key).messages.stream(HELLO_ANTHROPIC).finalMessage();
    await rejectionOf(h.openai(key).chat.completions.create({ ...HELLO, model: "nope" }));
    await rejectionOf(h.openai({ apiKey: "vk-wrong" }).chat.completions.create(HELLO));
    await rejectionOf(h.anthropic(key).messages.create({ ...HELLO_ANTHROPIC, max_tokens: -1 }));
    h.mocks.primary.enqueue({ error: { status: 500 } });
    h.mocks.fallback.enqueue({ error: { status: 500 } });
    await rejectionOf(h.openai(key).chat.completions.create(HELLO));
    for (const path of ["/healthz", "/readyz", "/admin/status", "/v1/nowhere"]) {
      await (await h.fetch(`${h.url}${path}`)).text();
    }
    await (
      await h.fetch(`${h.url}/admin/status`, {
        headers: { authorization: "Bearer admin-key-headers-test" },
      })
    ).text();
    await h.settled();

    const statuses = h.responses.map((response) => response.status).sort();
    expect(statuses).toEqual(expect.arrayContaining([200, 400, 401, 404, 502]));
    expect(h.responses.length).toBeGreaterThanOrEqual(15);
    const ids = new Set<string>();
    for (const response of h.responses) {
      const id = response.headers["x-request-id"];
      expect(id, `${response.method} ${response.url} ${response.status}`).toMatch(UUID);
      expect(response.headers["request-id"]).toBe(id);
      ids.add(id ?? "");
    }
    expect(ids.size).toBe(h.responses.length);
  });

  it("keeps an inbound x-request-id, on success, stream and error, and logs it", async () => {
    const h = await pool.start(primaryAndFallback());
    const client = h.openai();
    const { response } = await client.chat.completions
      .create(HELLO, { headers: { "x-request-id": "trace-abc.123:1" } })
      .withResponse();
    expect(response.headers.get("x-request-id")).toBe("trace-abc.123:1");
    expect(response.headers.get("request-id")).toBe("trace-abc.123:1");

    const { response: streamed } = await client.chat.completions
      .create({ ...HELLO, stream: true }, { headers: { "x-request-id": "trace-stream-2" } })
      .withResponse();
    expect(streamed.headers.get("x-request-id")).toBe("trace-stream-2");

    const error = await rejectionOf(
      client.chat.completions.create(
        { ...HELLO, model: "nope" },
        { headers: { "x-request-id": "trace-error-3" } },
      ),
    );
    expect((error as { headers: Headers }).headers.get("x-request-id")).toBe("trace-error-3");
    expect((error as { requestID?: string }).requestID).toBe("trace-error-3");
    const logged = h.logger.entries.map((entry) => entry.fields.requestId);
    expect(logged).toContain("trace-abc.123:1");
    expect(logged).toContain("trace-error-3");
  });

  it("replaces an inbound x-request-id of unsafe shape with a fresh one", async () => {
    const h = await pool.start(primaryAndFallback());
    for (const bad of ["has spaces in it", "x".repeat(200), "semi;colon", "<script>"]) {
      const response = await h.fetch(`${h.url}/healthz`, { headers: { "x-request-id": bad } });
      expect(response.headers.get("x-request-id")).toMatch(UUID);
    }
  });
});

describe("routing headers", () => {
  it("name the provider, upstream model and attempts of a first-try answer", async () => {
    const h = await pool.start(primaryAndFallback());
    const { response } = await h.openai().chat.completions.create(HELLO).withResponse();
    expect(response.headers.get("x-switchyard-provider")).toBe("primary");
    expect(response.headers.get("x-switchyard-model")).toBe("gpt-4o");
    expect(response.headers.get("x-switchyard-attempts")).toBe("1");
  });

  it("name the fallback after a failover, for plain and streamed calls of both SDKs", async () => {
    const h = await pool.start(primaryAndFallback());
    h.mocks.primary.setDefault({ error: { status: 503 } });
    const expected = {
      "x-switchyard-provider": "fallback",
      "x-switchyard-model": "claude-sonnet-4-5",
      "x-switchyard-attempts": "2",
    };
    const plain = await h.openai().chat.completions.create(HELLO).withResponse();
    const streamed = await h
      .openai()
      .chat.completions.create({ ...HELLO, stream: true })
      .withResponse();
    for await (const _ of streamed.data) {
      // drain
    }
    const message = await h.anthropic().messages.create(HELLO_ANTHROPIC).withResponse();
    const messageStream = h.anthropic().messages.stream(HELLO_ANTHROPIC);
    const { response: streamResponse } = await messageStream.withResponse();
    await messageStream.finalMessage();
    for (const response of [plain.response, streamed.response, message.response, streamResponse]) {
      for (const [name, value] of Object.entries(expected)) {
        expect(response.headers.get(name), name).toBe(value);
      }
    }
    expect(plain.data.model).toBe("claude-sonnet-4-5");
    expect(message.data.model).toBe("claude-sonnet-4-5");
  });
});
