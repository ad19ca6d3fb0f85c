import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import OpenAI from "openai";
import { afterAll, describe, expect, it } from "vitest";
import createEchoProvider from "../../examples/custom-provider/echo-provider.js";
import { loadConfig } from "../../src/config/index.js";
import { Gateway } from "../../src/gateway/gateway.js";
import { loadProviderModules } from "../../src/gateway/routing/load-provider-modules.js";
import { createCapturingLogger } from "./capturing-logger.js";

/** Provider types from outside the package: `type: module` in the config, or `providerTypes`. */
const folder = mkdtempSync(join(tmpdir(), "switchyard-provider-modules-"));
const example = resolve(import.meta.dirname, "../../examples/custom-provider/echo-provider.ts");
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function writeConfig(name: string, module: string): string {
  const file = join(folder, name);
  writeFileSync(
    file,
    JSON.stringify({
      server: { port: 0 },
      logging: { level: "silent" },
      providers: [{ name: "echo", type: "module", module, options: { prefix: "echo: " } }],
      models: [{ name: "chat", targets: [{ provider: "echo", model: "echo-1" }] }],
    }),
  );
  return file;
}

async function ask(gateway: Gateway): Promise<string | null> {
  const url = await gateway.listen({ host: "127.0.0.1", port: 0 });
  const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: "unused", maxRetries: 0 });
  const completion = await client.chat.completions.create({
    model: "chat",
    messages: [{ role: "user", content: "hello there" }],
  });
  return completion.choices[0]?.message.content ?? null;
}

describe("provider types from outside the package", () => {
  it("loads the example module named in the config, relative to the config file", async () => {
    const loaded = await loadConfig(writeConfig("relative.yaml", relative(folder, example)));
    const gateway = new Gateway(loaded, {
      logger: createCapturingLogger(),
      providerTypes: await loadProviderModules(loaded),
    });
    try {
      expect(await ask(gateway)).toBe("echo: hello there");
    } finally {
      await gateway.close(0);
    }
  });

  it("takes a factory registered in providerTypes under the module's name, importing nothing", async () => {
    const loaded = await loadConfig(writeConfig("registered.yaml", "my-echo"));
    const providerTypes = await loadProviderModules(loaded, { "my-echo": createEchoProvider });
    expect(providerTypes["my-echo"]).toBe(createEchoProvider);
    const gateway = new Gateway(loaded, { logger: createCapturingLogger(), providerTypes });
    try {
      expect(await ask(gateway)).toBe("echo: hello there");
    } finally {
      await gateway.close(0);
    }
  });

  it("names the provider and the module when the module cannot be loaded or exports no factory", async () => {
    const missing = await loadConfig(writeConfig("missing.yaml", "./no-such-provider.js"));
    await expect(loadProviderModules(missing)).rejects.toThrow(
      /provider echo: could not load module \.\/no-such-provider\.js/,
    );
    const notFactory = join(folder, "not-a-factory.mjs");
    writeFileSync(notFactory, "export default 42;\n");
    const wrong = await loadConfig(writeConfig("wrong.yaml", "./not-a-factory.mjs"));
    await expect(loadProviderModules(wrong)).rejects.toThrow(/must default-export a function/);
  });
});
