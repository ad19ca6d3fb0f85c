import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { collect } from "../../../test/support/collect.js";
import type { ProviderContext } from "../../engine/provider.js";
import { isProviderError } from "../../errors/provider-error.js";
import type { LlmProvider } from "../../llm/llm-provider.js";
import {
  createOpenAICompatibleProvider,
  type OpenAICompatibleProviderOptions,
} from "./create-openai-compatible-provider.js";
import { OPENAI_COMPATIBLE_PRESETS } from "./presets.js";

const fixtureBytes = (name: string): Buffer =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

const servers: Server[] = [];
const providers: LlmProvider[] = [];

afterEach(async () => {
  await Promise.all(providers.splice(0).map((provider) => provider.close()));
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Answers every request with one fixture and records what it was sent. */
async function replay(
  status: number,
  body: Buffer,
  contentType = "application/json",
): Promise<{ baseUrl: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    let text = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      text += chunk;
    });
    request.on("end", () => {
      seen.push({
        url: request.url ?? "",
        headers: request.headers,
        body: text ? JSON.parse(text) : {},
      });
      response.writeHead(status, { "content-type": contentType });
      response.end(body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, seen };
}

function provider(options: OpenAICompatibleProviderOptions): LlmProvider {
  const created = createOpenAICompatibleProvider(options);
  providers.push(created);
  return created;
}

const context = (): ProviderContext => ({
  signal: new AbortController().signal,
  attempt: 1,
  targetId: "local",
});

describe("createOpenAICompatibleProvider", () => {
  it("talks to a keyless local server: no auth header, max_tokens, include_usage", async () => {
    const { baseUrl, seen } = await replay(200, fixtureBytes("chat-completion.json"));
    const local = provider({ preset: "ollama", baseUrl });
    const result = await local.generate(
      { model: "llama3.2", messages: [{ role: "user", content: "hi" }], maxTokens: 64 },
      context(),
    );
    expect(local.type).toBe("openai-compatible");
    expect(result).toMatchObject({
      text: "Hi from a local model.",
      adapterType: "openai-compatible",
    });
    expect(seen[0]?.url).toBe("/v1/chat/completions");
    expect(seen[0]?.headers.authorization).toBeUndefined();
    expect(seen[0]?.body.max_tokens).toBe(64);
  });

  it("follows the preset's quirks: groq sends max_completion_tokens and asks for usage", async () => {
    const { baseUrl, seen } = await replay(
      200,
      fixtureBytes("stream-usage-without-asking.sse"),
      "text/event-stream",
    );
    const groq = provider({ preset: "groq", baseUrl, apiKey: "gsk-test" });
    await collect(groq.stream({ model: "m", messages: [], maxTokens: 5 }, context()));
    expect(seen[0]?.headers.authorization).toBe("Bearer gsk-test");
    expect(seen[0]?.body).toMatchObject({
      max_completion_tokens: 5,
      stream_options: { include_usage: true },
    });
  });

  it("reads usage a server sends without being asked (mistral preset asks not)", async () => {
    const { baseUrl, seen } = await replay(
      200,
      fixtureBytes("stream-usage-without-asking.sse"),
      "text/event-stream",
    );
    const parts = await collect(
      provider({ preset: "mistral", baseUrl, apiKey: "k" }).stream(
        { model: "m", messages: [] },
        context(),
      ),
    );
    expect(seen[0]?.body.stream_options).toBeUndefined();
    expect(parts).toEqual([
      {
        type: "response-metadata",
        id: "cmpl-e5cc70bb28c444948073e77776eb30ef",
        model: "mistral-small-latest",
      },
      { type: "text-delta", text: "Bonjour" },
      { type: "text-delta", text: " !" },
      {
        type: "usage",
        usage: { inputTokens: 10, outputTokens: 3, cachedInputTokens: 0, totalTokens: 13 },
      },
      { type: "finish", finishReason: "stop", rawFinishReason: "stop" },
    ]);
  });

  it("merges providerOptions by type, preset and name", async () => {
    const { baseUrl, seen } = await replay(200, fixtureBytes("chat-completion.json"));
    await provider({ preset: "vllm", baseUrl, name: "gpu-box" }).generate(
      {
        model: "m",
        messages: [],
        providerOptions: {
          "openai-compatible": { top_k: 1, min_p: 0.1 },
          vllm: { top_k: 2 },
          "gpu-box": { repetition_penalty: 1.1 },
          openai: { ignored: true },
        },
      },
      context(),
    );
    expect(seen[0]?.body).toMatchObject({ top_k: 2, min_p: 0.1, repetition_penalty: 1.1 });
    expect(seen[0]?.body.ignored).toBeUndefined();
  });

  it("classifies a compatible server's context-length prose, naming the provider", async () => {
    const { baseUrl } = await replay(400, fixtureBytes("error-context-length-prose.json"));
    let caught: unknown;
    try {
      await provider({ baseUrl, name: "local-vllm" }).generate(
        { model: "m", messages: [] },
        context(),
      );
    } catch (error) {
      caught = error;
    }
    expect(isProviderError(caught) && [caught.kind, caught.provider, caught.status]).toEqual([
      "context_length",
      "local-vllm",
      400,
    ]);
  });

  it("has the documented preset base URLs", () => {
    expect(OPENAI_COMPATIBLE_PRESETS.ollama.baseUrl).toBe("http://127.0.0.1:11434/v1");
    expect(OPENAI_COMPATIBLE_PRESETS.vllm.baseUrl).toBe("http://127.0.0.1:8000/v1");
    expect(OPENAI_COMPATIBLE_PRESETS.lmstudio.baseUrl).toBe("http://127.0.0.1:1234/v1");
    expect(OPENAI_COMPATIBLE_PRESETS.groq.baseUrl).toBe("https://api.groq.com/openai/v1");
    expect(OPENAI_COMPATIBLE_PRESETS.openrouter.baseUrl).toBe("https://openrouter.ai/api/v1");
  });

  it("validates its options", () => {
    expect(() => createOpenAICompatibleProvider({})).toThrow(/baseUrl.*preset/);
    expect(() => createOpenAICompatibleProvider({ preset: "groq" })).toThrow(/needs an `apiKey`/);
    expect(() =>
      createOpenAICompatibleProvider({ preset: "nope" as unknown as "groq", apiKey: "k" }),
    ).toThrow(/unknown preset "nope"/);
  });
});
