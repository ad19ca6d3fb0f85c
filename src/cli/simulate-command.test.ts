import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { runSimulateCommand, type SimulateCommandOptions } from "./simulate-command.js";

const CONFIG = "src/simulate/fixtures/two-providers.yaml";
const SCENARIO = "src/simulate/fixtures/small-outage.yaml";
const BROKEN = "src/simulate/fixtures/broken-scenario.yaml";

async function run(options: SimulateCommandOptions) {
  let output = "";
  let errors = "";
  const code = await runSimulateCommand({
    env: {},
    ...options,
    write: (text) => (output += text),
    writeError: (text) => (errors += text),
  });
  return { code, output, errors };
}

describe("switchyard simulate", () => {
  it("prints the terminal summary and returns 0", async () => {
    const { code, output, errors } = await run({ config: CONFIG, scenario: SCENARIO });
    expect(code).toBe(0);
    expect(errors).toBe("");
    expect(output).toMatch(
      /^Simulation "small outage": 4m of virtual time, seed 2, buckets of 5s\n/,
    );
    expect(output).toMatch(/\n {2}chat {2}primary\/big\s+[.#hcu]+\n/);
  });

  it("prints the numbers as one JSON object with --json, the same for the same seed", async () => {
    const first = await run({ config: CONFIG, scenario: SCENARIO, json: true });
    const second = await run({ config: CONFIG, scenario: SCENARIO, json: true });
    const reseeded = await run({ config: CONFIG, scenario: SCENARIO, json: true, seed: 3 });
    expect(first.code).toBe(0);
    expect(first.output.trim().split("\n")).toHaveLength(1);
    const report = JSON.parse(first.output) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual(["scenario", "summary", "models", "targets", "timeline"]);
    expect(report.scenario).toMatchObject({ name: "small outage", seed: 2, durationMs: 240_000 });
    expect(second.output).toBe(first.output);
    expect((JSON.parse(reseeded.output) as { scenario: { seed: number } }).scenario.seed).toBe(3);
    expect(reseeded.output).not.toBe(first.output);
  });

  it("writes a self-contained HTML report with --html", async () => {
    const directory = await mkdtemp(join(tmpdir(), "switchyard-simulate-"));
    try {
      const file = join(directory, "report.html");
      const { code, errors } = await run({ config: CONFIG, scenario: SCENARIO, html: file });
      expect(code).toBe(0);
      expect(errors).toBe(`wrote ${file}\n`);
      const html = await readFile(file, "utf8");
      expect(html).toContain("<svg ");
      expect(html).not.toMatch(/https?:\/\//);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it("prints every scenario problem with file:line:column and returns 1", async () => {
    const { code, output, errors } = await run({ config: CONFIG, scenario: BROKEN });
    expect(code).toBe(1);
    expect(output).toBe("");
    expect(errors.split("\n")).toEqual([
      `${BROKEN}:3:31 traffic.models.chta: unknown model "chta" (did you mean "chat"?)`,
      `${BROKEN}:7:39 providers.primary.faults[0].to: must be after from (120000 ms), got 60000 ms`,
      "",
    ]);
  });

  it("returns 1 for files that cannot be read and for a bad seed", async () => {
    const missing = await run({ config: "no-such.yaml", scenario: SCENARIO });
    expect(missing.code).toBe(1);
    expect(missing.errors).toBe("no-such.yaml cannot read the config file: no such file\n");
    const noScenario = await run({ config: CONFIG, scenario: "nope.yaml" });
    expect(noScenario.errors).toBe("nope.yaml cannot read the scenario file: no such file\n");
    const seed = await run({ config: CONFIG, scenario: SCENARIO, seed: -1 });
    expect(seed.code).toBe(1);
    expect(seed.errors).toBe("--seed must be a whole number from 0 to 4294967295, got -1\n");
  });

  it("is wired into the CLI as `switchyard simulate`", async () => {
    let stdout = "";
    let stderr = "";
    const outcome = await runCli(
      ["simulate", "--config", CONFIG, "--scenario", SCENARIO, "--json", "--seed", "9"],
      {
        stdout: (text) => (stdout += text),
        stderr: (text) => (stderr += text),
        env: {},
        cwd: process.cwd(),
      },
    );
    expect(outcome).toEqual({ exitCode: 0 });
    expect(stderr).toBe("");
    expect((JSON.parse(stdout) as { scenario: { seed: number } }).scenario.seed).toBe(9);
  });
});
