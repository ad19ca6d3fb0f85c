/**
 * Per-target parameters and headers (`targets[].params`, `overrideParams`, `headers`): merged into
 * the body each target is sent, in its own wire format, on the same-protocol pass-through and on the
 * translated path, streamed and not, for chat and embeddings; headers set after the provider's own
 * and the forwarded client headers.
 */
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { type Harness, providerConfig, startHarness, upstreamCalls } from "./harness.js";

type Mocks = "openai" | "anthropic" | "gemini";

const OPENAI_PARAMS = {
  temperature: 0.3,
  top_p: 0.5,
  metadata: { team: "core", tier: "gold" },
  stream_options: { include_obfuscation: false },
};
const ANTHROPIC_PARAMS = { temperature: 0.3, top_k: 5, metadata: { user_id: "team-core" } };
const TARGET_HEADERS = {
  "X-Title": "target-title",
  "anthropic-beta": "target-beta",
  "x-target": "t",
};

/** One-target models on each path: `<name>` passes through, `<name>-x` is translated. */
function models(
  name: string,
  provider: "oa" | "an",
  model: string,
  target: Record<string, unknown>,
): Record<string, unknown>[] {
  return [
    { name, targets: [{ provider, model, ...target }] },
    { name: `${name}-x`, targets: [{ provider: `${provider}-x`, model, ...target }] },
  ];
}

const h: Harness<Mocks> = await startHarness<Mocks>({
  mocks: ["openai", "anthropic", "gemini"],
  config: (mocks) => {
    const provider = (name: string, type: "openai" | "anthropic", passThrough: boolean) =>
      providerConfig({
        name,
        type,
        origin: mocks[type].url,
        extra: { passThrough, headers: { "X-Title": "provider-title", "x-static": "s" } },
      });
    return {
      providers: [
        provider("oa", "openai", true),
        provider("oa-x", "openai", false),
        provider("an", "anthropic", true),
        provider("an-x", "anthropic", false),
        {
          name: "gm",
          type: "gemini",
          baseUrl: `${mocks.gemini.url}/v1beta`,
          keys: [{ key: "gemini-test-key" }],
        },
      ],
      models: [
        ...models("fill", "oa", "gpt-4o", { params: OPENAI_PARAMS }),
        ...models("override", "oa", "gpt-4o", { params: OPENAI_PARAMS, overrideParams: true }),
        ...models("claude", "an", "claude-sonnet-4-5", {
          params: ANTHROPIC_PARAMS,
          headers: TARGET_HEADERS,
        }),
        {
          name: "gemini",
          targets: [
            {
              provider: "gm",
              model: "gemini-2.5-pro",
              params: { generationConfig: { temperature: 0.1, topK: 3 } },
            },
          ],
        },
        ...models("claude-plain", "an", "claude-sonnet-4-5", {}),
        {
          name: "embed",
          targets: [
            {
              provider: "oa",
              model: "text-embedding-3-small",
              params: { dimensions: 4, user: "ops" },
            },
          ],
        },
      ],
    };
  },
});
afterAll(() => h.close());
beforeEach(() => {
  h.mocks.openai.reset();
  h.mocks.anthropic.reset();
  h.mocks.gemini.reset();
});

function lastBody(mock: Mocks): Record<string, unknown> {
  const calls = upstreamCalls(h.mocks[mock]);
  expect(calls).toHaveLength(1);
  return calls[0]?.body as Record<string, unknown>;
}

function lastHeaders(mock: Mocks): Record<string, unknown> {
  return upstreamCalls(h.mocks[mock])[0]?.headers ?? {};
}

async function openaiCall(model: string, stream: boolean): Promise<void> {
  const request = {
    model,
    messages: [{ role: "user" as const, content: "Hello" }],
    temperature: 1,
    metadata: { team: "client" },
  };
  if (!stream) {
    await h.openai().chat.completions.create(request);
    return;
  }
  for await (const _ of await h.openai().chat.completions.create({ ...request, stream: true })) {
    // drain
  }
}

