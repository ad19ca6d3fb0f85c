import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The public API as a user meets it: the package is built into a scratch copy (package.json and
 * dist), and every name docs/api.md lists is imported through the package's `exports` by name
 * (`switchyard/testing`), by Node at run time and by TypeScript for types.
 */
const root = resolve(import.meta.dirname, "../..");
const run = promisify(execFile);
const packageJson = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  name: string;
  type: string;
  exports: Record<string, unknown>;
};
const exportPaths = Object.keys(packageJson.exports).map((key) =>
  key === "." ? packageJson.name : `${packageJson.name}${key.slice(1)}`,
);

interface DocumentedEntry {
  values: string[];
  types: string[];
}

/** docs/api.md: one `## \`<export path>\`` section each, with its **Values:** and **Types:**. */
function documentedApi(): Map<string, DocumentedEntry> {
  const text = readFileSync(join(root, "docs/api.md"), "utf8");
  const entries = new Map<string, DocumentedEntry>();
  for (const section of text.split(/^## /m).slice(1)) {
    const path = /^`([^`]+)`/.exec(section)?.[1];
    if (!path) continue;
    const names = (label: string) => {
      const list = new RegExp(`\\*\\*${label}:\\*\\*([^*#]*)`).exec(section)?.[1] ?? "";
      return [...list.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? "").sort();
    };
    entries.set(path, { values: names("Values"), types: names("Types") });
  }
  return entries;
}

const documented = documentedApi();
let scratch = "";

beforeAll(async () => {
  // Inside the repository (in .tmp/, ignored by git), so the built code finds its dependencies.
  mkdirSync(join(root, ".tmp"), { recursive: true });
  scratch = mkdtempSync(join(root, ".tmp", "public-api-"));
  const { name, type, exports } = packageJson;
  writeFileSync(join(scratch, "package.json"), JSON.stringify({ name, type, exports }));
  const tsc = join(root, "node_modules/typescript/bin/tsc");
  await run(
    process.execPath,
    [tsc, "-p", "tsconfig.build.json", "--outDir", join(scratch, "dist")],
    {
      cwd: root,
    },
  );
}, 300_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("public API (docs/api.md against package.json exports)", () => {
  it("documents every export path of package.json, and only those", () => {
    expect([...documented.keys()].sort()).toEqual([...exportPaths].sort());
  });

  it("at run time, each export path exports exactly its documented values", async () => {
    const script = join(scratch, "list-exports.mjs");
    writeFileSync(
      script,
      `const paths = ${JSON.stringify(exportPaths)};
const found = {};
for (const path of paths) found[path] = Object.keys(await import(path)).sort();
console.log(JSON.stringify(found));`,
    );
    const { stdout } = await run(process.execPath, [script], { cwd: scratch });
    const found = JSON.parse(stdout) as Record<string, string[]>;
    for (const path of exportPaths) {
      expect({ path, values: found[path] }).toEqual({ path, values: documented.get(path)?.values });
    }
  }, 60_000);

  it("for TypeScript, each export path resolves and exports exactly its documented names", () => {
    const consumer = join(scratch, "consumer.ts");
    writeFileSync(
      consumer,
      exportPaths.map((path, i) => `export * as m${i} from "${path}";`).join("\n"),
    );
    const program = ts.createProgram([consumer], {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2023,
      types: ["node"],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(problems).toEqual([]);
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(consumer);
    const declarations = source?.statements.filter(ts.isExportDeclaration) ?? [];
    expect(declarations).toHaveLength(exportPaths.length);
    for (const declaration of declarations) {
      const specifier = declaration.moduleSpecifier;
      if (!specifier || !ts.isStringLiteral(specifier)) throw new Error("expected a module path");
      const module = checker.getSymbolAtLocation(specifier);
      const names = module ? checker.getExportsOfModule(module).map((s) => s.name) : [];
      const entry = documented.get(specifier.text);
      expect({ path: specifier.text, names: names.sort() }).toEqual({
        path: specifier.text,
        names: [...(entry?.values ?? []), ...(entry?.types ?? [])].sort(),
      });
    }
  });
});
