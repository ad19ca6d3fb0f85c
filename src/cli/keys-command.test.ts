import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfigText } from "../config/index.js";
import { Gateway } from "../gateway/gateway.js";
import { runCli } from "./run-cli.js";

const ADMIN_KEY = "cli-admin-key";
const folder = mkdtempSync(join(tmpdir(), "switchyard-cli-keys-"));
let gateway: Gateway;
let url: string;

beforeAll(async () => {
  const text = `
server: { host: 127.0.0.1, port: 0, adminKey: ${ADMIN_KEY} }
providers:
  - { name: local, type: openai-compatible, preset: ollama }
models:
  - { name: smart, targets: [{ provider: local, model: llama3.2 }] }
database: { url: "sqlite:${join(folder, "keys.db")}" }
`;
  const silent = { info() {}, warn() {}, error() {} };
  gateway = new Gateway(parseConfigText(text, { env: {} }), { logger: silent });
  url = await gateway.listen({ host: "127.0.0.1", port: 0 });
});
afterAll(async () => {
  await gateway.close(0);
  rmSync(folder, { recursive: true, force: true });
});

async function cli(
  args: string[],
  env: Record<string, string> = { SWITCHYARD_ADMIN_KEY: ADMIN_KEY },
) {
  const out: string[] = [];
  const err: string[] = [];
  const outcome = await runCli(args, {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    env,
    cwd: folder,
  });
  return {
    exitCode: "exitCode" in outcome ? outcome.exitCode : -1,
    out: out.join(""),
    err: err.join(""),
  };
}

describe("switchyard keys and teams", () => {
  it("create, list, show, rotate and revoke keys on a running gateway", async () => {
    const team = await cli([
      "teams",
      "create",
      "--url",
      url,
      "--name",
      "research",
      "--rpm",
      "10",
      "--json",
    ]);
    expect(team.exitCode).toBe(0);
    const teamId = JSON.parse(team.out).id as string;

    const created = await cli([
      "keys",
      "create",
      "--url",
      url,
      "--name",
      "ci",
      "--models",
      "smart",
      "--budget-usd",
      "5",
      "--team",
      teamId,
    ]);
    expect(created.exitCode).toBe(0);
    const id = /created (key_\S+) \(ci\)/.exec(created.out)?.[1] ?? "";
    const key = /key: (sk-sy-\S+)/.exec(created.out)?.[1] ?? "";
    expect(id).not.toBe("");
    expect(key).toHaveLength(49);

    const listed = await cli(["keys", "list", "--url", url]);
    expect(listed.out).toContain(id);
    expect(listed.out).toContain("$5/month");
    expect(listed.out).not.toContain(key);

    const shown = await cli(["keys", "show", id, "--url", url, "--json"]);
    expect(JSON.parse(shown.out)).toMatchObject({ id, team: teamId, models: ["smart"] });

    const rotated = await cli(["keys", "rotate", id, "--url", url, "--grace-period-ms", "1000"]);
    expect(rotated.out).toMatch(/key: sk-sy-/);
    expect(rotated.out).not.toContain(key);

    const revoked = await cli(["keys", "revoke", id, "--url", url]);
    expect(revoked.out).toBe(`revoked ${id}\n`);
    const teams = await cli(["teams", "list", "--url", url]);
    expect(teams.out).toContain("research");
  });

  it("says what is wrong: no admin key, a bad option, the gateway's 400", async () => {
    const noKey = await cli(["keys", "list", "--url", url], {});
    expect(noKey.exitCode).toBe(2);
    expect(noKey.err).toContain("SWITCHYARD_ADMIN_KEY");
    const badRpm = await cli(["keys", "create", "--url", url, "--name", "x", "--rpm", "fast"]);
    expect(badRpm.exitCode).toBe(2);
    expect(badRpm.err).toContain('--rpm must be a whole number >= 1, got "fast"');
    const badTeam = await cli(["keys", "create", "--url", url, "--name", "x", "--team", "team_no"]);
    expect(badTeam.exitCode).toBe(1);
    expect(badTeam.err).toContain("400: team: no team with id 'team_no'");
    const wrongKey = await cli(["keys", "list", "--url", url], { SWITCHYARD_ADMIN_KEY: "nope" });
    expect(wrongKey.err).toContain("401: admin key required");
  });
});
