import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export interface CompiledEntry {
  /** The entry as JavaScript, ready for plain `node`. */
  readonly entry: string;
  /** Removes the compiled files. */
  cleanup(): Promise<void>;
}

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Transpiles a TypeScript entry and every local module it imports (followed through `./x.js`
 * imports) into a temporary folder laid out like the repository, with a symlink to its
 * node_modules, so it runs on plain `node`. The benchmark's servers run that way: under tsx, each
 * process carries a loader thread of its own (about 50 MB of RSS) that a deployed gateway does not.
 * No type checking here (`npm run typecheck` does that).
 */
export async function compileForNode(entryTs: string): Promise<CompiledEntry> {
  const folder = await mkdtemp(join(tmpdir(), "switchyard-bench-js-"));
  await writeFile(join(folder, "package.json"), JSON.stringify({ type: "module" }));
  await symlink(join(REPO_ROOT, "node_modules"), join(folder, "node_modules"), "dir");
  const pending = [resolve(entryTs)];
  const done = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (done.has(file)) continue;
    done.add(file);
    const source = await readFile(file, "utf8");
    for (const imported of ts.preProcessFile(source, true, true).importedFiles) {
      if (!imported.fileName.startsWith(".")) continue;
      pending.push(resolve(dirname(file), imported.fileName.replace(/\.js$/, ".ts")));
    }
    const output = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: {
        target: ts.ScriptTarget.ES2023,
        module: ts.ModuleKind.ESNext,
        verbatimModuleSyntax: true,
        sourceMap: false,
      },
    });
    const target = join(folder, relative(REPO_ROOT, file)).replace(/\.ts$/, ".js");
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, output.outputText);
  }
  return {
    entry: join(folder, relative(REPO_ROOT, resolve(entryTs))).replace(/\.ts$/, ".js"),
    cleanup: () => rm(folder, { recursive: true, force: true }),
  };
}
