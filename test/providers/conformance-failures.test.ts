import { describe, expect, it } from "vitest";
import { type ErrorKind, isProviderError } from "../../src/errors/index.js";
import type { MockErrorSpec } from "../../src/testing/index.js";
import { rejectionOf } from "../support/rejection-of.js";
import { ADAPTER_CASES } from "./adapter-cases.test-helper.js";
import { adapterUnderTest, ask, LONG_TEXT, MODEL } from "./conformance.test-helper.js";
import { context, drain, streamedText } from "./provider-calls.test-helper.js";

// The conformance suite (see conformance.test-helper.ts): vendor errors, network faults and
// the adapter's own failures, each classified into the unified error kinds.

/** Every error class the mock can answer with, and the kind each adapter must classify it as. */
const ERROR_CASES: { label: string; error: MockErrorSpec; kind: ErrorKind }[] = [
  {
    label: "rate_limit",
    error: { kind: "rate_limit", retryAfterSeconds: 7 },
    kind: "rate_limited",
  },
  { label: "quota", error: { kind: "quota" }, kind: "quota_exhausted" },
  { label: "auth", error: { kind: "auth" }, kind: "auth" },
  { label: "permission", error: { kind: "permission" }, kind: "auth" },
  { label: "not_found", error: { kind: "not_found" }, kind: "not_found" },
  { label: "context_length", error: { kind: "context_length" }, kind: "context_length" },
  { label: "invalid_request", error: { kind: "invalid_request" }, kind: "invalid_request" },
  { label: "content_filter", error: { kind: "content_filter" }, kind: "content_filter" },
  { label: "server (500)", error: { kind: "server" }, kind: "transient" },
  { label: "overloaded", error: { kind: "overloaded" }, kind: "transient" },
  { label: "502", error: { status: 502 }, kind: "transient" },
  { label: "503", error: { status: 503 }, kind: "transient" },
  { label: "529", error: { status: 529 }, kind: "transient" },
];

/** In-stream error events (HTTP 200), before and after the first output. */
const ERROR_EVENT_CASES = [
  { error: "overloaded", kind: "transient", afterChunks: 0 },
  { error: "quota", kind: "quota_exhausted", afterChunks: 0 },
  { error: "context_length", kind: "context_length", afterChunks: 0 },
  { error: "rate_limit", kind: "rate_limited", afterChunks: 1 },
  { error: "server", kind: "transient", afterChunks: 1 },
  { error: "invalid_request", kind: "invalid_request", afterChunks: 1 },
] as const;

