/**
 * `POST /v1/responses` through the gateway with the official `openai` SDK: served by a Chat
 * Completions target, an Anthropic target and a Responses target (`api: responses`), streamed and
 * not, with stored conversations (`previous_response_id`, retrieve, delete, input items), failover
 * and the streaming commit point.
 */
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { expectValid, expectValidStreamEvent, sseEvents } from "../support/openai-schemas.js";
import { failoverModel, providerConfig, rejectionOf, startHarness } from "./harness.js";

const KEYS = { alice: "sk-sy-alice-key", bob: "sk-sy-bob-key" };

const h = await startHarness<"openai" | "anthropic">({
  mocks: ["openai", "anthropic"],
  config: (mocks) => ({
    providers: [
      providerConfig({ name: "oa", type: "openai", origin: mocks.openai.url }),
      providerConfig({
        name: "oar",
        type: "openai",
        origin: mocks.openai.url,
        // Passed through on both test paths: the Responses requests to it test the pass-through.
        extra: { api: "responses", passThrough: true },
      }),
      providerConfig({ name: "an", type: "anthropic", origin: mocks.anthropic.url }),
    ],
    models: [
      failoverModel("via-chat", [["oa", "gpt-4.1-mini"]]),
      failoverModel("via-anthropic", [["an", "claude-haiku-4-5"]]),
      failoverModel("via-responses", [["oar", "gpt-5"]]),
      failoverModel("failover", [
        ["oa", "gpt-4.1-mini"],
        ["an", "claude-haiku-4-5"],
      ]),
    ],
    clients: [
      { name: "alice", key: KEYS.alice },
      { name: "bob", key: KEYS.bob },
    ],
  }),
});
afterAll(() => h.close());
beforeEach(() => {
  h.mocks.openai.reset();
  h.mocks.anthropic.reset();
});

const alice = () => h.openai({ apiKey: KEYS.alice });
const bob = () => h.openai({ apiKey: KEYS.bob });

const WEATHER_TOOL = {
  type: "function" as const,
  name: "get_weather",
  description: "The weather in a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  strict: false,
};

