/**
 * The setup of the endpoint and translation tests: one OpenAI-format mock (provider `oa`, key
 * `sk-oa-upstream`) and one Anthropic-format mock (provider `an`, key `sk-an-upstream`), each model
 * served by one of them, started once per file and reset before each test.
 */
import { afterAll, beforeEach } from "vitest";
import { failoverModel, type Harness, providerConfig, startHarness } from "./harness.js";

export type TwoVendorMocks = "openai" | "anthropic";

export const TWO_VENDOR_ADMIN_KEY = "admin-key-two-vendor-test";

/** Models as `[name, provider ("oa" or "an"), upstream model]`. */
export async function startTwoVendorHarness(
  models: ReadonlyArray<readonly [name: string, provider: "oa" | "an", model: string]>,
): Promise<Harness<TwoVendorMocks>> {
  const harness = await startHarness<TwoVendorMocks>({
    mocks: ["openai", "anthropic"],
    config: (mocks) => ({
      server: { adminKey: TWO_VENDOR_ADMIN_KEY },
      providers: [
        providerConfig({
          name: "oa",
          type: "openai",
          origin: mocks.openai.url,
          key: "sk-oa-upstream",
        }),
        providerConfig({
          name: "an",
          type: "anthropic",
          origin: mocks.anthropic.url,
          key: "sk-an-upstream",
        }),
      ],
      models: models.map(([name, provider, model]) => failoverModel(name, [[provider, model]])),
    }),
  });
  afterAll(() => harness.close());
  beforeEach(() => {
    harness.mocks.openai.reset();
    harness.mocks.anthropic.reset();
  });
  return harness;
}
