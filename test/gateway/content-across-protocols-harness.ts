/**
 * The setup of the content and caching tests (content-across-protocols-*.test.ts): one mock per
 * vendor (OpenAI `oa`, Anthropic `an`, Gemini `gm`), a model served by each and one that falls
 * from Claude to Gemini, started once per file and reset before each test.
 * The Anthropic provider has `passThrough: false`, so a Messages client reaching it is translated
 * too: that is how the Anthropic adapter's rendering of the unified content is seen.
 */
import { afterAll, beforeEach, expect } from "vitest";
import type { MockRecordedRequest } from "../../src/testing/index.js";
import { failoverModel, type Harness, startHarness, upstreamCalls } from "./harness.js";

export type ContentMocks = "oa" | "an" | "gm";

export const CONTENT_ADMIN_KEY = "admin-key-content-test";

export const PDF = "JVBERi0xLjQKJcfsj6IK";
export const PNG = "iVBORw0KGgoAAAANSUhEUg==";
export const CACHE_USAGE = { inputTokens: 1200, cachedInputTokens: 1000, cacheWriteTokens: 150 };

export interface ContentHarness {
  h: Harness<ContentMocks>;
  /** The body of the one client call the mock received (asserts there was exactly one). */
  upstream(mock: ContentMocks): Record<string, unknown>;
}

export async function startContentHarness(): Promise<ContentHarness> {
  const h = await startHarness<ContentMocks>({
    mocks: ["oa", "an", "gm"],
    config: (mocks) => ({
      server: { adminKey: CONTENT_ADMIN_KEY },
      providers: [
        { name: "oa", type: "openai", baseUrl: `${mocks.oa.url}/v1`, keys: [{ key: "sk-oa" }] },
        {
          name: "an",
          type: "anthropic",
          baseUrl: mocks.an.url,
          keys: [{ key: "sk-an" }],
          passThrough: false,
        },
        { name: "gm", type: "gemini", baseUrl: `${mocks.gm.url}/v1beta`, keys: [{ key: "g-key" }] },
      ],
      models: [
        failoverModel("to-openai", [["oa", "gpt-4.1-mini"]]),
        failoverModel("to-anthropic", [["an", "claude-sonnet-4-5"]]),
        failoverModel("to-gemini", [["gm", "gemini-2.5-flash"]]),
        failoverModel("claude-then-gemini", [
          ["an", "claude-sonnet-4-5"],
          ["gm", "gemini-2.5-flash"],
        ]),
      ],
    }),
  });
  afterAll(() => h.close());
  beforeEach(() => {
    for (const mock of Object.values(h.mocks)) mock.reset();
  });

  function upstream(mock: ContentMocks): Record<string, unknown> {
    const calls: MockRecordedRequest[] = upstreamCalls(h.mocks[mock]);
    expect(calls).toHaveLength(1);
    return calls[0]?.body as Record<string, unknown>;
  }

  return { h, upstream };
}
