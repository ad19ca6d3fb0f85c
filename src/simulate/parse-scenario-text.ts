import { readFile } from "node:fs/promises";
import { type Document, LineCounter, parseDocument } from "yaml";
import { ConfigError, type ConfigProblem } from "../config/config-error.js";
import { formatPath, type PathSegment } from "../config/config-path.js";
import { closestMatch } from "../config/did-you-mean.js";
import { type Aim, locatePath } from "../config/locate-node.js";
import { yamlErrorToProblem } from "../config/yaml-problems.js";
import { issuesToProblems } from "../config/zod-problems.js";
import { type Scenario, scenarioSchema } from "./scenario-schema.js";

/** What a scenario may name, from the config it runs against. */
export interface ScenarioNames {
  /** Models clients can ask for (the gateway's route names). */
  models: readonly string[];
  /** Names a `providers:` entry may use: `*`, `provider`, `provider#key`, `provider/model`, ... */
  profiles: readonly string[];
}

export interface ParseScenarioOptions {
  /** The file name used in problems; default `scenario.yaml`. */
  path?: string;
  /** When given, model and provider names are checked against these. */
  names?: ScenarioNames;
}

/**
 * Parses and validates a scenario's text. Throws a `ConfigError` listing every problem, each with its
 * path, line and column (`outage.yaml:12:15 providers.primary.faults[0].to: must be after from`).
 */
export function parseScenarioText(text: string, options: ParseScenarioOptions = {}): Scenario {
  const file = options.path ?? "scenario.yaml";
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((error) => yamlErrorToProblem(error, text, lineCounter)),
    );
  }
  const place = (path: readonly PathSegment[], aim: Aim) => locatePath(doc, lineCounter, path, aim);
  const data = toPlainData(doc);
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new ConfigError(file, [
      {
        path: "",
        ...place([], "value"),
        message: "a scenario is a mapping (seed:, durationMs:, traffic:, providers:)",
      },
    ]);
  }
  const problems: ConfigProblem[] = [];
  const result = scenarioSchema.safeParse(data);
  if (!result.success) problems.push(...issuesToProblems(result.error.issues, data, place));
  if (options.names) {
    const reported = new Set(problems.map((problem) => problem.path));
    for (const problem of crossCheckNames(data as Record<string, unknown>, options.names)) {
      const path = formatPath(problem.path);
      if (!reported.has(path)) {
        problems.push({ path, ...place(problem.path, "key"), message: problem.message });
      }
    }
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(file, problems);
  return result.data;
}

/** Reads and parses a scenario file (a file that cannot be read is one problem, with no line). */
export async function loadScenario(path: string, names?: ScenarioNames): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why =
      code === "ENOENT" ? "no such file" : error instanceof Error ? error.message : String(error);
    throw new ConfigError(path, [
      { path: "", line: 0, column: 0, message: `cannot read the scenario file: ${why}` },
    ]);
  }
  return parseScenarioText(text, { path, names });
}

interface NameProblem {
  path: PathSegment[];
  message: string;
}

function crossCheckNames(data: Record<string, unknown>, names: ScenarioNames): NameProblem[] {
  const problems: NameProblem[] = [];
  const traffic = data.traffic as { models?: unknown } | undefined;
  const models = traffic?.models;
  if (models && typeof models === "object") {
    for (const name of Object.keys(models)) {
      if (!names.models.includes(name)) {
        problems.push({
          path: ["traffic", "models", name],
          message: unknownName("model", name, names.models),
        });
      }
    }
  }
  const providers = data.providers;
  if (providers && typeof providers === "object") {
    for (const name of Object.keys(providers)) {
      if (!names.profiles.includes(name)) {
        problems.push({
          path: ["providers", name],
          message: `${unknownName("provider or target", name, names.profiles)}; use "*", a provider, provider#key, provider/model or provider#key/model`,
        });
      }
    }
  }
  return problems;
}

function unknownName(what: string, name: string, known: readonly string[]): string {
  const hint = closestMatch(name, known);
  if (hint !== undefined) return `unknown ${what} "${name}" (did you mean "${hint}"?)`;
  const list = known.length <= 12 ? ` (known: ${known.join(", ")})` : "";
  return `unknown ${what} "${name}" in the config${list}`;
}

function toPlainData(doc: Document): unknown {
  try {
    return doc.toJS({ maxAliasCount: 1000 });
  } catch {
    return undefined;
  }
}
