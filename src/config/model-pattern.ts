/**
 * Wildcard model names: one `*` anywhere in a name stands for any text (empty included), and a
 * target's model takes what it matched in place of its own `*`s. Pure functions, no state.
 */

/** Whether a name is a pattern (has a `*`). */
export function isPattern(name: string): boolean {
  return name.includes("*");
}

/** How many `*`s a name has (a logical model's name may have at most one). */
export function starCount(name: string): number {
  let count = 0;
  for (const character of name) if (character === "*") count++;
  return count;
}

/**
 * What the `*` of a one-star `pattern` matched in `name`, or undefined when it does not match. A
 * name without a `*` matches only itself (and captures "").
 */
export function matchPattern(pattern: string, name: string): string | undefined {
  const star = pattern.indexOf("*");
  if (star < 0) return pattern === name ? "" : undefined;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  if (name.length < prefix.length + suffix.length) return undefined;
  if (!name.startsWith(prefix) || !name.endsWith(suffix)) return undefined;
  return name.slice(prefix.length, name.length - suffix.length);
}

/** A target's model with every `*` replaced by what the name's `*` matched. */
export function substitute(model: string, captured: string): string {
  return model.split("*").join(captured);
}

/** Characters of a pattern other than its `*`: the more, the more specific the pattern. */
export function literalLength(pattern: string): number {
  return pattern.length - starCount(pattern);
}

/**
 * Whether an allow-list entry admits a model name: an entry without `*` only that exact name, one
 * with `*`s any name where each `*` stands for any text (`claude/*`, `*`, `gpt-*-mini`).
 */
export function entryAdmits(entry: string, name: string): boolean {
  if (!isPattern(entry)) return entry === name;
  const parts = entry.split("*");
  const first = parts[0] ?? "";
  const last = parts[parts.length - 1] ?? "";
  if (name.length < first.length + last.length) return false;
  if (!name.startsWith(first) || !name.endsWith(last)) return false;
  let position = first.length;
  const end = name.length - last.length;
  for (const middle of parts.slice(1, -1)) {
    const found = name.indexOf(middle, position);
    if (found < 0 || found + middle.length > end) return false;
    position = found + middle.length;
  }
  return true;
}
