import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type MockProviderServer, startMockProviderServer } from "./index.js";

let mock: MockProviderServer;

beforeAll(async () => {
  mock = await startMockProviderServer();
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => {
  mock.reset();
});

async function chat(body: Record<string, unknown> = {}): Promise<Response> {
  return fetch(`${mock.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-test", messages: [], ...body }),
  });
}

async function chatText(body: Record<string, unknown> = {}): Promise<string> {
  const json = (await (await chat(body)).json()) as {
    choices: { message: { content: string } }[];
  };
  return json.choices[0]?.message.content ?? "";
}

async function anthropicMessage(): Promise<Response> {
  return fetch(`${mock.url}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
    body: JSON.stringify({ model: "claude-test", max_tokens: 10, messages: [] }),
  });
}

describe("startMockProviderServer", () => {
  it("listens on 127.0.0.1 and a free port by default", () => {
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(mock.port).toBeGreaterThan(0);
  });

  it("rejects a bad port and latency with precise messages", async () => {
    await expect(startMockProviderServer({ port: 70000 })).rejects.toThrow(
      "port must be an integer 0..65535 (got 70000)",
    );
    await expect(startMockProviderServer({ latencyMs: -1 })).rejects.toThrow(
      "latencyMs must be >= 0 (got -1)",
    );
  });
});

describe("scripting", () => {
  it("answers a short text reply by default, echoing the model", async () => {
    const response = await chat();
    const json = (await response.json()) as Record<string, unknown>;
    expect(response.status).toBe(200);
    expect(json.model).toBe("gpt-test");
    expect(await chatText()).toBe("Hello from the mock provider.");
  });

  it("uses queued behaviours first in first out, on any route", async () => {
    mock.enqueue(
      { reply: { text: "one" } },
      { error: { status: 500 } },
      { reply: { text: "three" } },
    );
    expect(mock.pending).toBe(3);
    expect(await chatText()).toBe("one");
    expect((await anthropicMessage()).status).toBe(500);
    expect(await chatText()).toBe("three");
    expect(mock.pending).toBe(0);
    expect(await chatText()).toBe("Hello from the mock provider.");
  });

  it("serves a route's own queue before the shared one", async () => {
    mock.enqueue({ reply: { text: "shared" } });
    mock.enqueueFor("anthropic.messages", { error: { kind: "overloaded" } });
    mock.enqueueFor("openai.chat", { reply: { text: "for chat" } });
    expect(await chatText()).toBe("for chat");
    expect((await anthropicMessage()).status).toBe(529);
    expect(await chatText()).toBe("shared");
  });

  it("falls back to the route default, then the server default", async () => {
    mock.setDefault({ reply: { text: "everywhere" } });
    mock.setDefaultFor("openai.chat", { reply: { text: "chat only" } });
    expect(await chatText()).toBe("chat only");
    const message = (await (await anthropicMessage()).json()) as { content: { text: string }[] };
    expect(message.content[0]?.text).toBe("everywhere");
    mock.setDefaultFor("openai.chat", undefined);
    expect(await chatText()).toBe("everywhere");
  });

  it("calls a behaviour function with the recorded request", async () => {
    mock.setDefault((request) => ({
      reply: { text: `you said ${JSON.stringify((request.body as { model: string }).model)}` },
    }));
    expect(await chatText({ model: "echo-me" })).toBe('you said "echo-me"');
  });

  it("answers 500 when a behaviour function returns something invalid", async () => {
    mock.enqueue(() => ({ reply: { text: 42 } }) as never);
    const response = await chat();
    expect(response.status).toBe(500);
    expect(await response.text()).toContain("reply.text must be a string (got 42)");
  });

  it("adds the behaviour's headers to the vendor's", async () => {
    mock.enqueue({
      reply: { text: "x" },
      headers: { "x-custom": "yes", "x-request-id": "req_mine" },
    });
    const response = await chat();
    expect(response.headers.get("x-custom")).toBe("yes");
    expect(response.headers.get("x-request-id")).toBe("req_mine");
  });

  it("answers a body that is not JSON with the vendor's 400", async () => {
    const response = await fetch(`${mock.url}/v1/chat/completions`, {
      method: "POST",
      body: "{not json",
    });
    const json = (await response.json()) as { error: { type: string; message: string } };
    expect(response.status).toBe(400);
    expect(json.error.type).toBe("invalid_request_error");
    expect(mock.requests[0]?.body).toBe("{not json");
  });
});

