import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type MockProviderServer, reserveClosedPort, startMockProviderServer } from "./index.js";

// Each fault, seen through a raw fetch client: what arrives, and how the body ends.

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

interface SseEvent {
  event: string | undefined;
  data: unknown;
  raw: string;
}

interface StreamVendor {
  name: string;
  path: string;
  body: Record<string, unknown>;
  /** The text delta an event carries, if any. */
  text(event: SseEvent): string | undefined;
  /** Whether the raw stream holds the vendor's terminal event. */
  terminal(raw: string): boolean;
  /** Checks the in-stream error event for an `overloaded` error. */
  errorEvent(event: SseEvent): void;
}

const VENDORS: StreamVendor[] = [
  {
    name: "openai",
    path: "/v1/chat/completions",
    body: { model: "gpt-test", messages: [], stream: true },
    text: (event) => textAt(event.data, "choices", 0, "delta", "content") || undefined,
    terminal: (raw) => raw.includes("data: [DONE]") && raw.includes('"finish_reason":"stop"'),
    errorEvent(event) {
      expect(event.event).toBeUndefined();
      expect(field(event.data, "error", "type")).toBe("server_error");
    },
  },
  {
    name: "anthropic",
    path: "/v1/messages",
    body: { model: "claude-test", max_tokens: 50, messages: [], stream: true },
    text: (event) =>
      event.event === "content_block_delta" ? textAt(event.data, "delta", "text") : undefined,
    terminal: (raw) => raw.includes("event: message_stop") && raw.includes('"end_turn"'),
    errorEvent(event) {
      expect(event.event).toBe("error");
      expect(event.data).toEqual({
        type: "error",
        error: { type: "overloaded_error", message: "Overloaded" },
      });
    },
  },
  {
    name: "gemini",
    path: "/v1beta/models/gemini-test:streamGenerateContent?alt=sse",
    body: { contents: [{ role: "user", parts: [{ text: "hi" }] }] },
    text: (event) => textAt(event.data, "candidates", 0, "content", "parts", 0, "text"),
    terminal: (raw) => raw.includes('"finishReason":"STOP"'),
    errorEvent(event) {
      expect(field(event.data, "error", "code")).toBe(503);
      expect(field(event.data, "error", "status")).toBe("UNAVAILABLE");
    },
  },
];

const REPLY = { reply: { text: "aaabbbcccddd" }, chunks: 4 } as const;

