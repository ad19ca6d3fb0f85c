/**
 * Routing a request asks for, through the official SDKs: a fallback list (`models`, or the
 * `x-switchyard-models` header) tried model after model under one trace; provider preferences
 * (`provider.order/only/ignore`, or `x-switchyard-provider-*`) filtering and ordering targets; the
 * gateway-only fields never reaching an upstream, passed through or translated; `provider/model`
 * names and wildcard models, within what the client's key may use.
 */
import type OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { MockProviderServer } from "../../src/testing/index.js";
import {
  failoverModel,
  type Harness,
  providerConfig,
  rejectionOf,
  startHarness,
  TRANSLATED,
  upstreamCalls,
} from "./harness.js";

type Mocks = "oa" | "ob" | "an";
const ADMIN = "admin-key-request-routing";
const MESSAGES = [{ role: "user" as const, content: "Hello there" }];
const FAIL = { error: { status: 503, kind: "server" } } as const;

let h: Harness<Mocks>;

beforeAll(async () => {
  h = await startHarness<Mocks>({
    mocks: ["oa", "ob", "an"],
    config: (mocks) => ({
      server: { adminKey: ADMIN },
      providers: [
        providerConfig({ name: "oa", type: "openai", origin: mocks.oa.url }),
        providerConfig({ name: "ob", type: "openai", origin: mocks.ob.url }),
        providerConfig({ name: "an", type: "anthropic", origin: mocks.an.url }),
        // The Responses API of the oa mock: a Responses client's body passes through to it.
        providerConfig({
          name: "oar",
          type: "openai",
          origin: mocks.oa.url,
          extra: { api: "responses" },
        }),
      ],
      models: [
        failoverModel("smart", [["oa", "gpt-4o"]]),
        failoverModel("cheap", [["an", "claude-haiku-4-5"]]),
        failoverModel("both", [
          ["oa", "gpt-4o-mini"],
          ["ob", "gpt-4o-mini"],
          ["an", "claude-sonnet-4-5"],
        ]),
        failoverModel("gpt-special", [["an", "claude-special"]]),
        failoverModel("via-responses", [["oar", "gpt-5"]]),
        // Precedence among wildcards: most literal characters, then config order.
        failoverModel("gpt-*", [["oa", "gpt-*"]]),
        failoverModel("*-nano", [["ob", "nano-*"]]),
        failoverModel("gpt-4*", [["an", "claude-4*"]]),
        // Loses to `an/<model>` (provider/model goes before wildcards).
        failoverModel("an/*", [["oa", "never-*"]]),
      ],
      clients: [
        { name: "all", key: "sk-client-all" },
        { name: "limited", key: "sk-client-limited", models: ["smart", "an/*", "gpt-*"] },
      ],
    }),
  });
});
afterAll(() => h.close());
beforeEach(() => {
  for (const mock of Object.values(h.mocks)) mock.reset();
});

function client(key = "sk-client-all"): OpenAI {
  return h.openai({ apiKey: key });
}

/** The upstream bodies a mock received, minus health checks. */
function bodies(mock: MockProviderServer): Record<string, unknown>[] {
  return upstreamCalls(mock).map((request) => request.body as Record<string, unknown>);
}

function expectNoGatewayFields(): void {
  for (const mock of Object.values(h.mocks)) {
    for (const body of bodies(mock)) {
      expect(body).not.toHaveProperty("models");
      expect(body).not.toHaveProperty("provider");
    }
  }
}

async function traceOf(requestId: string): Promise<{ provider: string; outcome: string }[]> {
  await h.settled();
  const answer = await fetch(`${h.url}/admin/requests/${requestId}`, {
    headers: { authorization: `Bearer ${ADMIN}` },
  });
  expect(answer.status).toBe(200);
  const detail = (await answer.json()) as {
    request: { attempts: { provider: string; outcome: string }[] };
  };
  return detail.request.attempts.map(({ provider, outcome }) => ({ provider, outcome }));
}

function chatBody(extra: Record<string, unknown>): OpenAI.ChatCompletionCreateParamsNonStreaming {
  return { model: "smart", messages: MESSAGES, ...extra } as never;
}