describe("POST /v1/responses on a Chat Completions target", () => {
  it("answers a response with usage, and sends the instructions and input upstream", async () => {
    h.mocks.openai.enqueue({
      reply: {
        text: "Bonjour.",
        usage: { inputTokens: 12, outputTokens: 3, cachedInputTokens: 4 },
      },
    });
    const response = await alice().responses.create({
      model: "via-chat",
      instructions: "Answer in French.",
      input: "Hello",
      max_output_tokens: 64,
      temperature: 0.2,
      metadata: { ticket: "42" },
    });
    expect(response).toMatchObject({
      object: "response",
      status: "completed",
      model: "gpt-4.1-mini",
      instructions: "Answer in French.",
      max_output_tokens: 64,
      metadata: { ticket: "42" },
      usage: {
        input_tokens: 12,
        output_tokens: 3,
        total_tokens: 15,
        input_tokens_details: { cached_tokens: 4 },
      },
    });
    expect(response.id).toMatch(/^resp_/);
    expect(response.output_text).toBe("Bonjour.");
    const sent = h.mocks.openai.requestsFor("openai.chat")[0]?.body;
    expect(sent).toMatchObject({
      model: "gpt-4.1-mini",
      max_completion_tokens: 64,
      temperature: 0.2,
      messages: [
        { role: "system", content: "Answer in French." },
        { role: "user", content: "Hello" },
      ],
    });
  });

  it("sends fields it does not model on to an OpenAI-format target, in their Chat Completions names", async () => {
    h.mocks.openai.enqueue({ reply: { text: "ok" } });
    await alice().responses.create({
      model: "via-chat",
      input: "Hello",
      service_tier: "flex",
      prompt_cache_key: "tenant-7",
      text: { verbosity: "low" },
      reasoning: { effort: "low" },
    });
    const sent = h.mocks.openai.requestsFor("openai.chat")[0]?.body;
    expect(sent).toMatchObject({
      service_tier: "flex",
      prompt_cache_key: "tenant-7",
      verbosity: "low",
    });
    // The effort is the request's reasoning now; gpt-4.1-mini does not reason, and OpenAI refuses
    // the field there (reasoning models get it: test/gateway/reasoning-translation.test.ts).
    expect(sent).not.toHaveProperty("reasoning_effort");
  });

  it("reports a length finish as incomplete with max_output_tokens", async () => {
    h.mocks.openai.enqueue({ reply: { text: "Once upon", finishReason: "length" } });
    const response = await alice().responses.create({ model: "via-chat", input: "A story" });
    expect(response.status).toBe("incomplete");
    expect(response.incomplete_details).toEqual({ reason: "max_output_tokens" });
  });

  it("continues a conversation with a tool call through previous_response_id", async () => {
    h.mocks.openai.enqueue({
      reply: { toolCalls: [{ id: "call_w1", name: "get_weather", arguments: { city: "Paris" } }] },
    });
    const first = await alice().responses.create({
      model: "via-chat",
      input: "Weather in Paris?",
      tools: [WEATHER_TOOL],
    });
    const call = first.output.find((item) => item.type === "function_call");
    expect(call).toMatchObject({ call_id: "call_w1", name: "get_weather" });
    h.mocks.openai.enqueue({ reply: { text: "It is sunny in Paris." } });
    const second = await alice().responses.create({
      model: "via-chat",
      previous_response_id: first.id,
      input: [{ type: "function_call_output", call_id: "call_w1", output: '{"sky":"clear"}' }],
      tools: [WEATHER_TOOL],
    });
    expect(second.output_text).toBe("It is sunny in Paris.");
    expect(second.previous_response_id).toBe(first.id);
    const sent = h.mocks.openai.requestsFor("openai.chat")[1]?.body as {
      messages: unknown[];
    };
    expect(sent.messages).toEqual([
      { role: "user", content: "Weather in Paris?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "call_w1",
            type: "function",
            function: { name: "get_weather", arguments: '{"city":"Paris"}' },
          },
        ],
      },
      { role: "tool", tool_call_id: "call_w1", content: '{"sky":"clear"}' },
    ]);
  });

  it("retrieves, lists the input items of, and deletes a stored response, for its owner only", async () => {
    h.mocks.openai.enqueue({ reply: { text: "Stored." } });
    const created = await alice().responses.create({ model: "via-chat", input: "Keep this" });
    const read = await alice().responses.retrieve(created.id);
    expect(read).toMatchObject({ id: created.id, status: "completed" });
    expect(read.output_text).toBe("Stored.");
    const items = await alice().responses.inputItems.list(created.id);
    expect(items.data).toHaveLength(1);
    expect(items.data[0]).toMatchObject({ type: "message", role: "user" });

    const stranger = await rejectionOf(bob().responses.retrieve(created.id));
    expect(stranger).toMatchObject({ status: 404 });
    const continued = await rejectionOf(
      bob().responses.create({ model: "via-chat", previous_response_id: created.id, input: "?" }),
    );
    expect(continued).toMatchObject({ status: 404 });

    await alice().responses.delete(created.id);
    expect(await rejectionOf(alice().responses.retrieve(created.id))).toMatchObject({
      status: 404,
    });
  });

  it("stores nothing with store: false", async () => {
    h.mocks.openai.enqueue({ reply: { text: "Forget me." } });
    const created = await alice().responses.create({
      model: "via-chat",
      input: "Do not keep",
      store: false,
    });
    expect(created).toMatchObject({ store: false });
    expect(await rejectionOf(alice().responses.retrieve(created.id))).toMatchObject({
      status: 404,
    });
  });

  it("refuses what a translated target cannot take with a 400 naming the field", async () => {
    const failure = await rejectionOf(
      alice().responses.create({
        model: "via-chat",
        input: "Search the web",
        tools: [{ type: "web_search" }],
      }),
    );
    expect(failure).toMatchObject({ status: 400 });
    expect(String((failure as Error).message)).toContain("tools[0].type");
    expect(h.mocks.openai.requestsFor("openai.chat")).toHaveLength(0);
  });
});

describe("the gateway's Responses answers fit OpenAI's published schemas", () => {
  const post = (body: Record<string, unknown>) =>
    h.fetch(`${h.url}/v1/responses`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEYS.alice}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const REPLY = {
    text: "Checking the weather.",
    toolCalls: [{ id: "call_v", name: "get_weather", arguments: { city: "Rome" } }],
    usage: { inputTokens: 7, cachedInputTokens: 2 },
  };

  it.each(["via-chat", "via-anthropic"])("a whole response from %s", async (model) => {
    h.mocks.openai.enqueue({ reply: REPLY });
    h.mocks.anthropic.enqueue({ reply: REPLY });
    const response = await post({ model, input: "Weather?", tools: [WEATHER_TOOL], user: "u1" });
    expect(response.status).toBe(200);
    expectValid("Response", await response.json());
  });

  it.each(["via-chat", "via-anthropic"])("every stream event from %s", async (model) => {
    h.mocks.openai.enqueue({ reply: REPLY, chunks: 2 });
    h.mocks.anthropic.enqueue({ reply: REPLY, chunks: 2 });
    const response = await post({ model, input: "Weather?", tools: [WEATHER_TOOL], stream: true });
    const events = sseEvents(await response.text());
    expect(events.at(-1)?.event).toBe("response.completed");
    for (const { event, data } of events) {
      const parsed = JSON.parse(data);
      expect(parsed.type).toBe(event);
      expectValidStreamEvent(parsed);
    }
  });
});

