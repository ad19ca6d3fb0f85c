import type { Command } from "commander";
import { formatTime, parseTime } from "../store/parse-time.js";
import { formatTable } from "./logs-command.js";

/** What the `keys` and `teams` commands need from the CLI's process. */
export interface AdminCliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  /** Injected in tests; default the global fetch. */
  fetch?: typeof fetch;
}

const DEFAULT_URL = "http://127.0.0.1:8787";

interface CommonOptions {
  url?: string;
  json?: boolean;
}

interface LimitOptions extends CommonOptions {
  name?: string;
  models?: string;
  rpm?: string;
  tpm?: string;
  budgetUsd?: string;
  budgetPeriod?: string;
  metadata?: string;
}

interface KeyOptions extends LimitOptions {
  team?: string;
  expires?: string;
}

/** A bad option, reported without a stack and with exit code 2. */
class UsageError extends Error {}

/**
 * `switchyard keys create|list|show|update|rotate|revoke` and `switchyard teams
 * create|list|show|update|delete`: the admin API of a running gateway (`--url`, default
 * `$SWITCHYARD_URL` or http://127.0.0.1:8787), with the admin key from `$SWITCHYARD_ADMIN_KEY`.
 */
export function addKeyCommands(
  program: Command,
  io: AdminCliIo,
  done: (exitCode: number) => void,
): void {
  const run =
    <Args extends unknown[]>(work: (...args: Args) => Promise<void>) =>
    async (...args: Args): Promise<void> => {
      try {
        await work(...args);
        done(0);
      } catch (error) {
        io.stderr(`error: ${error instanceof Error ? error.message : String(error)}\n`);
        done(error instanceof UsageError ? 2 : 1);
      }
    };
  const call = (options: CommonOptions, method: string, path: string, body?: unknown) =>
    adminCall(io, options, method, path, body);
  const print = (options: CommonOptions, value: unknown, human: () => string) =>
    io.stdout(options.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);

  const keys = program
    .command("keys")
    .description("runtime virtual keys on a running gateway (admin key: $SWITCHYARD_ADMIN_KEY)");
  withLimits(keys.command("create").description("make a key; it is shown this once"), true)
    .option("--team <id>", "the team whose limits bind the key")
    .option("--expires <time>", "when the key stops working (ISO date-time or epoch ms)")
    .action(
      run(async (options: KeyOptions) => {
        const created = await call(options, "POST", "/admin/keys", keyBody(options, true));
        print(options, created, () => {
          const { id, name, key } = created as { id: string; name: string; key: string };
          return `created ${id} (${name})\nkey: ${key}\nthe key is shown this once: store it now`;
        });
      }),
    );
  common(keys.command("list").description("list keys (never the keys themselves)")).action(
    run(async (options: CommonOptions) => {
      const answer = (await call(options, "GET", "/admin/keys")) as { keys: KeyRow[] };
      print(options, answer, () => keyTable(answer.keys));
    }),
  );
  common(keys.command("show").argument("<id>").description("one key's details")).action(
    run(async (id: string, options: CommonOptions) => {
      const key = await call(options, "GET", `/admin/keys/${encodeURIComponent(id)}`);
      print(options, key, () => JSON.stringify(key, null, 2));
    }),
  );
  withLimits(keys.command("update").argument("<id>").description("change a key's limits"), false)
    .option("--team <id>", "move the key to this team")
    .option("--expires <time>", "when the key stops working (ISO date-time or epoch ms)")
    .action(
      run(async (id: string, options: KeyOptions) => {
        const path = `/admin/keys/${encodeURIComponent(id)}`;
        const key = await call(options, "PATCH", path, keyBody(options, false));
        print(options, key, () => JSON.stringify(key, null, 2));
      }),
    );
  common(keys.command("rotate").argument("<id>").description("a new key for the same id"))
    .option("--grace-period-ms <ms>", "how long the old key keeps working", "0")
    .action(
      run(async (id: string, options: CommonOptions & { gracePeriodMs: string }) => {
        const gracePeriodMs = whole(options.gracePeriodMs, "--grace-period-ms", 0);
        const path = `/admin/keys/${encodeURIComponent(id)}/rotate`;
        const rotated = await call(options, "POST", path, { gracePeriodMs });
        print(options, rotated, () => {
          const { key } = rotated as { key: string };
          return `rotated ${id}\nkey: ${key}\nthe key is shown this once: store it now`;
        });
      }),
    );
  common(
    keys.command("revoke").argument("<id>").description("stop a key working everywhere"),
  ).action(
    run(async (id: string, options: CommonOptions) => {
      const key = await call(options, "DELETE", `/admin/keys/${encodeURIComponent(id)}`);
      print(options, key, () => `revoked ${id}`);
    }),
  );

  const teams = program
    .command("teams")
    .description("teams of runtime keys on a running gateway (admin key: $SWITCHYARD_ADMIN_KEY)");
  withLimits(teams.command("create").description("make a team"), true).action(
    run(async (options: LimitOptions) => {
      const team = await call(options, "POST", "/admin/teams", limitsBody(options, true));
      print(options, team, () => {
        const { id, name } = team as { id: string; name: string };
        return `created ${id} (${name})`;
      });
    }),
  );
  common(teams.command("list").description("list teams")).action(
    run(async (options: CommonOptions) => {
      const answer = (await call(options, "GET", "/admin/teams")) as { teams: KeyRow[] };
      print(options, answer, () => teamTable(answer.teams));
    }),
  );
  common(teams.command("show").argument("<id>").description("one team's details")).action(
    run(async (id: string, options: CommonOptions) => {
      const team = await call(options, "GET", `/admin/teams/${encodeURIComponent(id)}`);
      print(options, team, () => JSON.stringify(team, null, 2));
    }),
  );
  withLimits(teams.command("update").argument("<id>").description("change a team"), false).action(
    run(async (id: string, options: LimitOptions) => {
      const path = `/admin/teams/${encodeURIComponent(id)}`;
      const team = await call(options, "PATCH", path, limitsBody(options, false));
      print(options, team, () => JSON.stringify(team, null, 2));
    }),
  );
  common(
    teams.command("delete").argument("<id>").description("delete a team (its keys stop)"),
  ).action(
    run(async (id: string, options: CommonOptions) => {
      const team = await call(options, "DELETE", `/admin/teams/${encodeURIComponent(id)}`);
      print(options, team, () => `deleted ${id}`);
    }),
  );
}