describe.each(VENDORS)("$name stream faults", (vendor) => {
  const start = (signal?: AbortSignal) => post(vendor.path, vendor.body, signal);
  const texts = (raw: string) =>
    parseSse(raw)
      .map(vendor.text)
      .filter((text): text is string => text !== undefined);

  it("streams a full reply in the requested chunks, terminal events included", async () => {
    mock.enqueue(REPLY);
    const { raw, error } = await readAll(await start());
    expect(error).toBeUndefined();
    expect(texts(raw)).toEqual(["aaa", "bbb", "ccc", "ddd"]);
    expect(vendor.terminal(raw)).toBe(true);
  });

  it("cut: streams n chunks, then the connection dies", async () => {
    mock.enqueue({ ...REPLY, fault: "cut", afterChunks: 2 });
    const response = await start();
    expect(response.status).toBe(200);
    const { raw, error } = await readAll(response);
    expect(texts(raw)).toEqual(["aaa", "bbb"]);
    expect(vendor.terminal(raw)).toBe(false);
    expect(error).toBeInstanceOf(Error);
  });

  it("stall: streams n chunks, then nothing while the connection stays open", async () => {
    mock.enqueue({ ...REPLY, fault: "stall", afterChunks: 1 });
    const controller = new AbortController();
    const response = await start(controller.signal);
    const reader = streamReader(response);
    expect(texts(await reader.until((raw) => texts(raw).length >= 1))).toEqual(["aaa"]);
    expect(await reader.idleFor(150)).toBe(true);
    expect(mock.stats.inFlight).toBe(1);
    controller.abort();
    await expect.poll(() => mock.stats.inFlight).toBe(0);
  });

  it("malformed-json: a data line that is not JSON after n chunks", async () => {
    mock.enqueue({ ...REPLY, fault: "malformed-json", afterChunks: 1 });
    const { raw, error } = await readAll(await start());
    expect(error).toBeUndefined();
    const events = parseSse(raw);
    expect(events.map(vendor.text).filter(Boolean)).toEqual(["aaa"]);
    const last = events.at(-1);
    expect(typeof last?.data).toBe("string");
    expect(() => JSON.parse(String(last?.data))).toThrow(SyntaxError);
  });

  it("no-terminal: every chunk, then a clean end without the terminal events", async () => {
    mock.enqueue({ ...REPLY, fault: "no-terminal" });
    const { raw, error } = await readAll(await start());
    expect(error).toBeUndefined();
    expect(texts(raw)).toEqual(["aaa", "bbb", "ccc", "ddd"]);
    expect(vendor.terminal(raw)).toBe(false);
  });

  it("error-event: a 200 stream carrying the vendor's error event", async () => {
    mock.enqueue({ ...REPLY, fault: "error-event", afterChunks: 1, kind: "overloaded" });
    const response = await start();
    expect(response.status).toBe(200);
    const { raw, error } = await readAll(response);
    expect(error).toBeUndefined();
    expect(texts(raw)).toEqual(["aaa"]);
    const last = parseSse(raw).at(-1);
    expect(last).toBeDefined();
    if (last !== undefined) vendor.errorEvent(last);
  });

  it("never-end: headers, then nothing", async () => {
    mock.enqueue({ fault: "never-end" });
    const controller = new AbortController();
    const response = await start(controller.signal);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    expect(await streamReader(response).idleFor(150)).toBe(true);
    controller.abort();
    await expect.poll(() => mock.stats.inFlight).toBe(0);
  });

  it("cut after 0 chunks: headers only, then the connection dies", async () => {
    mock.enqueue({ ...REPLY, fault: "cut", afterChunks: 0 });
    const response = await start();
    expect(response.status).toBe(200);
    const { raw, error } = await readAll(response);
    expect(raw).toBe("");
    expect(error).toBeInstanceOf(Error);
  });
});

