import { describe, expect, it } from "vitest";
import type { ProviderContext } from "../../engine/provider.js";
import { ProviderError } from "../../errors/provider-error.js";
import type { ChatRequest, ChatResult, WireRequest } from "../../llm/chat.js";
import type { LlmProvider, WirePassThrough } from "../../llm/llm-provider.js";
import type { ChatStreamPart } from "../../llm/stream-part.js";
import { guardInternalErrors } from "./guard-internal-errors.js";

const REQUEST: ChatRequest = { model: "m", messages: [{ role: "user", content: "hi" }] };
const FIRST: ChatStreamPart = { type: "text-delta", text: "par" };

/** An adapter whose calls throw `error` (streams after one part), as its mappers or its HTTP layer would. */
function throwingAdapter(error: unknown): LlmProvider {
  return {
    type: "test",
    async generate(): Promise<ChatResult> {
      throw error;
    },
    async *stream() {
      yield FIRST;
      throw error;
    },
    async embed() {
      throw error;
    },
    healthCheck: async () => ({}),
    close: async () => undefined,
  };
}

function context(signal = new AbortController().signal): ProviderContext {
  return { signal, attempt: 1, targetId: "edge" };
}

async function failures(adapter: LlmProvider, at = context()): Promise<unknown[]> {
  const parts: ChatStreamPart[] = [];
  const streamed = await (async () => {
    for await (const part of adapter.stream(REQUEST, at)) parts.push(part);
  })().catch((error: unknown) => error);
  expect(parts).toEqual([FIRST]);
  return [
    await adapter.generate(REQUEST, at).catch((error: unknown) => error),
    streamed,
    await adapter.embed?.({ model: "m", input: ["x"] }, at).catch((error: unknown) => error),
  ];
}

describe("guardInternalErrors", () => {
  it("turns what our own code threw (a mapper's TypeError, a stack overflow) into kind internal", async () => {
    for (const thrown of [new TypeError("x is undefined"), new RangeError("Maximum call stack")]) {
      for (const error of await failures(guardInternalErrors(throwingAdapter(thrown), "edge"))) {
        expect(error).toBeInstanceOf(ProviderError);
        expect(error).toMatchObject({ kind: "internal", provider: "edge", cause: thrown });
        expect((error as Error).message).toBe(
          `edge: internal error: ${thrown.name}: ${thrown.message}`,
        );
      }
    }
  });

  it("classifies a call that throws before it returns a promise too", async () => {
    const thrown = new TypeError("not a function");
    const adapter: LlmProvider = {
      ...throwingAdapter(thrown),
      generate: () => {
        throw thrown;
      },
    };
    const error = await guardInternalErrors(adapter, "edge")
      .generate(REQUEST, context())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "internal", cause: thrown });
  });

  it("passes classified errors from the network or the upstream as they are", async () => {
    const upstream = new ProviderError("503", { kind: "transient", status: 503 });
    const all = await failures(guardInternalErrors(throwingAdapter(upstream), "edge"));
    expect(all).toEqual([upstream, upstream, upstream]);
  });

  it("passes the cancellation reason as it is once the signal fired", async () => {
    const controller = new AbortController();
    const reason = new Error("the caller left");
    controller.abort(reason);
    const all = await failures(
      guardInternalErrors(throwingAdapter(reason), "edge"),
      context(controller.signal),
    );
    expect(all).toEqual([reason, reason, reason]);
  });

  it("keeps everything else the adapter has, and leaves out embeddings it does not have", () => {
    const { embed: _embed, ...withoutEmbed } = throwingAdapter(new Error("x"));
    const guarded = guardInternalErrors(withoutEmbed, "edge");
    expect(guarded.type).toBe("test");
    expect(guarded.embed).toBeUndefined();
    expect(guarded.close).toBe(withoutEmbed.close);
  });

  it("classifies the pass-through's calls too (its body and readers are ours), keeping the rest", async () => {
    const thrown = new TypeError("x is undefined");
    const upstream = new ProviderError("429", { kind: "rate_limited", status: 429 });
    const wire = (error: unknown): WirePassThrough => ({
      protocol: "test",
      unsupportedFields: ["n"],
      async generate(): Promise<ChatResult> {
        throw error;
      },
      async *stream() {
        yield FIRST;
        throw error;
      },
      async forward(): Promise<{ status: number; body: string }> {
        throw error;
      },
    });
    const body: WireRequest = { protocol: "test", body: {}, stream: false, headers: {} };
    const calls = async (guarded: WirePassThrough | undefined): Promise<unknown[]> => {
      if (!guarded) throw new Error("the pass-through was dropped");
      const parts: ChatStreamPart[] = [];
      const streamed = await (async () => {
        for await (const part of guarded.stream(body, "m", context())) parts.push(part);
      })().catch((error: unknown) => error);
      expect(parts).toEqual([FIRST]);
      return [
        await guarded.generate(body, "m", context()).catch((error: unknown) => error),
        streamed,
        await guarded.forward?.("/count", body, "m", context()).catch((error: unknown) => error),
      ];
    };
    const adapter = (error: unknown): LlmProvider => ({
      ...throwingAdapter(error),
      wire: wire(error),
    });

    const guarded = guardInternalErrors(adapter(thrown), "edge").wire;
    expect(guarded).toMatchObject({ protocol: "test", unsupportedFields: ["n"] });
    for (const error of await calls(guarded)) {
      expect(error).toMatchObject({ kind: "internal", provider: "edge", cause: thrown });
    }
    expect(await calls(guardInternalErrors(adapter(upstream), "edge").wire)).toEqual([
      upstream,
      upstream,
      upstream,
    ]);
  });
});