describe("a fallback list", () => {
  it("moves on to the next model when every target of the first fails, in one trace", async () => {
    h.mocks.oa.enqueue(FAIL);
    h.mocks.an.enqueue({ reply: { text: "from cheap" } });
    const { data, response } = await client()
      .chat.completions.create(chatBody({ models: ["cheap"], provider: { ignore: ["ob"] } }))
      .withResponse();
    expect(data.choices[0]?.message.content).toBe("from cheap");
    expect(response.headers.get("x-switchyard-provider")).toBe("an");
    expect(response.headers.get("x-switchyard-model")).toBe("claude-haiku-4-5");
    expect(response.headers.get("x-switchyard-attempts")).toBe("2");
    expect(await traceOf(response.headers.get("x-request-id") ?? "")).toEqual([
      { provider: "oa", outcome: "failure" },
      { provider: "an", outcome: "success" },
    ]);
    // oa got the client's own body (pass-through), an a translated one: neither the fields.
    expect(bodies(h.mocks.oa)).toHaveLength(1);
    expect(bodies(h.mocks.an)).toHaveLength(1);
    expectNoGatewayFields();
  });

  it("streams from the fallback model, failing over before the first chunk", async () => {
    h.mocks.oa.enqueue(FAIL);
    h.mocks.an.enqueue({ reply: { text: "streamed from cheap" } });
    const stream = await client().chat.completions.create({
      ...chatBody({ models: ["cheap"] }),
      stream: true,
    } as OpenAI.ChatCompletionCreateParamsStreaming);
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("streamed from cheap");
    expectNoGatewayFields();
  });

  it("takes the list from x-switchyard-models, on the Messages API", async () => {
    h.mocks.oa.enqueue(FAIL);
    h.mocks.an.enqueue({ reply: { text: "from the header's fallback" } });
    const message = await h
      .anthropic({ apiKey: "sk-client-all" })
      .messages.create(
        { model: "smart", max_tokens: 32, messages: MESSAGES },
        { headers: { "x-switchyard-models": "cheap" } },
      );
    expect(message.content[0]).toMatchObject({ text: "from the header's fallback" });
    expectNoGatewayFields();
  });

  it("works on the Responses API", async () => {
    h.mocks.oa.enqueue(FAIL);
    h.mocks.an.enqueue({ reply: { text: "responses fallback" } });
    const response = await client().responses.create({
      model: "smart",
      input: "hi",
      models: ["cheap"],
    } as OpenAI.Responses.ResponseCreateParamsNonStreaming);
    expect(response.output_text).toBe("responses fallback");
    expectNoGatewayFields();
  });

  // Needs smart's pass-through: translated, `n: 2` has no target at all.
  it.skipIf(TRANSLATED)(
    "moves on from a model none of whose targets can take the request",
    async () => {
      // `n: 2` has no counterpart on the Messages API: cheap's only target is ineligible.
      h.mocks.oa.enqueue({ reply: { text: "from smart" } });
      const { data, response } = await client()
        .chat.completions.create(chatBody({ model: "cheap", n: 2, models: ["smart"] }))
        .withResponse();
      expect(data.choices[0]?.message.content).toBe("from smart");
      expect(await traceOf(response.headers.get("x-request-id") ?? "")).toEqual([
        { provider: "an", outcome: "skipped" },
        { provider: "oa", outcome: "success" },
      ]);
      expect(upstreamCalls(h.mocks.an)).toHaveLength(0);
      expectNoGatewayFields();
    },
  );

  it.skipIf(TRANSLATED)(
    "keeps the fields from a Responses upstream the body passes through to",
    async () => {
      h.mocks.oa.enqueue(FAIL);
      const response = await client().responses.create({
        model: "smart",
        input: "hi",
        models: ["via-responses"],
        provider: { ignore: ["ob"] },
      } as OpenAI.Responses.ResponseCreateParamsNonStreaming);
      expect(response.status).toBe("completed");
      const passed = h.mocks.oa.requestsFor("openai.responses");
      expect(passed.map((request) => (request.body as { model: string }).model)).toEqual(["gpt-5"]);
      expectNoGatewayFields();
    },
  );

  it("answers the last model's failure with every attempt when all fail", async () => {
    h.mocks.oa.enqueue(FAIL);
    h.mocks.an.enqueue(FAIL);
    const error = (await rejectionOf(
      client().chat.completions.create(chatBody({ models: ["cheap"] })),
    )) as { status: number; message: string };
    expect(error.status).toBe(502);
    expect(error.message).toContain("oa/gpt-4o failed");
    expect(error.message).toContain("an/claude-haiku-4-5 failed");
  });

  it("does not move on for an error that would not fail over (a 400 of the upstream)", async () => {
    h.mocks.oa.enqueue({ error: { status: 400, kind: "invalid_request" } });
    const error = (await rejectionOf(
      client().chat.completions.create(chatBody({ model: "both", models: ["cheap"] })),
    )) as { status: number };
    expect(error.status).toBe(400);
    expect(upstreamCalls(h.mocks.ob)).toHaveLength(0);
    expect(upstreamCalls(h.mocks.an)).toHaveLength(0);
  });

  it("refuses a list naming a model the key may not use, or one that does not exist", async () => {
    const refused = (await rejectionOf(
      client("sk-client-limited").chat.completions.create(chatBody({ models: ["cheap"] })),
    )) as { status: number; message: string };
    expect(refused.status).toBe(403);
    expect(refused.message).toContain("'cheap'");
    const unknown = (await rejectionOf(
      client().chat.completions.create(chatBody({ models: ["nope"] })),
    )) as { status: number; message: string };
    expect(unknown.status).toBe(404);
    expect(unknown.message).toContain("'nope'");
    const malformed = (await rejectionOf(
      client().chat.completions.create(chatBody({ models: "cheap" })),
    )) as { status: number };
    expect(malformed.status).toBe(400);
    expect(callCount()).toBe(0);
  });
});

