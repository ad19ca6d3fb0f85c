/** One row of a markdown table whose first cell names a key in backticks (`` `name` ``). */
export interface DocsRow {
  name: string;
  /** The cells after the first. */
  cells: string[];
}

/**
 * The tables in the part of a markdown file under `heading` (up to the next heading of the same or a
 * higher level), in order; header and separator lines are left out.
 */
export function docsTables(markdown: string, heading: string): DocsRow[][] {
  const lines = markdown.split("\n");
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`no heading ${JSON.stringify(heading)}`);
  const level = heading.indexOf(" ");
  const tables: DocsRow[][] = [];
  let current: DocsRow[] | undefined;
  for (const line of lines.slice(start + 1)) {
    const hashes = /^#+ /.exec(line)?.[0].length;
    if (hashes !== undefined && hashes - 1 <= level) break;
    if (!line.startsWith("|")) {
      current = undefined;
      continue;
    }
    const cells = line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim());
    const name = /^`([^`]+)`/.exec(cells[0] ?? "")?.[1];
    if (current === undefined) {
      current = [];
      tables.push(current);
    }
    if (name !== undefined) current.push({ name, cells: cells.slice(1) });
  }
  return tables;
}

/** How docs write a default value: `` `8787` ``, `` `false` ``, `` `[]` ``. */
export function formatDefault(value: unknown): string {
  if (Array.isArray(value) && value.length === 0) return "`[]`";
  if (typeof value === "object" && value !== null) return `\`${JSON.stringify(value)}\``;
  return `\`${String(value)}\``;
}
