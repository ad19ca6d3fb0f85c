/**
 * What one client (or one unlucky upstream) sends must not hurt anyone else, nor tell the client
 * more than it should: deep JSON is refused before routing and never opens a circuit, a known path
 * with the wrong method is a 405, echoed input is cut short, upstream addresses stay in the logs,
 * a key resting after a rejection is a 503 with a wait, and a number out of range is named so.
 */
import type Anthropic from "@anthropic-ai/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { reserveClosedPort } from "../../src/testing/index.js";
import {
  callCounts,
  failoverModel,
  harnessPool,
  primaryAndFallback,
  providerConfig,
  rejectionOf,
} from "./harness.js";

const pool = harnessPool();
afterEach(() => pool.closeAll());

const HELLO = { model: "smart", messages: [{ role: "user" as const, content: "Hello" }] };
const HELLO_ANTHROPIC = { ...HELLO, max_tokens: 32 };
/** As deep as the SDKs themselves can send (they walk the params; at 5,000 they overflow first). */
const SDK_LEVELS = 1500;
/** Each level of a schema is two objects deep: as deep as the SDKs' own walk goes. */
const SCHEMA_LEVELS = SDK_LEVELS / 2;

/** `{"a": {"a": ... {}}}`, `levels` deep. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let index = 0; index < levels; index++) value = { a: value };
  return value;
}

/** A JSON schema nesting `levels` objects in `properties`. */
function deepSchema(levels: number): Record<string, unknown> {
  let schema: Record<string, unknown> = { type: "object" };
  for (let index = 0; index < levels; index++) {
    schema = { type: "object", properties: { a: schema } };
  }
  return schema;
}

describe("JSON nested deeper than server.maxJsonDepth", () => {
  it("is a 400 naming the limit on chat and /v1/messages, and the target stays closed and serving", async () => {
    const h = await pool.start(primaryAndFallback({ model: { failureThreshold: 2 } }));
    const openai = h.openai();
    const anthropic = h.anthropic();
    const attempts: Array<() => Promise<unknown>> = [
      () =>
        openai.chat.completions.create({
          ...HELLO,
          metadata: nested(SDK_LEVELS) as unknown as Record<string, string>,
        }),
      () =>
        openai.chat.completions.create({
          ...HELLO,
          tools: [
            { type: "function", function: { name: "f", parameters: deepSchema(SCHEMA_LEVELS) } },
          ],
        }),
      () =>
        anthropic.messages.create({
          ...HELLO_ANTHROPIC,
          metadata: nested(SDK_LEVELS) as unknown as Anthropic.Metadata,
        }),
      () =>
        anthropic.messages.create({
          ...HELLO_ANTHROPIC,
          tools: [
            {
              name: "f",
              input_schema: deepSchema(SCHEMA_LEVELS) as unknown as Anthropic.Tool.InputSchema,
            },
          ],
        }),
      // 5,000 levels, about 10 KB, as a client without an SDK sends it.
      ...["/v1/chat/completions", "/v1/messages"].map((path) => async () => {
        const metadata = `${'{"a":'.repeat(5000)}{}${"}".repeat(5000)}`;
        const body = `{"model":"smart","max_tokens":32,"messages":[],"metadata":${metadata}}`;
        const response = await fetch(`${h.url}${path}`, { method: "POST", body });
        throw { status: response.status, message: await response.text() };
      }),
    ];
    for (let round = 0; round < 2; round++) {
      for (const [index, attempt] of attempts.entries()) {
        const error = (await rejectionOf(attempt())) as { status: number; message: string };
        expect(error.status, `request ${index}`).toBe(400);
        expect(error.message).toContain("server.maxJsonDepth (100 levels)");
      }
    }
    expect(callCounts(h)).toEqual({ primary: 0, fallback: 0 });
    const route = h.gateway.state.router.route("smart");
    expect(Object.values(route?.chat.getStatus() ?? {})).toEqual(["healthy", "healthy"]);
    const served = await openai.chat.completions.create(HELLO);
    expect(served.choices[0]?.message.content).toBeTruthy();
    expect(callCounts(h)).toEqual({ primary: 1, fallback: 0 });
  });

  it("a body within the limit goes through", async () => {
    const h = await pool.start(primaryAndFallback());
    const served = await h.openai().chat.completions.create({
      ...HELLO,
      metadata: nested(90) as unknown as Record<string, string>,
    });
    expect(served.choices[0]?.message.content).toBeTruthy();
  });
});

