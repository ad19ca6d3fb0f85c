/**
 * A failure of the gateway's own code, while preparing a request for a target or reading its answer,
 * is kind `internal` (#17): never retried, never counted by the target's breaker or cooldown, the
 * next target tried, and a 500 when none is left. So no client can open a circuit for the others
 * by sending what the gateway fails to handle. Seen through the official OpenAI SDK.
 */
import OpenAI from "openai";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  callCounts,
  type Harness,
  harnessPool,
  primaryAndFallback,
  providerConfig,
  rejectionOf,
} from "./harness.js";

type OpenAIApiError = InstanceType<typeof OpenAI.APIError>;

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

const pool = harnessPool();
afterEach(() => pool.closeAll());

const ADMIN_KEY = "admin-key-internal-errors-test";
const BREAKING = {
  model: "smart",
  messages: [{ role: "user" as const, content: "break the mapper" }],
};
const HELLO = { model: "smart", messages: [{ role: "user" as const, content: "Hello" }] };
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

describe.each([
  ["plain", false],
  ["streamed", true],
])("%s: a target whose request mapping throws", (_mode, stream) => {
  it("fails over without a retry, and stays closed and serving for the next clients", async () => {
    const h = await pool.start(
      primaryAndFallback({ model: TOUCHY, server: { adminKey: ADMIN_KEY } }),
    );
    h.mocks.primary.setDefault({ reply: { text: "from the primary" } });
    h.mocks.fallback.setDefault({ reply: { text: "from the fallback" } });

    for (let request = 0; request < 5; request++) {
      const answer = await chat(h.openai(), BREAKING, stream);
      expect(answer.text).toBe("from the fallback");
      expect(answer.headers.get("x-switchyard-attempts")).toBe("2");
    }
    // The mapping failed before anything was sent: the primary never saw these requests.
    expect(callCounts(h)).toEqual({ primary: 0, fallback: 5 });
    expect(await targetStatus(h, "primary")).toMatchObject({
      status: "healthy",
      circuitState: "closed",
      lastError: { kind: "internal" },
    });

    const next = await chat(h.openai(), HELLO, stream);
    expect(next.text).toBe("from the primary");
    expect(next.headers.get("x-switchyard-provider")).toBe("primary");
    expect(callCounts(h)).toEqual({ primary: 1, fallback: 5 });
  });
});

describe("when no target is left", () => {
  it("is a 500 internal_error that the SDK does not retry, and the target serves the next client", async () => {
    const h = await pool.start({
      mocks: ["primary"],
      config: (mocks) => ({
        providers: [providerConfig({ name: "primary", type: "openai", origin: mocks.primary.url })],
        models: [{ name: "smart", targets: [{ provider: "primary", model: "gpt-4o" }], ...TOUCHY }],
        server: { adminKey: ADMIN_KEY },
      }),
    });
    h.mocks.primary.setDefault({ reply: { text: "from the primary" } });

    for (let request = 0; request < 3; request++) {
      const error = await rejectionOf(
        h.openai({ maxRetries: 2 }).chat.completions.create(BREAKING),
      );
      expect(error).toBeInstanceOf(OpenAI.InternalServerError);
      const apiError = error as OpenAIApiError;
      expect(apiError.status).toBe(500);
      expect(apiError.error).toMatchObject({ code: "internal_error", message: "internal error" });
      expect(apiError.headers?.get("x-should-retry")).toBe("false");
    }
    // One request each: the SDK's own retries were told not to, and the gateway made no retry.
    expect(h.responses.filter((response) => response.status === 500)).toHaveLength(3);
    expect(await targetStatus(h, "primary")).toMatchObject({ circuitState: "closed" });
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
