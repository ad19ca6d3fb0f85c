import { describe, expect, it, vi } from "vitest";
import type { ProviderConfig } from "../../config/index.js";
import { providerSchema } from "../../config/provider-schema.js";
import { shapeOf } from "../../config/schema-shape.test-helper.js";
import type { LlmProviderSettings } from "../../providers/llm-provider-types.js";
import { createAdapter } from "./create-adapter.js";

const received: { type: string; settings: LlmProviderSettings }[] = [];

vi.mock("../../providers/load-llm-provider-types.js", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../providers/load-llm-provider-types.js")>()),
  loadedLlmProviderBuilder: (type: string) => (settings: LlmProviderSettings) => {
    received.push({ type, settings });
    return {};
  },
}));

/**
 * Keys of a provider that are not adapter settings under the same name: what it is, its keys, the
 * models it serves; what the gateway itself reads (`passThrough` and `forwardHeaders` plan the
 * pass-through; `module` and `options` pick and configure a module's factory); `credentials`,
 * whose `file` is handed on as `credentialsFile` (checked below).
 */
const NOT_SETTINGS = [
  "type",
  "keys",
  "models",
  "passThrough",
  "forwardHeaders",
  "module",
  "options",
  "credentials",
];

describe("createAdapter", () => {
  it("hands every provider setting the schema accepts to the adapter, under the same name", () => {
    const keys = Object.keys(shapeOf(providerSchema)).filter((key) => !NOT_SETTINGS.includes(key));
    // A distinct stand-in per key: the mapping only carries values, it does not read them.
    const provider = Object.fromEntries([
      ...keys.map((key) => [key, `value of ${key}`]),
      ["type", "openai"],
      ["keys", []],
    ]) as unknown as ProviderConfig;
    createAdapter(provider, { key: "sk-test", id: "key-1", weight: 1 });
    const [call] = received;
    expect(call?.type).toBe("openai");
    expect(call?.settings.apiKey).toBe("sk-test");
    const settings = call?.settings as Record<string, unknown> | undefined;
    expect(keys.filter((key) => settings?.[key] !== `value of ${key}`)).toEqual([]);
    received.length = 0;
    createAdapter({ ...provider, credentials: { file: "./sa.json" } }, undefined);
    const vertexSettings = received[0]?.settings as Record<string, unknown> | undefined;
    expect(vertexSettings?.credentialsFile).toBe("./sa.json");
  });
});
