/**
 * Turns a zod issue into a precise, vendor-neutral description of what is wrong with one request
 * parameter: its path, whether it is missing, and a short problem text ("expected a string or an
 * array, got a number"). Unions are resolved to the branch that got furthest, so a bad
 * `messages[0].content[1].image_url.url` is reported there rather than as "invalid input" at
 * `messages`. Parse with `parseReportingInput` so the received value can be named.
 */
import type { z } from "zod";

type Issue = z.core.$ZodIssue;

export type IssueCode = "missing_required_parameter" | "invalid_type" | "invalid_value";

export interface IssueDescription {
  path: PropertyKey[];
  code: IssueCode;
  /** What is wrong, without the parameter name: "expected a number, got a string". */
  problem: string;
}

interface Leaf {
  path: PropertyKey[];
  issue: Issue;
  /** Types and literal values a union would have accepted, when `issue` stands for a union. */
  expectedTypes: string[];
  expectedValues: unknown[];
}

export function describeZodIssue(issue: Issue): IssueDescription {
  const leaf = resolve(issue, []);
  return describeLeaf(leaf);
}

function resolve(issue: Issue, prefix: PropertyKey[]): Leaf {
  const path = prefix.concat(issue.path);
  if (issue.code !== "invalid_union" || issue.errors.length === 0) {
    return { path, issue, expectedTypes: [], expectedValues: [] };
  }
  let best: Leaf | undefined;
  const shallow: Leaf[] = [];
  for (const branch of issue.errors) {
    const first = branch[0];
    if (first === undefined) continue;
    const leaf = resolve(first, path);
    if (leaf.path.length > path.length) {
      if (best === undefined || leaf.path.length > best.path.length) best = leaf;
    } else {
      shallow.push(leaf);
    }
  }
  if (best !== undefined) return best;
  const merged: Leaf = { path, issue, expectedTypes: [], expectedValues: [] };
  for (const leaf of shallow) {
    const inner = leaf.issue;
    if (inner.code === "invalid_type") merged.expectedTypes.push(inner.expected);
    else if (inner.code === "invalid_value") merged.expectedValues.push(...inner.values);
    merged.expectedTypes.push(...leaf.expectedTypes);
    merged.expectedValues.push(...leaf.expectedValues);
  }
  return merged;
}

function describeLeaf(leaf: Leaf): IssueDescription {
  const { issue, path } = leaf;
  const input = "input" in issue ? issue.input : undefined;
  switch (issue.code) {
    case "invalid_type":
      if (input === undefined) {
        return { path, code: "missing_required_parameter", problem: "is required" };
      }
      if (typeof input === "number" && !Number.isFinite(input)) {
        // JSON has no infinity: a literal too large for a double (`1e999`) parses to one.
        return { path, code: "invalid_value", problem: "is out of range (too large a number)" };
      }
      return {
        path,
        code: "invalid_type",
        problem: `expected ${typeName(issue.expected)}, got ${describeType(input)}`,
      };
    case "invalid_value":
      return {
        path,
        code: "invalid_value",
        problem: `expected ${oneOf(issue.values)}, got ${showValue(input)}`,
      };
    case "invalid_union": {
      const options = "options" in issue ? issue.options : undefined;
      if (issue.discriminator !== undefined && options !== undefined) {
        // The issue's input is the whole object; the path already ends at the discriminator.
        const value = isRecord(input) ? input[issue.discriminator] : undefined;
        if (value === undefined) {
          return { path, code: "missing_required_parameter", problem: "is required" };
        }
        return {
          path,
          code: "invalid_value",
          problem: `expected ${oneOf(options)}, got ${showValue(value)}`,
        };
      }
      if (input === undefined) {
        return { path, code: "missing_required_parameter", problem: "is required" };
      }
      if (typeof input === "number" && !Number.isFinite(input)) {
        // JSON has no infinity: a literal too large for a double (`1e999`) parses to one.
        return { path, code: "invalid_value", problem: "is out of range (too large a number)" };
      }
      const expected = leaf.expectedValues
        .map(quote)
        .concat(unique(leaf.expectedTypes).map(typeName));
      if (expected.length === 0) {
        return { path, code: "invalid_value", problem: "does not match any accepted form" };
      }
      return {
        path,
        code: leaf.expectedValues.length > 0 ? "invalid_value" : "invalid_type",
        problem: `expected ${joinOr(expected)}, got ${leaf.expectedValues.length > 0 ? showValue(input) : describeType(input)}`,
      };
    }
    case "too_small":
      return { path, code: "invalid_value", problem: bound("at least", "greater than", issue) };
    case "too_big":
      return { path, code: "invalid_value", problem: bound("at most", "less than", issue) };
    default:
      return { path, code: "invalid_value", problem: issue.message };
  }
}

function bound(
  inclusiveWord: string,
  exclusiveWord: string,
  issue: Extract<Issue, { code: "too_small" | "too_big" }>,
): string {
  const limit = issue.code === "too_small" ? issue.minimum : issue.maximum;
  const word = issue.inclusive === false ? exclusiveWord : inclusiveWord;
  switch (issue.origin) {
    case "array":
    case "set":
      return `must have ${word} ${String(limit)} item(s)`;
    case "string":
      return `must have ${word} ${String(limit)} character(s)`;
    default:
      return `must be ${word} ${String(limit)}`;
  }
}

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  bigint: "an integer",
  boolean: "a boolean",
  object: "an object",
  record: "an object",
  array: "an array",
  tuple: "an array",
  null: "null",
};

function typeName(expected: string): string {
  return TYPE_NAMES[expected] ?? expected;
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number") return Number.isInteger(value) ? "an integer" : "a number";
  return typeName(typeof value);
}

function showValue(value: unknown): string {
  if (typeof value === "string") return quote(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null) {
    return String(value);
  }
  return describeType(value);
}

function quote(value: unknown): string {
  const text = String(value);
  return `'${text.length > 40 ? `${text.slice(0, 40)}...` : text}'`;
}

function oneOf(values: readonly unknown[]): string {
  if (values.length === 1) return quote(values[0]);
  return `one of ${values.map(quote).join(", ")}`;
}

function joinOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
