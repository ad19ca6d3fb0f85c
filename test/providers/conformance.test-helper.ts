import { afterAll, beforeAll, beforeEach } from "vitest";
import type { ChatRequest, LlmProvider } from "../../src/llm/index.js";
import { type MockProviderServer, startMockProviderServer } from "../../src/testing/index.js";
import type { AdapterCase } from "./adapter-cases.test-helper.js";

// One conformance suite every LLM adapter passes, against the mock provider server: the same
// requests, the same scripted answers and faults, the same expectations of the unified model.
// Its tests are split by theme: conformance-answers, -failures and -transport.test.ts.

export const MODEL = "conformance-model";
export const ask = (content = "Say hello."): ChatRequest => ({
  model: MODEL,
  messages: [{ role: "user", content }],
});

export const LONG_TEXT = "one two three four five six seven eight nine ten";

/** One adapter under test: its mock server and the adapter over it, set up once per file. */
export interface AdapterUnderTest {
  mock: MockProviderServer;
  provider: LlmProvider;
  /** The same adapter with a 100 ms idle timeout, for stalled streams. */
  impatient: LlmProvider;
  /** The provider name the adapters are created with. */
  readonly name: string;
}

/**
 * Registers the suite's hooks for `adapter` (start the mock and create the adapters before the
 * file's tests, reset the mock before each, close everything after) and returns what they set up.
 */
export function adapterUnderTest(adapter: AdapterCase): AdapterUnderTest {
  const under = {
    name: `${adapter.label.replace(/\W+/g, "-")}-under-test`,
  } as AdapterUnderTest;
  beforeAll(async () => {
    under.mock = await startMockProviderServer();
    under.provider = adapter.create(under.mock, { name: under.name });
    under.impatient = adapter.create(under.mock, { name: under.name, idleTimeoutMs: 100 });
  });
  afterAll(async () => {
    await Promise.all([under.provider.close(), under.impatient.close()]);
    await under.mock.close();
  });
  beforeEach(() => {
    under.mock.reset();
  });
  return under;
}
