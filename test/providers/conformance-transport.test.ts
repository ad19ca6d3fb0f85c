import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { isProviderError } from "../../src/errors/index.js";
import type { LlmProvider } from "../../src/llm/index.js";
import type { MockBehaviour } from "../../src/testing/index.js";
import { rejectionOf } from "../support/rejection-of.js";
import { ADAPTER_CASES } from "./adapter-cases.test-helper.js";
import { adapterUnderTest, ask, LONG_TEXT } from "./conformance.test-helper.js";
import { context, drain, streamedText } from "./provider-calls.test-helper.js";

// The conformance suite (see conformance.test-helper.ts): content encodings, the response size
// limit, and cancellation reaching the socket.

describe.each(ADAPTER_CASES)("$label adapter conformance", (adapter) => {
  const under = adapterUnderTest(adapter);

  describe("content encodings and the size limit", () => {
    const LIMIT = 64 * 1024;
    let bounded: LlmProvider;
    beforeAll(() => {
      bounded = adapter.create(under.mock, { name: under.name, maxResponseBytes: LIMIT });
    });
    afterAll(() => bounded.close());

    it.each(["gzip", "br", "deflate"] as const)(
      "decodes a %s answer, plain, streamed and as an error",
      async (contentEncoding) => {
        const reply = { text: LONG_TEXT };
        under.mock.enqueue(
          { reply, contentEncoding },
          { reply, contentEncoding, chunkDelayMs: 5 },
          { error: { kind: "quota" }, contentEncoding },
        );
        expect((await under.provider.generate(ask(), context())).text).toBe(LONG_TEXT);
        const streamed = await drain(under.provider.stream(ask(), context()));
        expect(streamed.error).toBeUndefined();
        expect(streamedText(streamed.parts)).toBe(LONG_TEXT);
        expect(streamed.parts.at(-1)?.type).toBe("finish");
        expect(
          (await rejectionOf(under.provider.generate(ask(), context()), isProviderError)).kind,
        ).toBe("quota_exhausted");
      },
    );

    it("an answer or a stream event past maxResponseBytes is transient and closes the connection", async () => {
      const huge: MockBehaviour = { fault: "huge-body", bytes: 8 * 1024 * 1024 };
      under.mock.enqueue(huge, huge);
      const plain = await rejectionOf(bounded.generate(ask(), context()), isProviderError);
      expect(plain).toMatchObject({ kind: "transient", vendorCode: "response_too_large" });
      expect(plain.message).toContain(`maxResponseBytes (${LIMIT} bytes)`);
      await vi.waitFor(() => expect(under.mock.stats.inFlight).toBe(0));
      const streamed = await drain(bounded.stream(ask(), context()));
      expect(streamed.parts).toEqual([]);
      expect(streamed.error).toMatchObject({ kind: "transient", vendorCode: "response_too_large" });
      await vi.waitFor(() => expect(under.mock.stats.inFlight).toBe(0));
    });

    it("a gzip bomb is cut off at the limit, counted after decoding", async () => {
      under.mock.enqueue({ fault: "huge-body", bytes: 1024 ** 3, contentEncoding: "gzip" });
      const error = await rejectionOf(bounded.generate(ask(), context()), isProviderError);
      expect(error).toMatchObject({ kind: "transient", vendorCode: "response_too_large" });
      await vi.waitFor(() => expect(under.mock.stats.inFlight).toBe(0));
    });

    it("a health check against an endless answer ends", async () => {
      under.mock.enqueueFor(adapter.routes.models, { fault: "endless" });
      const error = await rejectionOf(bounded.healthCheck(context()), isProviderError);
      expect(error).toMatchObject({ kind: "transient", vendorCode: "response_too_large" });
      await vi.waitFor(() => expect(under.mock.stats.inFlight).toBe(0));
    });
  });

  describe("cancellation reaches the socket", () => {
    it("aborting mid-stream rejects with the reason and closes the upstream request", async () => {
      under.mock.enqueue({ reply: { text: LONG_TEXT }, chunkDelayMs: 30 });
      const controller = new AbortController();
      const reason = new Error("the caller went away");
      const iterator = under.provider
        .stream(ask(), context(controller.signal))
        [Symbol.asyncIterator]();
      let first = await iterator.next();
      while (!first.done && first.value.type !== "text-delta") first = await iterator.next();
      expect(first.value).toMatchObject({ type: "text-delta" });
      expect(under.mock.stats.inFlight).toBe(1);
      controller.abort(reason);
      await expect(iterator.next()).rejects.toBe(reason);
      await vi.waitFor(() => expect(under.mock.stats.inFlight).toBe(0));
    });

    it("aborting while waiting for the headers rejects with the reason and closes the request", async () => {
      under.mock.enqueue({ reply: { text: "late" }, headersDelayMs: 10_000 });
      const controller = new AbortController();
      const reason = new Error("deadline passed");
      const pending = under.provider.generate(ask(), context(controller.signal));
      await vi.waitFor(() => expect(under.mock.stats.inFlight).toBe(1));
      controller.abort(reason);
      await expect(pending).rejects.toBe(reason);
      await vi.waitFor(() => expect(under.mock.stats.inFlight).toBe(0));
    });

    it("aborting a stream that never sends a chunk rejects before any output", async () => {
      const behaviour: MockBehaviour = { fault: "never-end" };
      under.mock.enqueue(behaviour);
      const controller = new AbortController();
      const reason = new Error("gave up");
      const parts: unknown[] = [];
      const reading = (async () => {
        for await (const part of under.provider.stream(ask(), context(controller.signal)))
          parts.push(part);
      })();
      await vi.waitFor(() => expect(under.mock.stats.inFlight).toBe(1));
      controller.abort(reason);
      await expect(reading).rejects.toBe(reason);
      expect(parts).toEqual([]);
      await vi.waitFor(() => expect(under.mock.stats.inFlight).toBe(0));
    });
  });
});