async function anthropicCall(
  model: string,
  stream: boolean,
  headers: Record<string, string> = {},
): Promise<void> {
  const request = {
    model,
    max_tokens: 64,
    temperature: 1,
    messages: [{ role: "user" as const, content: "Hello" }],
  };
  if (!stream) await h.anthropic().messages.create(request, { headers });
  else await h.anthropic().messages.stream(request, { headers }).finalMessage();
}

const PATHS = [
  ["pass-through", ""],
  ["translated", "-x"],
] as const;

describe.each(PATHS)("params on the %s path", (_path, suffix) => {
  it.each([false, true])(
    "fill what the client did not send, objects key by key (stream %s)",
    async (stream) => {
      await openaiCall(`fill${suffix}`, stream);
      const body = lastBody("openai");
      expect(body).toMatchObject({
        model: "gpt-4o",
        temperature: 1,
        top_p: 0.5,
        metadata: { team: "client", tier: "gold" },
      });
      expect(body.stream === true).toBe(stream);
      // Added by the gateway on a stream (include_usage) or by the params alone: merged either way.
      expect(body.stream_options).toEqual(
        stream
          ? { include_usage: true, include_obfuscation: false }
          : { include_obfuscation: false },
      );
    },
  );

  it.each([false, true])(
    "with overrideParams win over the client's (stream %s)",
    async (stream) => {
      await openaiCall(`override${suffix}`, stream);
      const body = lastBody("openai");
      expect(body).toMatchObject({
        temperature: 0.3,
        top_p: 0.5,
        metadata: { team: "core", tier: "gold" },
      });
      expect(body.stream === true).toBe(stream);
    },
  );

  it.each([false, true])(
    "reach an Anthropic target in its own words (stream %s)",
    async (stream) => {
      await anthropicCall(`claude${suffix}`, stream);
      expect(lastBody("anthropic")).toMatchObject({
        model: "claude-sonnet-4-5",
        max_tokens: 64,
        temperature: 1,
        top_k: 5,
        metadata: { user_id: "team-core" },
      });
    },
  );
});

describe("params across protocols", () => {
  it.each([false, true])(
    "an OpenAI client's request translated for an Anthropic target gets them (stream %s)",
    async (stream) => {
      await openaiCall("claude", stream);
      expect(lastBody("anthropic")).toMatchObject({
        temperature: 1,
        top_k: 5,
        metadata: { user_id: "team-core" },
      });
    },
  );

  it.each([false, true])(
    "a Gemini target gets them inside its generationConfig (stream %s)",
    async (stream) => {
      await openaiCall("gemini", stream);
      expect(lastBody("gemini").generationConfig).toMatchObject({ temperature: 1, topK: 3 });
    },
  );

  it("embeddings requests get them too", async () => {
    await h.openai().embeddings.create({ model: "embed", input: "x", user: "me" });
    expect(lastBody("openai")).toMatchObject({
      dimensions: 4,
      user: "me",
      model: "text-embedding-3-small",
    });
  });
});

describe("targets[].headers", () => {
  it.each(PATHS)(
    "are set after the provider's and the forwarded client headers (%s)",
    async (_path, suffix) => {
      await anthropicCall(`claude${suffix}`, false, { "anthropic-beta": "client-beta" });
      const headers = lastHeaders("anthropic");
      expect(headers["x-title"]).toBe("target-title");
      expect(headers["anthropic-beta"]).toBe("target-beta");
      expect(headers["x-target"]).toBe("t");
      expect(headers["x-static"]).toBe("s");
      expect(headers["x-api-key"]).toBe(`sk-test-an${suffix}`);
    },
  );

  it("belong to their target only: another model on the same provider sends its own", async () => {
    await anthropicCall("claude-plain", true, { "anthropic-beta": "client-beta" });
    const headers = lastHeaders("anthropic");
    expect(headers["x-title"]).toBe("provider-title");
    expect(headers["anthropic-beta"]).toBe("client-beta");
    expect(headers["x-target"]).toBeUndefined();
  });
});
