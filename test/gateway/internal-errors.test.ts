/**
 * A failure of the gateway's own code, while preparing a request for a target or reading its answer,
 * is kind `internal` (#17): never retried, never counted by the target's breaker or cooldown, the
 * next target tried, and a 500 when none is left. So no client can open a circuit for the others
 * by sending what the gateway fails to handle. Seen through the official OpenAI SDK, on both paths:
 * translated (the adapter maps the request) and pass-through (the client's body goes as it came, and
 * the adapter's readers run over the answer).
 */
import OpenAI from "openai";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ChatStreamPart } from "../../src/llm/stream-part.js";
import type { SseEvent } from "../../src/providers/shared/parse-sse.js";
import type { Harness } from "./harness.js";

type OpenAIApiError = InstanceType<typeof OpenAI.APIError>;

// The setup file (test/support/load-all-adapters.ts) loaded the adapters before the mocks below were
// registered: the gateway is imported afresh, so it and its adapters see the mocked modules.
vi.resetModules();
await import("../support/load-all-adapters.js");
const { callCounts, harnessPool, primaryAndFallback, providerConfig, rejectionOf } = await import(
  "./harness.js"
);

// The mapping stage, on its own: the OpenAI adapter's request mapper throws (as a bug in it would)
// for a message that names the marker, whatever the body's depth. Everything else is the real code.
vi.mock("../../src/providers/openai/map-request.js", async (importOriginal) => {
  const original =
    await importOriginal<typeof import("../../src/providers/openai/map-request.js")>();
  return {
    ...original,
    mapChatRequest: (...args: Parameters<typeof original.mapChatRequest>) => {
      if (JSON.stringify(args[0].messages).includes("break the mapper")) {
        throw new TypeError("Cannot read properties of undefined (reading 'parts')");
      }
      return original.mapChatRequest(...args);
    },
  };
});

// The reading stage, on its own: the OpenAI adapter's answer readers throw (as a bug in them would)
// for an answer that carries the marker, plain or streamed, before the stream's first output.
vi.mock("../../src/providers/openai/map-response.js", async (importOriginal) => {
  const original =
    await importOriginal<typeof import("../../src/providers/openai/map-response.js")>();
  return {
    ...original,
    mapChatResponse: (...args: Parameters<typeof original.mapChatResponse>) => {
      if (JSON.stringify(args[0]).includes("break the reader")) {
        throw new TypeError("Cannot read properties of undefined (reading 'choices')");
      }
      return original.mapChatResponse(...args);
    },
  };
});
vi.mock("../../src/providers/openai/map-stream.js", async (importOriginal) => {
  const original =
    await importOriginal<typeof import("../../src/providers/openai/map-stream.js")>();
  class BreakingReader extends original.ChatChunkReader {
    override read(event: SseEvent, parts: ChatStreamPart[]): boolean {
      if (event.data.includes("break the reader")) {
        throw new TypeError("Cannot read properties of undefined (reading 'delta')");
      }
      return super.read(event, parts);
    }
  }
  return { ...original, ChatChunkReader: BreakingReader };
});

const pool = harnessPool();
afterEach(() => pool.closeAll());

const ADMIN_KEY = "admin-key-internal-errors-test";
const BREAKING = {
  model: "smart",
  messages: [{ role: "user" as const, content: "break the mapper" }],
};
const HELLO = { model: "smart", messages: [{ role: "user" as const, content: "Hello" }] };
const FROM_PRIMARY = { reply: { text: "from the primary" } };
/**
 * Where the gateway's own code fails, per path. Translated (the OpenAI target's pass-through off):
 * the request mapper, on a request that names its marker, before anything is sent. Pass-through: the
 * answer readers, on an answer that carries theirs (streamed in one delta, so one event has it all),
 * after the client's body went out as it came.
 */
const PATHS = [
  {
    path: "translated, the request mapping throws",
    extra: { passThrough: false },
    body: BREAKING,
    reply: FROM_PRIMARY,
    sentEach: 0,
  },
  {
    path: "pass-through, the answer reading throws",
    // Explicit, so that `npm run test:translated` (every target translated) keeps this path.
    extra: { passThrough: true },
    body: HELLO,
    reply: { reply: { text: "break the reader" }, chunks: 1 },
    sentEach: 1,
  },
];
/** A breaker that a single counted failure would open, and retries a counted failure would use. */
const TOUCHY = { failureThreshold: 1, recoveryTimeoutMs: 600_000, retry: { maxAttempts: 3 } };

interface TargetStatus {
  provider: string;
  status: string;
  circuitState: string;
  lastError?: { kind: string };
}

async function targetStatus(
  h: Harness<string>,
  provider: string,
): Promise<TargetStatus | undefined> {
  const response = await h.fetch(`${h.url}/admin/status`, {
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
  });
  const body = (await response.json()) as { models: Array<{ targets: TargetStatus[] }> };
  return body.models[0]?.targets.find((target) => target.provider === provider);
}

async function chat(client: OpenAI, body: typeof HELLO, stream: boolean) {
  if (!stream) {
    const { data, response } = await client.chat.completions.create(body).withResponse();
    return { text: data.choices[0]?.message.content ?? "", headers: response.headers };
  }
  const { data, response } = await client.chat.completions
    .create({ ...body, stream: true })
    .withResponse();
  let text = "";
  for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? "";
  return { text, headers: response.headers };
}

