/**
 * `contentFilterFallback` on a model: a content-policy refusal before the first output (an error
 * such as Azure's 400 `content_filter`, or an answer that stopped with `finish_reason:
 * content_filter` / `stop_reason: refusal`) moves on to the next target, streamed and not, without
 * opening a circuit; when every target refuses, the client gets the last refusal as it would without
 * the flag. Off (the default), the first refusal is the answer.
 */
import type OpenAI from "openai";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { MockBehaviour } from "../../src/testing/index.js";
import {
  type Harness,
  providerConfig,
  rejectionOf,
  startHarness,
  upstreamCalls,
} from "./harness.js";

type Mocks = "openai" | "anthropic" | "azure" | "gemini";

const ADMIN = "admin-key-content-filter";
const REFUSAL: MockBehaviour = { reply: { text: "", finishReason: "content_filter" } };
const AZURE_FILTER: MockBehaviour = { error: { kind: "content_filter" } };

const h: Harness<Mocks> = await startHarness<Mocks>({
  mocks: ["openai", "anthropic", "azure", "gemini"],
  config: (mocks) => {
    const model = (name: string, flag: boolean, ...targets: [string, string][]) => ({
      name,
      targets: targets.map(([provider, upstream], index) => ({
        provider,
        model: upstream,
        priority: index + 1,
      })),
      retry: { maxAttempts: 2 },
      failureThreshold: 1,
      ...(flag ? { contentFilterFallback: true } : {}),
    });
    return {
      server: { adminKey: ADMIN },
      providers: [
        providerConfig({ name: "oa", type: "openai", origin: mocks.openai.url }),
        providerConfig({ name: "an", type: "anthropic", origin: mocks.anthropic.url }),
        {
          name: "az",
          type: "azure-openai",
          baseUrl: mocks.azure.url,
          keys: [{ key: "azure-test-key" }],
        },
        {
          name: "gm",
          type: "gemini",
          baseUrl: `${mocks.gemini.url}/v1beta`,
          keys: [{ key: "gemini-test-key" }],
        },
      ],
      models: [
        model("guarded", true, ["oa", "gpt-4o"], ["an", "claude-sonnet-4-5"]),
        model("plain", false, ["oa", "gpt-4o"], ["an", "claude-sonnet-4-5"]),
        model("guarded-an", true, ["an", "claude-sonnet-4-5"], ["oa", "gpt-4o"]),
        model("azure-guarded", true, ["az", "gpt-4o"], ["an", "claude-sonnet-4-5"]),
        model("azure-plain", false, ["az", "gpt-4o"], ["an", "claude-sonnet-4-5"]),
        model("azure-twice", true, ["az", "gpt-4o"], ["az", "gpt-4o-mini"]),
        model("gemini-guarded", true, ["gm", "gemini-2.5-pro"], ["an", "claude-sonnet-4-5"]),
      ],
    };
  },
});
afterAll(() => h.close());
beforeEach(() => {
  for (const mock of Object.values(h.mocks)) mock.reset();
});

const calls = (mock: Mocks) => upstreamCalls(h.mocks[mock]).length;

interface Answer {
  text: string;
  finishReason: string | null | undefined;
  requestId: string;
  provider: string | null;
}

async function ask(model: string, stream: boolean, client: OpenAI = h.openai()): Promise<Answer> {
  const request = { model, messages: [{ role: "user" as const, content: "Hello" }] };
  if (!stream) {
    const { data, response } = await client.chat.completions.create(request).withResponse();
    return {
      text: data.choices[0]?.message.content ?? "",
      finishReason: data.choices[0]?.finish_reason,
      requestId: response.headers.get("x-request-id") ?? "",
      provider: response.headers.get("x-switchyard-provider"),
    };
  }
  const { data, response } = await client.chat.completions
    .create({ ...request, stream: true })
    .withResponse();
  const answer: Answer = {
    text: "",
    finishReason: undefined,
    requestId: response.headers.get("x-request-id") ?? "",
    provider: response.headers.get("x-switchyard-provider"),
  };
  for await (const chunk of data) {
    answer.text += chunk.choices[0]?.delta.content ?? "";
    answer.finishReason = chunk.choices[0]?.finish_reason ?? answer.finishReason;
  }
  return answer;
}

async function askAnthropic(model: string, stream: boolean) {
  const request = {
    model,
    max_tokens: 64,
    messages: [{ role: "user" as const, content: "Hello" }],
  };
  const message = stream
    ? await h.anthropic().messages.stream(request).finalMessage()
    : await h.anthropic().messages.create(request);
  const text = message.content.map((block) => (block.type === "text" ? block.text : "")).join("");
  return { text, stopReason: message.stop_reason };
}

async function attemptsOf(requestId: string): Promise<Record<string, unknown>[]> {
  await h.settled();
  const answer = await fetch(`${h.url}/admin/requests/${requestId}`, {
    headers: { authorization: `Bearer ${ADMIN}` },
  });
  expect(answer.status).toBe(200);
  const detail = (await answer.json()) as { request: { attempts: Record<string, unknown>[] } };
  return detail.request.attempts;
}

