/**
 * Requests the gateway refuses itself, as the official SDKs see them: 400, 401, 404 and 413 with
 * the right SDK error class, and no upstream call.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { callCounts, harnessPool, primaryAndFallback, rejectionOf } from "./harness.js";

const pool = harnessPool();
afterEach(() => pool.closeAll());

const HELLO = { model: "smart", messages: [{ role: "user" as const, content: "Hello" }] };
const HELLO_ANTHROPIC = {
  model: "smart",
  max_tokens: 32,
  messages: [{ role: "user" as const, content: "Hello" }],
};

describe("400 bad request", () => {
  it("the OpenAI SDK raises BadRequestError naming the parameter; nothing goes upstream", async () => {
    const h = await pool.start(primaryAndFallback());
    const error = await rejectionOf(
      h.openai().chat.completions.create({ ...HELLO, temperature: "hot" as unknown as number }),
    );
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const apiError = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(apiError.status).toBe(400);
    expect(apiError.message).toContain("temperature");
    expect(apiError.headers?.get("x-should-retry")).toBe("false");
    expect(callCounts(h)).toEqual({ primary: 0, fallback: 0 });
  });

  it("the Anthropic SDK raises BadRequestError for a request without max_tokens", async () => {
    const h = await pool.start(primaryAndFallback());
    const error = await rejectionOf(
      h.anthropic().messages.create({
        model: "smart",
        messages: [{ role: "user", content: "Hi" }],
      } as unknown as Anthropic.MessageCreateParamsNonStreaming),
    );
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as { error: unknown }).error).toMatchObject({
      type: "error",
      error: { type: "invalid_request_error" },
    });
    expect(callCounts(h)).toEqual({ primary: 0, fallback: 0 });
  });

  it("a body that is not JSON is a 400 in the OpenAI shape", async () => {
    const h = await pool.start(primaryAndFallback());
    const response = await h.fetch(`${h.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { type: "invalid_request_error", code: "invalid_json" },
    });
  });
});

describe("401 bad virtual key", () => {
  const clients = [{ name: "app", key: "vk-app-0123456789" }];

  it("the SDKs raise AuthenticationError for a wrong key; the right key is served", async () => {
    const h = await pool.start(primaryAndFallback({ clients }));
    const openaiError = await rejectionOf(
      h.openai({ apiKey: "vk-wrong-0123456789" }).chat.completions.create(HELLO),
    );
    expect(openaiError).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((openaiError as Error).message).not.toContain("vk-wrong-0123456789");
    const anthropicError = await rejectionOf(
      h.anthropic({ apiKey: "vk-wrong-0123456789" }).messages.create(HELLO_ANTHROPIC),
    );
    expect(anthropicError).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(callCounts(h)).toEqual({ primary: 0, fallback: 0 });

    const served = await h.openai({ apiKey: "vk-app-0123456789" }).chat.completions.create(HELLO);
    expect(served.choices[0]?.message.content).toBeTruthy();
    const viaAnthropic = await h
      .anthropic({ apiKey: "vk-app-0123456789" })
      .messages.create(HELLO_ANTHROPIC);
    expect(viaAnthropic.content[0]).toMatchObject({ type: "text" });
  });

  it("a missing key is a 401, on the models list too", async () => {
    const h = await pool.start(primaryAndFallback({ clients }));
    for (const path of ["/v1/models", "/v1/chat/completions"]) {
      const response = await h.fetch(`${h.url}${path}`, {
        method: path === "/v1/models" ? "GET" : "POST",
        headers: { "content-type": "application/json" },
        ...(path === "/v1/models" ? {} : { body: JSON.stringify(HELLO) }),
      });
      expect(response.status).toBe(401);
    }
  });
});

describe("404 unknown model", () => {
  it("both SDKs raise NotFoundError; nothing goes upstream", async () => {
    const h = await pool.start(primaryAndFallback());
    const openaiError = await rejectionOf(
      h.openai().chat.completions.create({ ...HELLO, model: "no-such-model" }),
    );
    expect(openaiError).toBeInstanceOf(OpenAI.NotFoundError);
    expect((openaiError as { error: unknown }).error).toMatchObject({
      code: "model_not_found",
      param: "model",
    });
    const anthropicError = await rejectionOf(
      h.anthropic().messages.create({ ...HELLO_ANTHROPIC, model: "no-such-model" }),
    );
    expect(anthropicError).toBeInstanceOf(Anthropic.NotFoundError);
    const embeddingsError = await rejectionOf(
      h.openai().embeddings.create({ model: "no-such-model", input: "x" }),
    );
    expect(embeddingsError).toBeInstanceOf(OpenAI.NotFoundError);
    expect(callCounts(h)).toEqual({ primary: 0, fallback: 0 });
  });
});

describe("413 body too large", () => {
  it("refuses a body over server.maxBodyBytes, by Content-Length and while reading", async () => {
    const h = await pool.start(primaryAndFallback({ server: { maxBodyBytes: 1024 } }));
    const error = await rejectionOf(
      h.openai().chat.completions.create({
        ...HELLO,
        messages: [{ role: "user", content: "x".repeat(4096) }],
      }),
    );
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(413);
    expect((error as Error).message).toContain("1024");

    const chunk = new TextEncoder().encode(" ".repeat(512));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 8) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const streamed = await h.fetch(`${h.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toMatchObject({
      type: "error",
      error: { type: "request_too_large" },
    });
    expect(callCounts(h)).toEqual({ primary: 0, fallback: 0 });
  });
});
