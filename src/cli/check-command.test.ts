import { describe, expect, it } from "vitest";
import { runCheckCommand } from "./check-command.js";

const BROKEN = "src/config/fixtures/broken.yaml";

async function run(options: Parameters<typeof runCheckCommand>[0]) {
  let output = "";
  const code = await runCheckCommand({ ...options, write: (text) => (output += text) });
  return { code, output };
}

describe("switchyard check", () => {
  it("prints every problem with file:line:col, then a summary, and returns 1", async () => {
    const { code, output } = await run({ path: BROKEN, env: { OPENAI_API_KEY: "sk-x" } });
    expect(code).toBe(1);
    expect(output.split("\n")).toEqual([
      `${BROKEN}:16:60 models[0].targets[0].timeoutMs: must be at least 0, got -1`,
      `${BROKEN}:17:21 models[0].targets[1].provider: unknown provider "claud" (known: openai-main, claude)`,
      `${BROKEN}: 2 problems; 2 providers, 1 model, 0 clients`,
      "",
    ]);
  });

  it("prints warnings and returns 0 for a usable config", async () => {
    const { code, output } = await run({
      path: "switchyard.yaml",
      env: { OPENAI_API_KEY: "sk-x" },
    });
    expect(code).toBe(0);
    expect(output.split("\n")).toEqual([
      expect.stringMatching(
        /^switchyard\.yaml:\d+:\d+ warning providers\[1\]\.keys: provider "claude" has no usable keys/,
      ),
      "switchyard.yaml warning clients: no clients are configured: the gateway will accept requests without a key",
      "switchyard.yaml: OK, 2 warnings; 2 providers (1 skipped: claude), 2 models, 0 clients",
      "",
    ]);
  });

  it("returns 1 for a file that does not exist", async () => {
    const { code, output } = await run({ path: "nowhere.yaml", env: {} });
    expect(code).toBe(1);
    expect(output).toContain("nowhere.yaml cannot read the config file: no such file");
  });

  it("prints JSON when asked", async () => {
    const { code, output } = await run({ path: BROKEN, env: {}, json: true });
    expect(code).toBe(1);
    const report = JSON.parse(output) as { ok: boolean; problems: unknown[]; loaded?: unknown };
    expect(report.ok).toBe(false);
    expect(report.problems).toHaveLength(2);
    expect(report.loaded).toBeUndefined();
  });

  it("prints the loaded config with secrets redacted when asked", async () => {
    const { code, output } = await run({
      path: "switchyard.yaml",
      env: { OPENAI_API_KEY: "sk-very-secret", ANTHROPIC_API_KEY: "sk-ant-secret" },
      print: true,
    });
    expect(code).toBe(0);
    expect(output).toContain('key: "***redacted***"');
    expect(output).toContain("name: smart");
    expect(output).not.toContain("secret");
  });
});