describe.each(
  PATHS.flatMap((path) => [
    { ...path, mode: "plain", stream: false },
    { ...path, mode: "streamed", stream: true },
  ]),
)("$mode, $path", ({ extra, body, reply, sentEach, stream }) => {
  it("fails over without a retry, and stays closed and serving for the next clients", async () => {
    const h = await pool.start(
      primaryAndFallback({ primary: { extra }, model: TOUCHY, server: { adminKey: ADMIN_KEY } }),
    );
    h.mocks.primary.setDefault(reply);
    h.mocks.fallback.setDefault({ reply: { text: "from the fallback" } });

    for (let request = 0; request < 5; request++) {
      const answer = await chat(h.openai(), body, stream);
      expect(answer.text).toBe("from the fallback");
      expect(answer.headers.get("x-switchyard-attempts")).toBe("2");
    }
    // One upstream request each at most (none when the mapping failed before anything was sent):
    // no retry, and the failure is the gateway's, not the primary's.
    expect(callCounts(h)).toEqual({ primary: 5 * sentEach, fallback: 5 });
    expect(await targetStatus(h, "primary")).toMatchObject({
      status: "healthy",
      circuitState: "closed",
      lastError: { kind: "internal" },
    });

    h.mocks.primary.setDefault(FROM_PRIMARY);
    const next = await chat(h.openai(), HELLO, stream);
    expect(next.text).toBe("from the primary");
    expect(next.headers.get("x-switchyard-provider")).toBe("primary");
    expect(callCounts(h)).toEqual({ primary: 5 * sentEach + 1, fallback: 5 });
  });
});

describe.each(PATHS)("when no target is left ($path)", ({ extra, body, reply }) => {
  it("is a 500 internal_error that the SDK does not retry, and the target serves the next client", async () => {
    const h = await pool.start({
      mocks: ["primary"],
      config: (mocks) => ({
        providers: [
          providerConfig({ name: "primary", type: "openai", origin: mocks.primary.url, extra }),
        ],
        models: [{ name: "smart", targets: [{ provider: "primary", model: "gpt-4o" }], ...TOUCHY }],
        server: { adminKey: ADMIN_KEY },
      }),
    });
    h.mocks.primary.setDefault(reply);

    for (let request = 0; request < 3; request++) {
      const error = await rejectionOf(h.openai({ maxRetries: 2 }).chat.completions.create(body));
      expect(error).toBeInstanceOf(OpenAI.InternalServerError);
      const apiError = error as OpenAIApiError;
      expect(apiError.status).toBe(500);
      expect(apiError.error).toMatchObject({ code: "internal_error", message: "internal error" });
      expect(apiError.headers?.get("x-should-retry")).toBe("false");
    }
    // One request each: the SDK's own retries were told not to, and the gateway made no retry.
    expect(h.responses.filter((response) => response.status === 500)).toHaveLength(3);
    expect(await targetStatus(h, "primary")).toMatchObject({ circuitState: "closed" });
    h.mocks.primary.setDefault(FROM_PRIMARY);
    expect((await chat(h.openai(), HELLO, false)).text).toBe("from the primary");
  });
});

describe("a request whose tool parameters nest 5,000 levels deep", () => {
  const deep = `${'{"type":"object","properties":{"a":'.repeat(5000)}{"type":"string"}${"}}".repeat(5000)}`;
  const placeholder = JSON.stringify({ type: "object", deep: "here" });
  /** Too deep for JSON.stringify on the test's own stack: the SDK sends a placeholder, swapped here. */
  const deepening =
    (h: Harness<string>): typeof fetch =>
    (input, init) =>
      h.fetch(input, { ...init, body: String(init?.body).replace(placeholder, deep) });
  const SERVING = { status: "healthy", circuitState: "closed" };

  it.each([
    ["plain", false],
    ["streamed", true],
  ])("%s: never counts against a target", async (_mode, stream) => {
    const h = await pool.start(
      primaryAndFallback({ model: TOUCHY, server: { adminKey: ADMIN_KEY } }),
    );
    h.mocks.primary.setDefault({ reply: { text: "from the primary" } });
    h.mocks.fallback.setDefault({ reply: { text: "from the fallback" } });
    const client = h.openai({ fetch: deepening(h) });
    const tool = {
      type: "function" as const,
      function: { name: "nested", parameters: JSON.parse(placeholder) as Record<string, unknown> },
    };

    for (let request = 0; request < 3; request++) {
      const error = await rejectionOf(
        client.chat.completions.create({ ...HELLO, tools: [tool], stream }),
      );
      // 400 where body parsing limits the depth (server.maxJsonDepth); otherwise the adapters fail
      // while mapping it, which is internal: 500. Never the targets' fault (502).
      expect([400, 500]).toContain((error as OpenAIApiError).status);
    }
    for (const provider of ["primary", "fallback"]) {
      expect(await targetStatus(h, provider)).toMatchObject(SERVING);
    }
    const next = await chat(h.openai(), HELLO, stream);
    expect(next.text).toBe("from the primary");
  });

  it("on /v1/messages too (Anthropic SDK): never counts against a target", async () => {
    const h = await pool.start(
      primaryAndFallback({ model: TOUCHY, server: { adminKey: ADMIN_KEY } }),
    );
    h.mocks.primary.setDefault({ reply: { text: "from the primary" } });
    h.mocks.fallback.setDefault({ reply: { text: "from the fallback" } });
    const client = h.anthropic({ fetch: deepening(h) });
    const tool = { name: "nested", input_schema: JSON.parse(placeholder) as { type: "object" } };
    for (let request = 0; request < 3; request++) {
      const error = await rejectionOf(
        client.messages.create({ ...HELLO, max_tokens: 32, tools: [tool] }),
      );
      expect([400, 500]).toContain((error as { status?: number }).status);
    }
    for (const provider of ["primary", "fallback"]) {
      expect(await targetStatus(h, provider)).toMatchObject(SERVING);
    }
    expect((await chat(h.openai(), HELLO, false)).text).toBe("from the primary");
  });
});