function callCount(): number {
  return Object.values(h.mocks).reduce((sum, mock) => sum + upstreamCalls(mock).length, 0);
}

describe("provider preferences", () => {
  async function servedBy(
    extra: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<string | null> {
    const { response } = await client()
      .chat.completions.create(chatBody({ model: "both", ...extra }), { headers })
      .withResponse();
    expectNoGatewayFields();
    return response.headers.get("x-switchyard-provider");
  }

  it("keeps only the providers named, drops the ignored ones, and orders them", async () => {
    expect(await servedBy({})).toBe("oa");
    expect(await servedBy({ provider: { only: ["an"] } })).toBe("an");
    expect(await servedBy({ provider: { ignore: ["oa"] } })).toBe("ob");
    expect(await servedBy({ provider: { order: ["an", "ob"] } })).toBe("an");
    expect(upstreamCalls(h.mocks.oa)).toHaveLength(1);
  });

  it("fails over in the order asked for", async () => {
    h.mocks.an.enqueue(FAIL);
    expect(await servedBy({ provider: { order: ["an", "ob"] } })).toBe("ob");
  });

  it("takes them from headers", async () => {
    expect(await servedBy({}, { "x-switchyard-provider-order": "ob, an" })).toBe("ob");
    expect(await servedBy({}, { "x-switchyard-provider-only": "an" })).toBe("an");
    expect(await servedBy({}, { "x-switchyard-provider-ignore": "oa,ob" })).toBe("an");
  });

  it("answers a 400 naming what was excluded when nothing is left", async () => {
    const error = (await rejectionOf(
      client().chat.completions.create(chatBody({ model: "cheap", provider: { only: ["oa"] } })),
    )) as { status: number; message: string };
    expect(error.status).toBe(400);
    expect(error.message).toContain("an/claude-haiku-4-5");
    expect(error.message).toContain("provider.only [oa]");
    expect(callCount()).toBe(0);
  });

  it("refuses unknown providers, unknown keys and a field given twice", async () => {
    const cases: [Record<string, unknown>, Record<string, string>, string][] = [
      [{ provider: { only: ["oai"] } }, {}, "unknown provider 'oai'"],
      [{ provider: { sort: "price" } }, {}, "provider.sort is not supported"],
      [{ provider: { order: ["oa"] } }, { "x-switchyard-provider-order": "oa" }, "not both"],
      [{ models: ["cheap"] }, { "x-switchyard-models": "cheap" }, "not both"],
    ];
    for (const [extra, headers, message] of cases) {
      const error = (await rejectionOf(
        client().chat.completions.create(chatBody(extra), { headers }),
      )) as { status: number; message: string };
      expect(error.status).toBe(400);
      expect(error.message).toContain(message);
    }
    expect(callCount()).toBe(0);
  });
});

// Token counts are forwarded only on the pass-through; translated, they are estimated.
describe.skipIf(TRANSLATED)("token counting", () => {
  it("honours provider preferences, resolves provider/model names and forwards neither field", async () => {
    const count = (body: Record<string, unknown>) =>
      fetch(`${h.url}/v1/messages/count_tokens`, {
        method: "POST",
        headers: { "x-api-key": "sk-client-all", "content-type": "application/json" },
        body: JSON.stringify({ messages: MESSAGES, ...body }),
      });
    const filtered = await count({ model: "both", models: ["smart"], provider: { only: ["an"] } });
    expect(filtered.status).toBe(200);
    expect(filtered.headers.get("x-switchyard-provider")).toBe("an");
    const direct = await count({ model: "an/claude-opus-4-1" });
    expect(direct.headers.get("x-switchyard-model")).toBe("claude-opus-4-1");
    const sent = h.mocks.an.requestsFor("anthropic.count_tokens");
    expect(sent.map((request) => (request.body as { model: string }).model)).toEqual([
      "claude-sonnet-4-5",
      "claude-opus-4-1",
    ]);
    expectNoGatewayFields();
  });
});

describe("provider/model names and wildcard models", () => {
  async function served(
    model: string,
    key?: string,
  ): Promise<{ provider: string | null; upstream: unknown }> {
    for (const mock of Object.values(h.mocks)) mock.reset();
    const { response } = await client(key)
      .chat.completions.create(chatBody({ model }))
      .withResponse();
    const provider = response.headers.get("x-switchyard-provider");
    const mock = h.mocks[provider as Mocks];
    return { provider, upstream: bodies(mock)[0]?.model };
  }

  it("routes provider/model straight to that provider with that upstream model", async () => {
    expect(await served("an/claude-opus-4-1")).toEqual({
      provider: "an",
      upstream: "claude-opus-4-1",
    });
    expect(await served("oa/gpt-4.1")).toEqual({ provider: "oa", upstream: "gpt-4.1" });
  });

  it("lets a key use provider/model names only as its allow-list says", async () => {
    expect((await served("an/claude-opus-4-1", "sk-client-limited")).provider).toBe("an");
    const error = (await rejectionOf(
      client("sk-client-limited").chat.completions.create(chatBody({ model: "oa/gpt-4.1" })),
    )) as { status: number; message: string };
    expect(error.status).toBe(403);
    expect(error.message).toContain("'oa/gpt-4.1'");
    // A refused name gets no route made for it (routes on demand come after the allow-list).
    const router = h.gateway.state.router;
    const kept = router.onDemandRoutes;
    await rejectionOf(
      client("sk-client-limited").chat.completions.create(chatBody({ model: "oa/gpt-never" })),
    );
    expect(router.onDemandRoutes).toBe(kept);
    expect(router.route("oa/gpt-never")).toBeUndefined();
    const unknown = (await rejectionOf(
      client().chat.completions.create(chatBody({ model: "nobody/x" })),
    )) as { status: number };
    expect(unknown.status).toBe(404);
  });

  it("substitutes the wildcard's match and keeps the precedence", async () => {
    // Exact name first, though gpt-* and gpt-4* would match.
    expect(await served("gpt-special")).toEqual({ provider: "an", upstream: "claude-special" });
    // Only gpt-* matches.
    expect(await served("gpt-3.5")).toEqual({ provider: "oa", upstream: "gpt-3.5" });
    // gpt-4* (5 literal characters) beats gpt-* (4).
    expect(await served("gpt-4o")).toEqual({ provider: "an", upstream: "claude-4o" });
    // *-nano and gpt-4* tie at 5: *-nano is first in the config.
    expect(await served("gpt-4.1-nano")).toEqual({ provider: "ob", upstream: "nano-gpt-4.1" });
    // provider/model goes before the wildcard an/*.
    expect(await served("an/claude-x")).toEqual({ provider: "an", upstream: "claude-x" });
    // The allow-list is checked against the name asked for.
    expect((await served("gpt-3.5", "sk-client-limited")).provider).toBe("oa");
  });

  it("lists the names a client can call as they are, not patterns", async () => {
    const list = await client("sk-client-limited").models.list();
    // gpt-special is an exact model the pattern gpt-* admits; the patterns themselves are not listed.
    expect(list.data.map((model) => model.id)).toEqual(["smart", "gpt-special"]);
    const all = (await client().models.list()).data.map((model) => model.id);
    expect(all).toEqual(["smart", "cheap", "both", "gpt-special", "via-responses"]);
  });
});