describe("smaller hardening", () => {
  it("a known path with another method is a 405 with allow", async () => {
    const h = await pool.start(primaryAndFallback());
    const chat = await fetch(`${h.url}/v1/chat/completions`);
    expect(chat.status).toBe(405);
    expect(chat.headers.get("allow")).toBe("POST");
    expect(await chat.json()).toMatchObject({ error: { code: "method_not_allowed" } });
    const models = await fetch(`${h.url}/v1/models`, { method: "DELETE" });
    expect(models.status).toBe(405);
    expect(models.headers.get("allow")).toBe("GET, HEAD");
    const messages = await fetch(`${h.url}/v1/messages`, { method: "PUT" });
    expect(messages.status).toBe(405);
    expect(await messages.json()).toMatchObject({ type: "error" });
    expect((await fetch(`${h.url}/v1/nothing`)).status).toBe(404);
  });

  it("a 404 for an unknown model echoes only the start of its name", async () => {
    const h = await pool.start(primaryAndFallback());
    const name = `m${"x".repeat(100_000)}`;
    for (const call of [
      () => h.openai().chat.completions.create({ ...HELLO, model: name }),
      () => h.anthropic().messages.create({ ...HELLO_ANTHROPIC, model: name }),
      () => h.openai().embeddings.create({ model: name, input: "hi" }),
    ]) {
      const error = (await rejectionOf(call())) as { status: number; message: string };
      expect(error.status).toBe(404);
      expect(error.message.length).toBeLessThan(400);
    }
    await h.settled();
    for (const response of h.responses) expect(response.body.length).toBeLessThan(1000);
    // Nor does a log line repeat it whole.
    for (const entry of h.logger.entries) expect(JSON.stringify(entry).length).toBeLessThan(1000);
  });

  it("an error body never names an upstream's address; the log line does", async () => {
    const port = await reserveClosedPort();
    const origin = `http://127.0.0.1:${port}`;
    const h = await pool.start({
      mocks: [],
      config: () => ({
        providers: [providerConfig({ name: "down", type: "openai", origin })],
        models: [failoverModel("smart", [["down", "gpt-4o"]])],
      }),
    });
    const error = (await rejectionOf(h.openai().chat.completions.create(HELLO))) as {
      status: number;
    };
    expect(error.status).toBe(502);
    await h.settled();
    const body = h.responses[0]?.body ?? "";
    expect(body).toContain("[upstream]");
    expect(body).not.toContain(`127.0.0.1:${port}`);
    const logged = JSON.stringify(h.logger.entries);
    expect(logged).toContain(`127.0.0.1:${port}`);
  });

  it("a target resting after its key was rejected answers 503 with retry-after, not 502", async () => {
    const h = await pool.start({
      mocks: ["primary"],
      config: (mocks) => ({
        providers: [providerConfig({ name: "primary", type: "openai", origin: mocks.primary.url })],
        models: [failoverModel("smart", [["primary", "gpt-4o"]])],
      }),
    });
    h.mocks.primary.enqueue({ error: { kind: "auth" } });
    const first = (await rejectionOf(h.openai().chat.completions.create(HELLO))) as {
      status: number;
    };
    expect(first.status).toBe(502);
    const resting = (await rejectionOf(h.openai().chat.completions.create(HELLO))) as {
      status: number;
      headers: Headers;
    };
    expect(resting.status).toBe(503);
    const retryAfter = Number(resting.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(callCounts(h)).toEqual({ primary: 1 });
  });

  it("temperature: 1e999 is a 400 saying the number is out of range", async () => {
    const h = await pool.start(primaryAndFallback());
    const response = await fetch(`${h.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"model":"smart","messages":[{"role":"user","content":"hi"}],"temperature":1e999}',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string; param: string } };
    expect(body.error.param).toBe("temperature");
    expect(body.error.message).toContain("out of range");
    expect(body.error.message).not.toContain("got a number");
  });
});