describe("POST /v1/responses streamed", () => {
  it("streams the full event sequence from an Anthropic target", async () => {
    h.mocks.anthropic.enqueue({ reply: { text: "Hi there, friend." } });
    const stream = alice().responses.stream({ model: "via-anthropic", input: "Greet me" });
    const events: { type: string; sequence_number: number }[] = [];
    for await (const event of stream) events.push(event);
    const final = await stream.finalResponse();
    expect(final.output_text).toBe("Hi there, friend.");
    const types = events.map((event) => event.type);
    expect(types.slice(0, 4)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
    ]);
    expect(types).toContain("response.output_text.delta");
    expect(types.slice(-4)).toEqual([
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    // Stored before response.completed was sent.
    const read = await alice().responses.retrieve(final.id);
    expect(read.output_text).toBe("Hi there, friend.");
  });

  it("streams function call arguments", async () => {
    h.mocks.openai.enqueue({
      reply: { toolCalls: [{ id: "call_s", name: "get_weather", arguments: { city: "Oslo" } }] },
      chunks: 3,
    });
    const stream = alice().responses.stream({
      model: "via-chat",
      input: "Weather in Oslo?",
      tools: [WEATHER_TOOL],
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    const final = await stream.finalResponse();
    expect(types).toContain("response.function_call_arguments.delta");
    expect(types).toContain("response.function_call_arguments.done");
    expect(final.output[0]).toMatchObject({
      type: "function_call",
      call_id: "call_s",
      arguments: '{"city":"Oslo"}',
    });
  });

  it("ends a stream broken after its first event with response.failed, never response.completed", async () => {
    h.mocks.openai.enqueue({
      reply: { text: "one two three four" },
      fault: "error-event",
      afterChunks: 1,
      kind: "server",
    });
    const response = await h.fetch(`${h.url}/v1/responses`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEYS.alice}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "via-chat", input: "Count", stream: true }),
    });
    const text = await response.text();
    for (const { data } of sseEvents(text)) expectValidStreamEvent(JSON.parse(data));
    expect(text).toContain("event: response.output_text.delta");
    expect(text).toContain("event: error");
    expect(text).toContain("event: response.failed");
    expect(text).not.toContain("response.completed");
  });
});

describe("failover and a Responses upstream", () => {
  it("fails over from a failing target before the first byte", async () => {
    h.mocks.openai.enqueue({ error: { status: 500 } });
    h.mocks.anthropic.enqueue({ reply: { text: "From the backup." } });
    const response = await alice().responses.create({ model: "failover", input: "Hello" });
    expect(response.output_text).toBe("From the backup.");
    expect(response.model).toBe("claude-haiku-4-5");
    const stream = alice().responses.stream({ model: "failover", input: "Hello" });
    h.mocks.openai.enqueue({ error: { status: 503 } });
    h.mocks.anthropic.enqueue({ reply: { text: "Streamed backup." } });
    const final = await stream.finalResponse();
    expect(final.output_text).toBe("Streamed backup.");
  });

  it("passes a Responses body through with store: false to an api: responses target", async () => {
    h.mocks.openai.enqueue({ reply: { text: "Via responses." } });
    const response = await alice().responses.create({
      model: "via-responses",
      input: "Hi",
      reasoning: { effort: "low" },
    });
    expect(response.output_text).toBe("Via responses.");
    const sent = h.mocks.openai.requestsFor("openai.responses")[0]?.body;
    expect(sent).toMatchObject({
      model: "gpt-5",
      store: false,
      reasoning: { effort: "low" },
      input: "Hi",
    });
  });

  it("serves a Chat Completions client from an api: responses target", async () => {
    h.mocks.openai.enqueue({ reply: { text: "Chat via responses." } });
    const completion = await alice().chat.completions.create({
      model: "via-responses",
      messages: [{ role: "user", content: "Hi" }],
    });
    expect(completion.choices[0]?.message.content).toBe("Chat via responses.");
    expect(h.mocks.openai.requestsFor("openai.responses")).toHaveLength(1);
  });
});
