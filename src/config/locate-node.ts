import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type LineCounter } from "yaml";
import type { PathSegment } from "./config-path.js";

/** Where a problem points: at a value, at the key naming it, or at the mapping it is missing from. */
export type Aim = "value" | "key" | "parent";

export interface Place {
  line: number;
  column: number;
}

/**
 * The line and column of `path` in `doc`. Follows aliases; when the path leads somewhere the text does
 * not show (a key that is absent, a merged key), points at the deepest node it did reach.
 */
export function locatePath(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PathSegment[],
  aim: Aim = "value",
): Place {
  const steps = aim === "parent" ? path.slice(0, -1) : path;
  let current: unknown = doc.contents;
  let offset = rangeStart(current) ?? 0;
  for (let index = 0; index < steps.length; index++) {
    const segment = steps[index];
    if (isAlias(current)) current = current.resolve(doc);
    let next: unknown;
    let keyNode: unknown;
    if (isMap(current)) {
      const pair = current.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (pair !== undefined) {
        keyNode = pair.key;
        next = pair.value ?? pair.key;
        if (rangeStart(next) === undefined) next = pair.key;
      }
    } else if (isSeq(current) && typeof segment === "number") {
      next = current.items[segment];
    }
    if (next === undefined) break;
    const last = index === steps.length - 1;
    const start = rangeStart(last && aim === "key" && keyNode !== undefined ? keyNode : next);
    if (start !== undefined) offset = start;
    current = next;
  }
  const position = lineCounter.linePos(offset);
  return { line: position.line, column: position.col };
}

function rangeStart(node: unknown): number | undefined {
  if (node === null || typeof node !== "object" || !("range" in node)) return undefined;
  const range = (node as { range?: readonly number[] | null }).range;
  return range?.[0];
}