describe("validation", () => {
  it.each([
    [{}, "needs exactly one of reply, error or fault (got none)"],
    [{ reply: {}, error: { status: 500 } }, "(got reply, error)"],
    [{ error: {} }, "error needs a status or a kind"],
    [{ error: { kind: "teapot" } }, "error.kind must be one of rate_limit"],
    [{ fault: "cut" }, "fault cut needs afterChunks"],
    [{ fault: "explode" }, "fault must be one of reset, cut"],
    [{ reply: {}, chunkDelayMs: -5 }, "chunkDelayMs must be a number >= 0 (got -5)"],
    [{ reply: {}, chunks: 2, chunkSize: 3 }, "takes chunkSize or chunks, not both"],
    [
      { reply: { toolCalls: [{ name: "f", arguments: "{bad" }] } },
      "reply.toolCalls[0].arguments is not valid JSON: {bad",
    ],
    [{ reply: { toolCalls: [{ name: "f", arguments: "[1]" }] } }, "must be a JSON object"],
    [{ reply: {}, contentEncoding: "zip" }, "contentEncoding must be one of gzip, br, deflate"],
    [{ fault: "huge-body" }, "fault huge-body needs bytes"],
    [{ fault: "huge-body", bytes: 0 }, "bytes must be an integer >= 1 (got 0)"],
  ])("rejects %j", (behaviour, message) => {
    expect(() => mock.enqueue(behaviour as never)).toThrow(message);
    expect(mock.pending).toBe(0);
  });

  it("rejects an unknown route", () => {
    expect(() => mock.enqueueFor("openai.images" as never, { reply: {} })).toThrow(
      "unknown route openai.images (known: anthropic.messages",
    );
  });
});

describe("routes and recording", () => {
  it("records route, method, path, url, headers and parsed body", async () => {
    await fetch(`${mock.url}/v1beta/models/gemini-test:streamGenerateContent?alt=sse`, {
      method: "POST",
      headers: { "x-goog-api-key": "k" },
      body: JSON.stringify({ contents: [] }),
    });
    const [request] = mock.requests;
    expect(request).toMatchObject({
      route: "gemini.stream",
      method: "POST",
      path: "/v1beta/models/gemini-test:streamGenerateContent",
      url: "/v1beta/models/gemini-test:streamGenerateContent?alt=sse",
      body: { contents: [] },
    });
    expect(request?.headers["x-goog-api-key"]).toBe("k");
    expect(mock.requestsFor("gemini.stream")).toHaveLength(1);
    expect(mock.requestsFor("openai.chat")).toHaveLength(0);
  });

  it("tells Anthropic's GET /v1/models from OpenAI's by its headers", async () => {
    const openai = (await (await fetch(`${mock.url}/v1/models`)).json()) as { object: string };
    const anthropic = (await (
      await fetch(`${mock.url}/v1/models`, { headers: { "anthropic-version": "2023-06-01" } })
    ).json()) as { has_more: boolean };
    expect(openai.object).toBe("list");
    expect(anthropic.has_more).toBe(false);
    expect(mock.requests.map((request) => request.route)).toEqual([
      "openai.models",
      "anthropic.models",
    ]);
  });

  it("answers unknown paths 404 without using the queue", async () => {
    mock.enqueue({ reply: { text: "kept" } });
    const response = await fetch(`${mock.url}/v1/images/generations`, { method: "POST" });
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("no route for POST /v1/images/generations");
    expect(mock.requests[0]?.route).toBe("unmatched");
    expect(mock.pending).toBe(1);
  });

  it("records nothing when recording is off", async () => {
    const quiet = await startMockProviderServer({ recordRequests: false });
    try {
      await fetch(`${quiet.url}/v1/models`);
      expect(quiet.requests).toHaveLength(0);
      expect(quiet.stats.total).toBe(1);
    } finally {
      await quiet.close();
    }
  });
});

describe("stats, latency, reset and close", () => {
  it("counts requests in flight at once", async () => {
    mock.setDefault({ reply: { text: "slow" }, headersDelayMs: 100 });
    const responses = await Promise.all([chat(), chat(), chat()]);
    await Promise.all(responses.map((response) => response.text()));
    expect(mock.stats).toMatchObject({ total: 3, maxInFlight: 3, byRoute: { "openai.chat": 3 } });
    await expect.poll(() => mock.stats.inFlight).toBe(0);
  });

  it("adds a fixed latency before the status line", async () => {
    mock.setLatency(150);
    const started = performance.now();
    await chat();
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("applies a route's latency only to that route", async () => {
    mock.setLatency(5_000, "anthropic.messages");
    await expect(chat({}).then((response) => response.status)).resolves.toBe(200);
  });

  it("reset forgets queues, defaults, requests and counts", async () => {
    mock.enqueue({ error: { status: 500 } });
    mock.setDefault({ reply: { text: "changed" } });
    await fetch(`${mock.url}/v1/models`);
    mock.reset();
    expect(mock.pending).toBe(0);
    expect(mock.requests).toHaveLength(0);
    expect(mock.stats.total).toBe(0);
    expect(await chatText()).toBe("Hello from the mock provider.");
  });

  it("close ends never-ending streams and pending delays", async () => {
    const server = await startMockProviderServer();
    server.enqueue({ fault: "never-end" }, { reply: {}, headersDelayMs: 60_000 });
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ model: "m", stream: true }),
    });
    expect(response.status).toBe(200);
    const delayed = fetch(`${server.url}/v1/chat/completions`, { method: "POST", body: "{}" }).then(
      () => "answered",
      () => "failed",
    );
    await expect.poll(() => server.stats.inFlight).toBe(2);
    await server.close();
    await expect(response.text()).rejects.toThrow();
    expect(await delayed).toBe("failed");
    await expect(fetch(`${server.url}/v1/models`)).rejects.toThrow();
  });
});
