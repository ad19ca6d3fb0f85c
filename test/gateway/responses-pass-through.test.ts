/**
 * `POST /v1/responses` passed through to a Responses upstream (`api: responses`), with the official
 * `openai` SDK: the client's body goes out as it came (only `model`, `previous_response_id`, `input`
 * and `store` change), the upstream's answer and events come back as sent, reasoning items with
 * `encrypted_content` survive a second turn, built-in tools reach the Responses target, and failover
 * to a translated target before the first byte still works.
 */
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { sseEvents } from "../support/openai-schemas.js";
import { failoverModel, providerConfig, startHarness } from "./harness.js";

const KEY = "sk-sy-alice-key";
const THINKING = { text: "Weighing the options.", signature: "gAAAAB-opaque-encrypted-reasoning" };

const h = await startHarness<"openai">({
  mocks: ["openai"],
  config: (mocks) => ({
    providers: [
      providerConfig({ name: "oa", type: "openai", origin: mocks.openai.url }),
      providerConfig({
        name: "oar",
        type: "openai",
        origin: mocks.openai.url,
        // Passed through on both test paths: these tests are about the Responses pass-through.
        extra: { api: "responses", passThrough: true },
      }),
    ],
    models: [
      failoverModel("via-responses", [["oar", "gpt-5"]]),
      failoverModel("chat-only", [["oa", "gpt-4.1-mini"]]),
      failoverModel("responses-then-chat", [
        ["oar", "gpt-5"],
        ["oa", "gpt-4.1-mini"],
      ]),
    ],
    clients: [{ name: "alice", key: KEY }],
  }),
});
afterAll(() => h.close());
beforeEach(() => h.mocks.openai.reset());

const alice = () => h.openai({ apiKey: KEY });