describe.each([false, true])("the answer form (stream %s)", (stream) => {
  it("fails over when the model opts in, traced as a content_filter attempt", async () => {
    h.mocks.openai.enqueue(REFUSAL);
    h.mocks.anthropic.enqueue({ reply: { text: "Answered by the second target." } });
    const answer = await ask("guarded", stream);
    expect(answer).toMatchObject({ text: "Answered by the second target.", provider: "an" });
    expect(answer.finishReason).toBe("stop");
    expect([calls("openai"), calls("anthropic")]).toEqual([1, 1]);
    const attempts = await attemptsOf(answer.requestId);
    expect(
      attempts.map((attempt) => [attempt.provider, attempt.outcome, attempt.errorKind]),
    ).toEqual([
      ["oa", "failure", "content_filter"],
      ["an", "success", undefined],
    ]);
    expect(attempts[0]?.message).toMatch(
      /refused on content policy \(finish reason content_filter\)/,
    );
  });

  it("returns the refusal as today when the model does not opt in", async () => {
    h.mocks.openai.enqueue(REFUSAL);
    const answer = await ask("plain", stream);
    expect(answer).toMatchObject({ text: "", finishReason: "content_filter", provider: "oa" });
    expect([calls("openai"), calls("anthropic")]).toEqual([1, 0]);
  });

  it("gives the last refusal, not a 5xx, when every target refuses", async () => {
    h.mocks.openai.enqueue(REFUSAL);
    h.mocks.anthropic.enqueue(REFUSAL);
    const answer = await ask("guarded", stream);
    expect(answer).toMatchObject({ text: "", finishReason: "content_filter", provider: "an" });
    expect([calls("openai"), calls("anthropic")]).toEqual([1, 1]);
  });

  it("reads Anthropic's stop_reason: refusal, through the Anthropic SDK", async () => {
    h.mocks.anthropic.enqueue(REFUSAL);
    h.mocks.openai.enqueue({ reply: { text: "From the OpenAI target." } });
    expect(await askAnthropic("guarded-an", stream)).toEqual({
      text: "From the OpenAI target.",
      stopReason: "end_turn",
    });
    h.mocks.anthropic.enqueue(REFUSAL);
    h.mocks.openai.enqueue(REFUSAL);
    // Every target refused: the last refusal, in the client's protocol.
    expect(await askAnthropic("guarded-an", stream)).toEqual({ text: "", stopReason: "refusal" });
    expect([calls("openai"), calls("anthropic")]).toEqual([2, 2]);
  });

  it("opens no circuit and starts no cooldown: the refusing target is asked every time", async () => {
    for (let round = 0; round < 3; round++) {
      h.mocks.openai.enqueue(REFUSAL);
      expect((await ask("guarded", stream)).provider).toBe("an");
    }
    expect(calls("openai")).toBe(3);
    const status = await fetch(`${h.url}/admin/status`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(JSON.stringify(await status.json())).not.toMatch(/"open"|cooling_down/);
  });
});

describe("the Responses API", () => {
  it("fails over on a refused answer too", async () => {
    h.mocks.openai.enqueue(REFUSAL);
    h.mocks.anthropic.enqueue({ reply: { text: "Answered on the Responses API." } });
    const response = await h.openai().responses.create({ model: "guarded", input: "Hello" });
    expect(response.output_text).toBe("Answered on the Responses API.");
    expect([calls("openai"), calls("anthropic")]).toEqual([1, 1]);
  });
});

describe("Gemini's SAFETY finish", () => {
  it.each([false, true])("fails over (stream %s)", async (stream) => {
    h.mocks.gemini.enqueue(REFUSAL);
    const answer = await ask("gemini-guarded", stream);
    expect(answer.provider).toBe("an");
    expect([calls("gemini"), calls("anthropic")]).toEqual([1, 1]);
    const sent = h.mocks.gemini.requests.at(-1)?.sent.join("") ?? "";
    expect(sent).toContain("SAFETY");
  });
});

describe("a refusal after the first output", () => {
  it("is the client's stream: no failover, the vendor's finish reason as sent", async () => {
    h.mocks.openai.enqueue({ reply: { text: "Partly answered", finishReason: "content_filter" } });
    const answer = await ask("guarded", true);
    expect(answer).toMatchObject({ text: "Partly answered", finishReason: "content_filter" });
    expect([calls("openai"), calls("anthropic")]).toEqual([1, 0]);
  });
});

describe("the error form (Azure's 400 content_filter)", () => {
  it.each([false, true])("fails over when the model opts in (stream %s)", async (stream) => {
    h.mocks.azure.enqueue(AZURE_FILTER);
    const answer = await ask("azure-guarded", stream);
    expect(answer.provider).toBe("an");
    expect(answer.text).toBe("Hello from the mock provider.");
    expect([calls("azure"), calls("anthropic")]).toEqual([1, 1]);
  });

  it.each([
    ["azure-plain", 1],
    ["azure-twice", 2],
  ] as const)("is the 400 it is today on %s (%i upstream calls)", async (model, count) => {
    h.mocks.azure.setDefault(AZURE_FILTER);
    const error = await rejectionOf(ask(model, false));
    expect(error).toMatchObject({ status: 400, code: "content_filter" });
    expect(calls("azure")).toBe(count);
    expect(calls("anthropic")).toBe(0);
  });
});
