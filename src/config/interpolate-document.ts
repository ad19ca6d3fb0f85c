import { type Document, isMap, isPair, isScalar, isSeq, type Node, type Scalar } from "yaml";
import type { ConfigProblem } from "./config-error.js";
import { formatPath, type PathSegment } from "./config-path.js";
import { type Environment, interpolateEnv } from "./interpolate-env.js";

/** A provider key left out because the variable it reads is unset or empty. */
export interface DroppedKey {
  providerIndex: number;
  keyIndex: number;
  variables: string[];
}

export interface DocumentInterpolation {
  problems: ConfigProblem[];
  droppedKeys: DroppedKey[];
}

/** Converts an offset in the source text to a 1-based line and column. */
export type Locate = (offset: number) => { line: number; column: number };

/** Stands in for a dropped key until validation is over; the entry is then removed. */
const DROPPED_KEY_PLACEHOLDER = "dropped";

/**
 * Interpolates `${VAR}` references in every string scalar of `doc`, in place, so node ranges (and so
 * line numbers) stay as they were. Mapping keys are never interpolated. Rules:
 * - a variable that is unset, referenced without a default, is a problem naming it and the path;
 * - a mapping value that is exactly one reference and comes out empty is removed, as if absent;
 * - except for `providers[i].keys[j].key` (and a bedrock key's `accessKeyId` and `secretAccessKey`):
 *   when its variable is unset or empty, the whole key entry is dropped (reported in `droppedKeys`),
 *   not an error.
 */
export function interpolateDocument(
  doc: Document,
  source: string,
  env: Environment,
  locate: Locate,
): DocumentInterpolation {
  const outcome: DocumentInterpolation = { problems: [], droppedKeys: [] };
  const visit = (node: unknown, path: PathSegment[]): void => {
    if (isMap(node)) {
      for (let index = node.items.length - 1; index >= 0; index--) {
        const pair = node.items[index];
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const segment = String(pair.key.value);
        const childPath = [...path, segment];
        if (isScalar(pair.value) && typeof pair.value.value === "string") {
          const verdict = interpolateScalar(pair.value, childPath, source, env, locate, outcome);
          if (verdict === "absent") node.items.splice(index, 1);
        } else {
          visit(pair.value, childPath);
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        if (isScalar(item) && typeof item.value === "string") {
          interpolateScalar(item, [...path, index], source, env, locate, outcome);
        } else {
          visit(item, [...path, index]);
        }
      });
    }
  };
  if (isScalar(doc.contents) && typeof doc.contents.value === "string") {
    interpolateScalar(doc.contents, [], source, env, locate, outcome);
  } else {
    visit(doc.contents, []);
  }
  return outcome;
}

function interpolateScalar(
  scalar: Scalar,
  path: PathSegment[],
  source: string,
  env: Environment,
  locate: Locate,
  outcome: DocumentInterpolation,
): "kept" | "absent" {
  const text = scalar.value as string;
  if (!text.includes("${")) return "kept";
  const result = interpolateEnv(text, env);
  for (const error of result.errors) {
    outcome.problems.push({
      path: formatPath(path),
      ...locate(sourceOffset(scalar, source, text, error.offset)),
      message: error.message,
    });
  }
  const providerIndex = path[1];
  const keyIndex = path[3];
  const isProviderKey =
    path.length === 5 &&
    path[0] === "providers" &&
    path[2] === "keys" &&
    (path[4] === "key" || path[4] === "accessKeyId" || path[4] === "secretAccessKey") &&
    typeof providerIndex === "number" &&
    typeof keyIndex === "number";
  const empty = result.wholeReference && result.value === "";
  if (isProviderKey && result.errors.length === 0 && (result.unset.length > 0 || empty)) {
    outcome.droppedKeys.push({ providerIndex, keyIndex, variables: result.variables });
    scalar.value = DROPPED_KEY_PLACEHOLDER;
    return "kept";
  }
  for (const name of result.unset) {
    outcome.problems.push({
      path: formatPath(path),
      ...locate(sourceOffset(scalar, source, text, text.indexOf(`\${${name}}`))),
      message: `environment variable ${name} is not set (write \${${name}:-default} for a fallback)`,
    });
  }
  scalar.value = result.value;
  return empty && result.unset.length === 0 ? "absent" : "kept";
}

/** Where `valueOffset` (an offset into the scalar's value) lies in the source, when that is plain. */
function sourceOffset(scalar: Node, source: string, value: string, valueOffset: number): number {
  const start = scalar.range?.[0] ?? 0;
  const end = scalar.range?.[1] ?? start;
  const raw = source.slice(start, end);
  if (valueOffset < 0) return start;
  if (raw === value) return start + valueOffset;
  if (raw.length === value.length + 2 && raw.slice(1, -1) === value) return start + 1 + valueOffset;
  return start;
}
