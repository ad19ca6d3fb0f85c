import type { z } from "zod";
import type { ConfigProblem } from "./config-error.js";
import { formatPath, type PathSegment } from "./config-path.js";
import { closestMatch } from "./did-you-mean.js";
import type { Aim, Place } from "./locate-node.js";
import { KNOWN_KEYS_MARK, type KnownKeys } from "./schema-helpers.js";
import { isSecretPath } from "./secret-paths.js";

type Issue = z.core.$ZodIssue;

/** Places a path in the source text. */
export type PlacePath = (path: readonly PathSegment[], aim: Aim) => Place;

/** Turns zod's issues into problems that name the key and the fault, placed in the text. */
export function issuesToProblems(
  issues: readonly Issue[],
  input: unknown,
  place: PlacePath,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: readonly PathSegment[], aim: Aim, message: string): void => {
    problems.push({ path: formatPath(path), ...place(path, aim), message });
  };
  const visit = (issue: Issue, prefix: readonly PathSegment[]): void => {
    const path = [...prefix, ...issue.path.map(toSegment)];
    const value = valueAt(input, path);
    switch (issue.code) {
      case "unrecognized_keys": {
        const known = decodeKnownKeys(issue.message);
        for (const key of issue.keys) add([...path, key], "key", unknownKeyMessage(key, known));
        return;
      }
      case "invalid_union": {
        const branch = deepestBranch(issue.errors);
        if (branch !== undefined) {
          for (const inner of branch) visit(inner, path);
          return;
        }
        add(path, value === undefined ? "parent" : "value", withGot(issue.message, path, value));
        return;
      }
      case "invalid_type":
        if (value === undefined) add(path, "parent", "required");
        else
          add(
            path,
            "value",
            `expected ${describeType(issue.expected)}, got ${describe(path, value)}`,
          );
        return;
      case "invalid_value": {
        const options = issue.values.map((option) => String(option));
        const hint =
          typeof value === "string" && !isSecretPath(path)
            ? closestMatch(value, options)
            : undefined;
        const suggestion = hint === undefined ? "" : ` (did you mean "${hint}"?)`;
        add(
          path,
          value === undefined ? "parent" : "value",
          value === undefined
            ? `required (one of: ${options.join(", ")})`
            : `must be one of: ${options.join(", ")}; got ${describe(path, value)}${suggestion}`,
        );
        return;
      }
      case "too_small":
      case "too_big":
        add(path, "value", sizeMessage(issue, path, value));
        return;
      default:
        add(path, value === undefined ? "parent" : "value", issue.message);
    }
  };
  for (const issue of issues) visit(issue, []);
  return problems;
}

function toSegment(key: PropertyKey): PathSegment {
  return typeof key === "number" ? key : String(key);
}

function unknownKeyMessage(key: string, known: KnownKeys | undefined): string {
  if (known === undefined) return `unknown key "${key}"`;
  const hint = Object.hasOwn(known.hints, key) ? known.hints[key] : undefined;
  if (hint !== undefined) return hint;
  const match = closestMatch(key, known.known);
  if (match !== undefined) return `unknown key "${key}" (did you mean "${match}"?)`;
  return known.known.length <= 10
    ? `unknown key "${key}" (allowed: ${known.known.join(", ")})`
    : `unknown key "${key}"`;
}

function decodeKnownKeys(message: string): KnownKeys | undefined {
  if (!message.startsWith(KNOWN_KEYS_MARK)) return undefined;
  return JSON.parse(message.slice(KNOWN_KEYS_MARK.length)) as KnownKeys;
}

/** The branch of a failed union that got furthest: one whose issues all lie below its root. */
function deepestBranch(branches: readonly (readonly Issue[])[]): readonly Issue[] | undefined {
  return branches.find(
    (branch) =>
      branch.length > 0 &&
      branch.every((issue) => issue.path.length > 0 || issue.code === "unrecognized_keys"),
  );
}

function sizeMessage(
  issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig,
  path: readonly PathSegment[],
  value: unknown,
): string {
  const small = issue.code === "too_small";
  const limit = Number(small ? issue.minimum : issue.maximum);
  switch (issue.origin) {
    case "array":
      return small
        ? `must list at least ${limit} item${limit === 1 ? "" : "s"}`
        : `must list at most ${limit} items`;
    case "string":
      return small && limit === 1 ? "must not be empty" : issue.message;
    default: {
      const inclusive = issue.inclusive !== false;
      const bound = small
        ? inclusive
          ? `at least ${limit}`
          : `greater than ${limit}`
        : inclusive
          ? `at most ${limit}`
          : `less than ${limit}`;
      return `must be ${bound}, got ${describe(path, value)}`;
    }
  }
}

function withGot(message: string, path: readonly PathSegment[], value: unknown): string {
  return value === undefined ? message : `${message}, got ${describe(path, value)}`;
}

function describeType(expected: string): string {
  switch (expected) {
    case "object":
    case "record":
      return "a mapping";
    case "array":
      return "a list";
    case "int":
      return "a whole number";
    case "number":
      return "a number";
    case "boolean":
      return "true or false";
    case "string":
      return "text";
    default:
      return expected;
  }
}

/** A value as a message may show it: never a secret, never long. */
export function describe(path: readonly PathSegment[], value: unknown): string {
  if (isSecretPath(path)) return "***";
  if (value === null) return "nothing (null)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") {
    const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return JSON.stringify(shown);
  }
  return String(value);
}

/** The value at `path` in plain data, or `undefined`. */
export function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    if (!Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[String(segment)];
  }
  return current;
}