describe.each(ADAPTER_CASES)("$label adapter conformance", (adapter) => {
  const under = adapterUnderTest(adapter);

  describe("errors", () => {
    it.each(ERROR_CASES)("classifies $label as $kind, plain and streaming", async (errorCase) => {
      under.mock.enqueue({ error: errorCase.error }, { error: errorCase.error });
      const plain = await rejectionOf(under.provider.generate(ask(), context()), isProviderError);
      const streamed = await drain(under.provider.stream(ask(), context()));
      expect(streamed.parts).toEqual([]);
      for (const error of [plain, streamed.error]) {
        expect(error).toMatchObject({ kind: errorCase.kind, provider: under.name });
        expect(error?.message).not.toContain(adapter.apiKey);
        if (errorCase.error.status !== undefined)
          expect(error?.status).toBe(errorCase.error.status);
        if (errorCase.kind === "rate_limited") expect(error?.retryAfterMs).toBe(7000);
      }
    });

    it.each(ERROR_EVENT_CASES)(
      "throws an in-stream $error event after $afterChunks chunk(s) as $kind",
      async ({ error, kind, afterChunks }) => {
        under.mock.enqueue({
          fault: "error-event",
          kind: error,
          afterChunks,
          reply: { text: LONG_TEXT },
        });
        const streamed = await drain(under.provider.stream(ask(), context()));
        expect(streamed.error?.kind).toBe(kind);
        const texts = streamed.parts.filter((part) => part.type === "text-delta");
        expect(texts).toHaveLength(afterChunks);
        if (afterChunks === 0) expect(streamed.parts).toEqual([]);
      },
    );
  });

  describe("faults", () => {
    const reply = { text: LONG_TEXT };

    it("a reset before any byte is transient, before any output", async () => {
      under.mock.enqueue({ fault: "reset" }, { fault: "reset" });
      expect(
        (await rejectionOf(under.provider.generate(ask(), context()), isProviderError)).kind,
      ).toBe("transient");
      const streamed = await drain(under.provider.stream(ask(), context()));
      expect(streamed.parts).toEqual([]);
      expect(streamed.error?.kind).toBe("transient");
    });

    it("a connection cut mid-stream throws after the output so far", async () => {
      under.mock.enqueue(
        { fault: "cut", afterChunks: 2, reply },
        { fault: "cut", afterChunks: 1, reply },
      );
      const streamed = await drain(under.provider.stream(ask(), context()));
      expect(streamedText(streamed.parts)).toBe("one two ");
      expect(streamed.error?.kind).toBe("transient");
      expect(
        (await rejectionOf(under.provider.generate(ask(), context()), isProviderError)).kind,
      ).toBe("transient");
    });

    it("a stall is a timeout after idleTimeoutMs, before or after output", async () => {
      under.mock.enqueue(
        { fault: "stall", afterChunks: 0, reply },
        { fault: "stall", afterChunks: 2, reply },
        { fault: "stall", afterChunks: 1, reply },
      );
      const before = await drain(under.impatient.stream(ask(), context()));
      expect(before.parts).toEqual([]);
      expect(before.error?.kind).toBe("timeout");
      const after = await drain(under.impatient.stream(ask(), context()));
      expect(streamedText(after.parts)).toBe("one two ");
      expect(after.error?.kind).toBe("timeout");
      expect(after.error?.message).toContain("100 ms");
      expect(
        (await rejectionOf(under.impatient.generate(ask(), context()), isProviderError)).kind,
      ).toBe("timeout");
    });

    it("malformed JSON is transient, in a body or a stream", async () => {
      under.mock.enqueue({ fault: "malformed-json", reply }, { fault: "malformed-json", reply });
      expect(
        (await rejectionOf(under.provider.generate(ask(), context()), isProviderError)).kind,
      ).toBe("transient");
      const streamed = await drain(under.provider.stream(ask(), context()));
      expect(streamed.parts).toEqual([]);
      expect(streamed.error?.kind).toBe("transient");
    });

    it("a stream that ends without its terminal event throws transient, never ends cleanly", async () => {
      under.mock.enqueue({ fault: "no-terminal", reply });
      const streamed = await drain(under.provider.stream(ask(), context()));
      expect(streamedText(streamed.parts)).toBe(LONG_TEXT);
      expect(streamed.parts.some((part) => part.type === "finish")).toBe(false);
      expect(streamed.error?.kind).toBe("transient");
    });
  });

  describe("its own failures", () => {
    /** A value whose `field` throws when read: the adapter's own code fails while mapping it. */
    const throwing = <T extends object>(value: T, field: string): T =>
      Object.defineProperty(value, field, {
        get() {
          throw new TypeError("a mapper broke");
        },
      });

    it("a request it cannot prepare is kind internal, plain, streaming and embeddings, and never sent", async () => {
      const plain = await rejectionOf(
        under.provider.generate(throwing(ask(), "messages"), context()),
        isProviderError,
      );
      const streamed = await drain(under.provider.stream(throwing(ask(), "messages"), context()));
      expect(streamed.parts).toEqual([]);
      const embedding = under.provider.embed
        ? await rejectionOf(
            under.provider.embed(throwing({ model: MODEL, input: [] }, "input"), context()),
            isProviderError,
          )
        : undefined;
      for (const error of [plain, streamed.error, embedding].filter((e) => e !== undefined)) {
        expect(error).toMatchObject({ kind: "internal", provider: under.name });
        expect(error?.message).toContain("TypeError: a mapper broke");
      }
      expect(embedding === undefined).toBe(adapter.routes.embeddings === undefined);
      expect(under.mock.requests).toEqual([]);
    });
  });
});