function common(command: Command): Command {
  return command
    .option("--url <url>", `the gateway (default $SWITCHYARD_URL or ${DEFAULT_URL})`)
    .option("--json", "print the answer as JSON");
}

function withLimits(command: Command, nameRequired: boolean): Command {
  return common(command)
    .option("--name <name>", nameRequired ? "a name to tell it by (required)" : "a new name")
    .option("--models <list>", "comma-separated models it may use")
    .option("--rpm <n>", "requests per minute")
    .option("--tpm <n>", "tokens per minute")
    .option("--budget-usd <usd>", "spending limit per period")
    .option("--budget-period <period>", "day or month (default month)")
    .option("--metadata <json>", "a JSON object kept with it");
}

function keyBody(options: KeyOptions, creating: boolean): Record<string, unknown> {
  const body = limitsBody(options, creating);
  if (options.team !== undefined) body.team = options.team;
  if (options.expires !== undefined) {
    body.expiresAt = futureTime(options.expires);
  }
  return body;
}

function limitsBody(options: LimitOptions, creating: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (options.name !== undefined) body.name = options.name;
  else if (creating) throw new UsageError("--name is required");
  if (options.models !== undefined) {
    body.models = options.models
      .split(",")
      .map((model) => model.trim())
      .filter(Boolean);
  }
  const rateLimit: Record<string, number> = {};
  if (options.rpm !== undefined) rateLimit.rpm = whole(options.rpm, "--rpm", 1);
  if (options.tpm !== undefined) rateLimit.tpm = whole(options.tpm, "--tpm", 1);
  if (Object.keys(rateLimit).length > 0) body.rateLimit = rateLimit;
  if (options.budgetUsd !== undefined) {
    const usd = Number(options.budgetUsd);
    if (!(usd > 0))
      throw new UsageError(`--budget-usd must be above 0, got "${options.budgetUsd}"`);
    body.budget = { usd, period: options.budgetPeriod ?? "month" };
  } else if (options.budgetPeriod !== undefined) {
    throw new UsageError("--budget-period needs --budget-usd");
  }
  if (options.metadata !== undefined) {
    try {
      body.metadata = JSON.parse(options.metadata) as unknown;
    } catch {
      throw new UsageError("--metadata must be a JSON object");
    }
  }
  return body;
}

function futureTime(text: string): number {
  try {
    return parseTime(text, Date.now());
  } catch (error) {
    throw new UsageError(`--expires: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function whole(text: string, option: string, least: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < least) {
    throw new UsageError(`${option} must be a whole number >= ${least}, got "${text}"`);
  }
  return value;
}

async function adminCall(
  io: AdminCliIo,
  options: CommonOptions,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const adminKey = io.env.SWITCHYARD_ADMIN_KEY;
  if (!adminKey) throw new UsageError("set SWITCHYARD_ADMIN_KEY to the gateway's admin key");
  const base = (options.url ?? io.env.SWITCHYARD_URL ?? DEFAULT_URL).replace(/\/+$/, "");
  const send = io.fetch ?? fetch;
  let response: Response;
  try {
    response = await send(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    const reason = error instanceof Error ? (error.cause ?? error).toString() : String(error);
    throw new Error(`cannot reach ${base}: ${reason}`);
  }
  const text = await response.text();
  let answer: unknown;
  try {
    answer = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    answer = undefined;
  }
  if (!response.ok) {
    const message = (answer as { error?: { message?: string } } | undefined)?.error?.message;
    throw new Error(`${response.status}: ${message ?? text.slice(0, 200)}`);
  }
  return answer;
}

interface KeyRow {
  id: string;
  name: string;
  prefix?: string;
  status?: string;
  team?: string;
  models?: string[];
  rateLimit?: { rpm?: number; tpm?: number };
  budget?: { usd: number; period: string };
  lastUsedAt?: number;
}

function limitCells(row: KeyRow): string[] {
  return [
    row.models?.join(",") ?? "all",
    row.rateLimit?.rpm === undefined ? "-" : String(row.rateLimit.rpm),
    row.budget ? `$${row.budget.usd}/${row.budget.period}` : "-",
  ];
}

function keyTable(rows: readonly KeyRow[]): string {
  if (rows.length === 0) return "no keys";
  return formatTable(
    ["ID", "NAME", "PREFIX", "STATUS", "TEAM", "MODELS", "RPM", "BUDGET", "LAST USED"],
    rows.map((row) => [
      row.id,
      row.name,
      `${row.prefix ?? ""}...`,
      row.status ?? "",
      row.team ?? "-",
      ...limitCells(row),
      row.lastUsedAt === undefined ? "never" : formatTime(row.lastUsedAt),
    ]),
  ).join("\n");
}

function teamTable(rows: readonly KeyRow[]): string {
  if (rows.length === 0) return "no teams";
  return formatTable(
    ["ID", "NAME", "MODELS", "RPM", "BUDGET"],
    rows.map((row) => [row.id, row.name, ...limitCells(row)]),
  ).join("\n");
}