function post(body: Record<string, unknown>): Promise<Response> {
  return h.fetch(`${h.url}/v1/responses`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

function lastUpstreamBody(): { raw: string; body: Record<string, unknown> } {
  const sent = h.mocks.openai.requestsFor("openai.responses").at(-1);
  return { raw: sent?.rawBody ?? "", body: sent?.body as Record<string, unknown> };
}

describe("the Responses pass-through", () => {
  it("sends the client's body as it came, with the target's model and store: false", async () => {
    h.mocks.openai.enqueue({ reply: { text: "Found it.", thinking: THINKING } });
    const params = {
      model: "via-responses",
      input: [{ role: "user" as const, content: "Search the news" }],
      tools: [{ type: "web_search" as const }],
      include: ["reasoning.encrypted_content" as const],
      reasoning: { effort: "high" as const, summary: "auto" as const },
      truncation: "auto" as const,
      metadata: { ticket: "7" },
    };
    const response = await alice().responses.create(params);
    expect(response.output_text).toBe("Found it.");
    expect(lastUpstreamBody().raw).toBe(
      JSON.stringify({ ...params, model: "gpt-5", store: false }),
    );
  });

  it("answers with the upstream's response as sent, reasoning tokens included", async () => {
    h.mocks.openai.enqueue({
      reply: { text: "Done.", thinking: THINKING, usage: { inputTokens: 9, outputTokens: 20 } },
    });
    const response = await post({ model: "via-responses", input: "Think", store: true });
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.store).toBe(false); // the upstream's object, as it sent it
    expect(body.output).toMatchObject([
      { type: "reasoning", encrypted_content: THINKING.signature },
      { type: "message", role: "assistant" },
    ]);
    expect(body.usage).toMatchObject({
      output_tokens: 20,
      output_tokens_details: { reasoning_tokens: Math.ceil(THINKING.text.length / 4) },
    });
    const stored = await alice().responses.retrieve(String(body.id));
    expect(stored.output).toEqual(body.output);
  });

  it("relays the upstream's events as sent and stores the response before its last event", async () => {
    h.mocks.openai.enqueue({ reply: { text: "one two three", thinking: THINKING } });
    const response = await post({ model: "via-responses", input: "Count", stream: true });
    const events = sseEvents(await response.text()).map(({ event, data }) => ({
      event,
      data: JSON.parse(data) as {
        type: string;
        sequence_number: number;
        response?: { id: string };
      },
    }));
    expect(events.map(({ data }) => data.sequence_number)).toEqual(events.map((_, index) => index));
    for (const { event, data } of events) expect(event).toBe(data.type);
    expect(events[2]?.data).toMatchObject({ item: { type: "reasoning" } });
    const last = events.at(-1)?.data;
    expect(last?.type).toBe("response.completed");
    const id = events[0]?.data.response?.id ?? "";
    expect(last?.response?.id).toBe(id);
    const stored = await alice().responses.retrieve(id);
    expect(stored.output_text).toBe("one two three");
  });

  it("replays a reasoning item with encrypted_content on the next turn", async () => {
    h.mocks.openai.enqueue({ reply: { text: "First.", thinking: THINKING } });
    const first = await alice().responses.create({ model: "via-responses", input: "One" });
    h.mocks.openai.enqueue({ reply: { text: "Second." } });
    const second = await alice().responses.create({
      model: "via-responses",
      input: "Two",
      previous_response_id: first.id,
    });
    expect(second.output_text).toBe("Second.");
    const { body } = lastUpstreamBody();
    expect(body.previous_response_id).toBeUndefined();
    expect(body.store).toBe(false);
    expect(body.input).toEqual(
      [
        { type: "message", role: "user", content: [{ type: "input_text", text: "One" }] },
        first.output[0],
        { ...first.output[1], id: undefined },
        { role: "user", content: "Two" },
      ].map((item) => JSON.parse(JSON.stringify(item))),
    );
    expect(body.input).toContainEqual(
      expect.objectContaining({ type: "reasoning", encrypted_content: THINKING.signature }),
    );
  });

  it("continues a passed-through turn on a translated target, without its reasoning item", async () => {
    h.mocks.openai.enqueue({ reply: { text: "First.", thinking: THINKING } });
    const first = await alice().responses.create({ model: "via-responses", input: "One" });
    h.mocks.openai.enqueue({ reply: { text: "Second." } });
    const second = await alice().responses.create({
      model: "chat-only",
      input: "Two",
      previous_response_id: first.id,
    });
    expect(second.output_text).toBe("Second.");
    const sent = h.mocks.openai.requestsFor("openai.chat").at(-1)?.body as {
      messages: unknown[];
    };
    expect(sent.messages).toEqual([
      { role: "user", content: "One" },
      { role: "assistant", content: "First." },
      { role: "user", content: "Two" },
    ]);
  });

  it("leaves out a translated target for a built-in tool, and answers 400 when none is left", async () => {
    h.mocks.openai.enqueue({ reply: { text: "Searched." } });
    const response = await alice().responses.create({
      model: "responses-then-chat",
      input: "News?",
      tools: [{ type: "web_search" }],
    });
    expect(response.output_text).toBe("Searched.");
    expect(h.mocks.openai.requestsFor("openai.responses")).toHaveLength(1);
    const refused = await post({
      model: "chat-only",
      input: "News?",
      tools: [{ type: "web_search" }],
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { param: "tools[0].type" } });
    expect(h.mocks.openai.requestsFor("openai.chat")).toHaveLength(0);
  });

  it("fails over from a failing Responses target to a chat target before the first byte", async () => {
    h.mocks.openai.enqueue({ error: { status: 500 } });
    h.mocks.openai.enqueue({ reply: { text: "From chat." } });
    const response = await alice().responses.create({ model: "responses-then-chat", input: "Hi" });
    expect(response.output_text).toBe("From chat.");
    expect(response.id).toMatch(/^resp_/);
    h.mocks.openai.enqueue({ error: { status: 503 } });
    h.mocks.openai.enqueue({ reply: { text: "Streamed from chat." } });
    const final = await alice()
      .responses.stream({ model: "responses-then-chat", input: "Hi" })
      .finalResponse();
    expect(final.output_text).toBe("Streamed from chat.");
    expect(h.mocks.openai.requestsFor("openai.responses")).toHaveLength(2);
    expect(h.mocks.openai.requestsFor("openai.chat")).toHaveLength(2);
  });

  it("ends a relayed stream broken after its first output with the upstream's response failed", async () => {
    h.mocks.openai.enqueue({
      reply: { text: "one two three four" },
      fault: "error-event",
      afterChunks: 1,
      kind: "server",
    });
    const response = await post({ model: "via-responses", input: "Count", stream: true });
    const events = sseEvents(await response.text()).map(
      ({ data }) =>
        JSON.parse(data) as { type: string; sequence_number: number; response?: { id: string } },
    );
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    expect(events.filter((event) => event.type === "response.created")).toHaveLength(1);
    expect(events.at(-2)?.type).toBe("error");
    expect(events.at(-1)).toMatchObject({
      type: "response.failed",
      response: { id: events[0]?.response?.id, status: "failed" },
    });
    expect(events.some((event) => event.type === "response.completed")).toBe(false);
  });
});