describe("faults on non-streaming requests and at the connection", () => {
  const chat = (signal?: AbortSignal) =>
    post("/v1/chat/completions", { model: "gpt-test", messages: [] }, signal);

  it("reset: the socket is reset before any response byte", async () => {
    mock.enqueue({ fault: "reset" });
    const failure = await chat().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect(field((failure as Error).cause, "code")).toBe("ECONNRESET");
  });

  it("malformed-json: half a JSON body that ends cleanly", async () => {
    mock.enqueue({ fault: "malformed-json" });
    const response = await chat();
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text.startsWith('{"id":"chatcmpl-')).toBe(true);
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });

  it("cut: the body breaks off before its announced length", async () => {
    mock.enqueue({ fault: "cut", afterChunks: 3 });
    const response = await chat();
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it("huge-body: a JSON body of exactly the bytes asked for, gzip-encoded when asked", async () => {
    mock.enqueue(
      { fault: "huge-body", bytes: 300_000 },
      {
        fault: "huge-body",
        bytes: 300_000,
        contentEncoding: "gzip",
      },
    );
    const plain = await chat();
    const text = await plain.text();
    expect(text).toHaveLength(300_000);
    expect(JSON.parse(text)).toHaveProperty("padding");
    const encoded = await chat();
    expect(encoded.headers.get("content-encoding")).toBe("gzip");
    expect(await encoded.text()).toBe(text); // fetch decodes it
  });

  it("endless: the body never ends, and stops when the client goes", async () => {
    mock.enqueue({ fault: "endless" });
    const controller = new AbortController();
    const response = await chat(controller.signal);
    const reader = response.body?.getReader();
    let read = 0;
    while (read < 1024 * 1024) read += (await reader?.read())?.value?.byteLength ?? 0;
    controller.abort();
    await expect.poll(() => mock.stats.inFlight).toBe(0);
  });

  it("error-event: the plain error answer", async () => {
    mock.enqueue({ fault: "error-event", afterChunks: 0, kind: "rate_limit" });
    const response = await chat();
    expect(response.status).toBe(429);
    expect(field(await response.json(), "error", "code")).toBe("rate_limit_exceeded");
  });

  it("headersDelayMs holds back the status line", async () => {
    mock.enqueue({ reply: {}, headersDelayMs: 2_000 });
    const failure = await chat(AbortSignal.timeout(50)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DOMException);
    expect((failure as DOMException).name).toBe("TimeoutError");
  });

  it("firstChunkDelayMs and chunkDelayMs pace a stream", async () => {
    mock.enqueue({ reply: { text: "a b c" }, firstChunkDelayMs: 60, chunkDelayMs: 40 });
    const response = await post("/v1/chat/completions", { model: "m", stream: true });
    const headersAt = performance.now();
    const reader = streamReader(response);
    await reader.until((raw) => raw.includes('"content":"a "'));
    const firstAt = performance.now();
    await reader.until((raw) => raw.includes("[DONE]"));
    const doneAt = performance.now();
    expect(firstAt - headersAt).toBeGreaterThanOrEqual(50);
    // Two more content chunks and the closing part: three waits of 40 ms.
    expect(doneAt - firstAt).toBeGreaterThanOrEqual(110);
  });

  it("reserveClosedPort gives a port that refuses connections", async () => {
    const port = await reserveClosedPort();
    const failure = await fetch(`http://127.0.0.1:${port}/v1/models`).catch((error) => error);
    expect(field((failure as Error).cause, "code")).toBe("ECONNREFUSED");
  });

  it("answers Gemini's streamGenerateContent without alt=sse as one JSON array", async () => {
    mock.enqueue({ reply: { text: "x y" } });
    const response = await post("/v1beta/models/g:streamGenerateContent", { contents: [] });
    const items = (await response.json()) as unknown[];
    expect(
      items.map((item) => field(item, "candidates", 0, "content", "parts", 0, "text")),
    ).toEqual(["x ", "y"]);
    expect(field(items[1], "candidates", 0, "finishReason")).toBe("STOP");
  });
});

async function post(
  path: string,
  body: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(`${mock.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
    body: JSON.stringify(body),
    signal: signal ?? null,
  });
}

/** The whole body as text, and the error that ended it early, if one did. */
async function readAll(response: Response): Promise<{ raw: string; error: unknown }> {
  const reader = streamReader(response);
  try {
    await reader.until(() => false);
    return { raw: reader.raw(), error: undefined };
  } catch (error) {
    return { raw: reader.raw(), error };
  }
}

function streamReader(response: Response) {
  const body = response.body;
  if (body === null) throw new Error("response has no body");
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let raw = "";
  let pending: ReturnType<typeof reader.read> | undefined;
  const next = () => {
    pending ??= reader.read();
    return pending;
  };
  return {
    raw: () => raw,
    /** Reads until `done(raw)` holds or the body ends; returns what was read. */
    async until(done: (raw: string) => boolean): Promise<string> {
      while (!done(raw)) {
        const result = await next();
        pending = undefined;
        if (result.done) break;
        raw += decoder.decode(result.value, { stream: true });
      }
      return raw;
    },
    /** Whether nothing arrives for `ms` milliseconds. */
    async idleFor(ms: number): Promise<boolean> {
      const outcome = await Promise.race([next().then(() => "data"), sleep(ms, "idle")]);
      return outcome === "idle";
    },
  };
}

function parseSse(raw: string): SseEvent[] {
  return raw
    .split(/\r?\n\r?\n/)
    .filter((block) => block.trim().length > 0)
    .map((block) => {
      let event: string | undefined;
      let data = "";
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith("event: ")) event = line.slice(7);
        else if (line.startsWith("data: ")) data += line.slice(6);
      }
      let parsed: unknown = data;
      try {
        parsed = JSON.parse(data);
      } catch {
        // Left as text: the malformed-json fault.
      }
      return { event, data: parsed, raw: block };
    });
}

/** The string at `path`, if there is one. */
function textAt(value: unknown, ...path: (string | number)[]): string | undefined {
  const found = field(value, ...path);
  return typeof found === "string" ? found : undefined;
}

/** `value[path[0]][path[1]]...`, or `undefined` where the path breaks. */
function field(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
