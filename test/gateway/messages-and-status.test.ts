/**
 * The Messages endpoint, driven by the official Anthropic SDK and served by an Anthropic-format
 * upstream (text, tools round trip, `messages.stream()`), and the health, readiness, admin status
 * and unknown-route answers.
 */
import { describe, expect, it } from "vitest";
import { rejectionOf } from "./harness.js";
import { startTwoVendorHarness, TWO_VENDOR_ADMIN_KEY } from "./two-vendor-harness.js";

const h = await startTwoVendorHarness([
  ["gpt", "oa", "gpt-4o-mini"],
  ["claude", "an", "claude-sonnet-4-5"],
  ["embed", "oa", "text-embedding-3-small"],
]);

describe("POST /v1/messages", () => {
  const TOOL = {
    name: "get_weather",
    description: "The weather in a city",
    input_schema: {
      type: "object" as const,
      properties: { city: { type: "string" } },
      required: ["city"],
    },
  };

  it("answers a text message", async () => {
    h.mocks.anthropic.enqueue({
      reply: { text: "Bonjour.", usage: { inputTokens: 7, outputTokens: 2 } },
    });
    const message = await h.anthropic().messages.create({
      model: "claude",
      max_tokens: 64,
      system: "Be brief.",
      messages: [{ role: "user", content: "Say hello in French." }],
    });
    expect(message.type).toBe("message");
    expect(message.role).toBe("assistant");
    expect(message.content).toEqual([{ type: "text", text: "Bonjour." }]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage).toMatchObject({ input_tokens: 7, output_tokens: 2 });
    expect(h.mocks.anthropic.requests[0]?.body).toMatchObject({
      model: "claude-sonnet-4-5",
      max_tokens: 64,
      system: "Be brief.",
    });
  });

  it("round-trips tool_use and tool_result", async () => {
    const client = h.anthropic();
    h.mocks.anthropic.enqueue(
      {
        reply: {
          text: "Let me check.",
          toolCalls: [{ id: "toolu_a1", name: "get_weather", arguments: { city: "Rome" } }],
        },
      },
      { reply: { text: "Rome: 25 degrees." } },
    );
    const first = await client.messages.create({
      model: "claude",
      max_tokens: 128,
      tools: [TOOL],
      messages: [{ role: "user", content: "Weather in Rome?" }],
    });
    expect(first.stop_reason).toBe("tool_use");
    expect(first.content).toEqual([
      { type: "text", text: "Let me check." },
      { type: "tool_use", id: "toolu_a1", name: "get_weather", input: { city: "Rome" } },
    ]);
    const second = await client.messages.create({
      model: "claude",
      max_tokens: 128,
      tools: [TOOL],
      messages: [
        { role: "user", content: "Weather in Rome?" },
        { role: "assistant", content: first.content },
        {
          role: "user",
          content: [{ type: "tool_result", tool_use_id: "toolu_a1", content: "25 C" }],
        },
      ],
    });
    expect(second.content).toEqual([{ type: "text", text: "Rome: 25 degrees." }]);
    const sent = h.mocks.anthropic.requests[1]?.body as { messages: unknown[]; tools: unknown[] };
    expect(sent.tools).toMatchObject([{ name: "get_weather" }]);
    expect(sent.messages[1]).toMatchObject({
      role: "assistant",
      content: expect.arrayContaining([
        expect.objectContaining({ type: "tool_use", id: "toolu_a1", input: { city: "Rome" } }),
      ]),
    });
    expect(sent.messages[2]).toMatchObject({
      role: "user",
      content: [expect.objectContaining({ type: "tool_result", tool_use_id: "toolu_a1" })],
    });
  });

  it("streams text with messages.stream()", async () => {
    h.mocks.anthropic.enqueue({ reply: { text: "Ciao a tutti, amici." } });
    const stream = h.anthropic().messages.stream({
      model: "claude",
      max_tokens: 64,
      messages: [{ role: "user", content: "Greet in Italian." }],
    });
    const deltas: string[] = [];
    stream.on("text", (delta) => deltas.push(delta));
    const final = await stream.finalMessage();
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join("")).toBe("Ciao a tutti, amici.");
    expect(final.content).toEqual([{ type: "text", text: "Ciao a tutti, amici." }]);
    expect(final.stop_reason).toBe("end_turn");
    expect(h.mocks.anthropic.requests[0]?.body).toMatchObject({ stream: true });
  });

  it("streams tool_use input as JSON deltas", async () => {
    h.mocks.anthropic.enqueue({
      reply: { toolCalls: [{ id: "toolu_s1", name: "get_weather", arguments: { city: "Lima" } }] },
      chunkSize: 3,
    });
    const stream = h.anthropic().messages.stream({
      model: "claude",
      max_tokens: 64,
      tools: [TOOL],
      messages: [{ role: "user", content: "Weather in Lima?" }],
    });
    let jsonDeltas = 0;
    stream.on("inputJson", () => jsonDeltas++);
    const final = await stream.finalMessage();
    expect(jsonDeltas).toBeGreaterThan(1);
    expect(final.stop_reason).toBe("tool_use");
    expect(final.content).toContainEqual({
      type: "tool_use",
      id: "toolu_s1",
      name: "get_weather",
      input: { city: "Lima" },
    });
  });
});

describe("health, readiness and admin status", () => {
  it("/healthz is 200 ok", async () => {
    const response = await h.fetch(`${h.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("/readyz is 200 ready", async () => {
    const response = await h.fetch(`${h.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ready", problems: [] });
  });

  it("/admin/status is 401 without the admin key or with a wrong one", async () => {
    const none = await h.fetch(`${h.url}/admin/status`);
    expect(none.status).toBe(401);
    const wrong = await h.fetch(`${h.url}/admin/status`, {
      headers: { authorization: "Bearer not-the-admin-key" },
    });
    expect(wrong.status).toBe(401);
    expect(JSON.stringify(await wrong.json())).not.toContain("models");
  });

  it("/admin/status is 200 with the admin key, as bearer or x-api-key", async () => {
    const keyed: Record<string, string>[] = [
      { authorization: `Bearer ${TWO_VENDOR_ADMIN_KEY}` },
      { "x-api-key": TWO_VENDOR_ADMIN_KEY },
    ];
    for (const headers of keyed) {
      const response = await h.fetch(`${h.url}/admin/status`, { headers });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { models: Array<{ name: string }> };
      expect(body.models.map((model) => model.name).sort()).toEqual(["claude", "embed", "gpt"]);
    }
  });

  it("an unknown route is a 404 in the OpenAI error shape", async () => {
    const error = await rejectionOf(h.openai().get("/no-such-route"));
    expect(error).toMatchObject({ status: 404 });
  });
});
