import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Keeps the layering of house-style.md true: dependencies point one way, the engine has no runtime
 * dependencies and no knowledge of what sits above it, and vendor names stay in their folders.
 */
const root = resolve(import.meta.dirname, "../..");
const src = join(root, "src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "fixtures" ? [] : sourceFiles(path);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") && !name.includes(".test-")
      ? [path]
      : [];
  });
}

const files = sourceFiles(src).map((path) => ({
  path: relative(src, path).split(sep).join("/"),
  text: readFileSync(path, "utf8"),
}));

/** Import specifiers of a file: static imports, re-exports, side-effect and dynamic imports. */
function importsOf(text: string): string[] {
  const patterns = [
    /(?:^|\n)\s*(?:import|export)[^;]*?from\s+"([^"]+)"/g,
    /(?:^|\n)\s*import\s+"([^"]+)"/g,
    /\bimport\(\s*"([^"]+)"\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1] ?? ""));
}

/** The `src/` folder an import lands in, or the package name for a dependency. */
function target(fromPath: string, specifier: string): string {
  if (!specifier.startsWith(".")) return `package:${specifier}`;
  const resolved = join(fromPath.split("/").slice(0, -1).join("/"), specifier).split(sep).join("/");
  return resolved;
}

const layerOf = (path: string) => path.split("/")[0] ?? "";

/**
 * Adapters that speak another vendor's wire format reuse that vendor's mapping (imported from the
 * folder that owns it) rather than copy it: OpenAI-compatible servers and Azure OpenAI speak
 * OpenAI's; Vertex AI serves Gemini and Claude models in their own formats; Bedrock takes
 * Anthropic's Messages body for Claude models.
 */
const WIRE_FORMAT_REUSE: Record<string, readonly string[]> = {
  "openai-compatible": ["openai"],
  "azure-openai": ["openai"],
  vertex: ["gemini", "anthropic"],
  bedrock: ["anthropic"],
};

describe("architecture", () => {
  it("finds the source files it checks", () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it("the engine and errors import nothing above them and no package but node built-ins", () => {
    const offenders: string[] = [];
    for (const file of files.filter((f) => ["engine", "errors"].includes(layerOf(f.path)))) {
      for (const specifier of importsOf(file.text)) {
        const to = target(file.path, specifier);
        const ok = to.startsWith("package:node:") || ["engine", "errors"].includes(layerOf(to));
        if (!ok) offenders.push(`${file.path} -> ${specifier}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("the library entry point pulls in no runtime dependency", () => {
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = (path: string) => {
      if (seen.has(path)) return;
      seen.add(path);
      const file = files.find((f) => f.path === path);
      if (!file) return;
      for (const specifier of importsOf(file.text)) {
        const to = target(path, specifier);
        if (to.startsWith("package:")) packages.add(to);
        else visit(to.replace(/\.js$/, ".ts"));
      }
    };
    visit("index.ts");
    expect(seen.size).toBeGreaterThan(10);
    expect([...packages].filter((name) => !name.startsWith("package:node:"))).toEqual([]);
  });

  it("LLM model types depend only on the engine contract", () => {
    const offenders = files
      .filter((f) => layerOf(f.path) === "llm")
      .flatMap((f) => importsOf(f.text).map((s) => [f.path, target(f.path, s)] as const))
      .filter(([, to]) => !["llm", "engine", "errors"].includes(layerOf(to)));
    expect(offenders).toEqual([]);
  });

  it("an adapter imports only the LLM model, errors, the engine contract, shared helpers and its own folder", () => {
    const offenders: string[] = [];
    for (const file of files.filter((f) => f.path.startsWith("providers/"))) {
      const [, folder] = file.path.split("/");
      if (!folder || folder.endsWith(".ts") || file.path.includes("/mock/")) continue;
      for (const specifier of importsOf(file.text)) {
        const to = target(file.path, specifier);
        const allowed =
          to.startsWith("package:") ||
          ["llm", "errors", "engine"].includes(layerOf(to)) ||
          to.startsWith("providers/shared/") ||
          to.startsWith(`providers/${folder}/`) ||
          (WIRE_FORMAT_REUSE[folder] ?? []).some((owner) => to.startsWith(`providers/${owner}/`));
        if (!allowed) offenders.push(`${file.path} -> ${specifier}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("no layer below the gateway imports the gateway, config, state, store or observe", () => {
    const upper = new Set(["gateway", "config", "state", "store", "observe", "cli", "simulate"]);
    const offenders = files
      .filter((f) => ["engine", "errors", "llm", "providers"].includes(layerOf(f.path)))
      .flatMap((f) => importsOf(f.text).map((s) => [f.path, target(f.path, s)] as const))
      .filter(([from, to]) => upper.has(layerOf(to)) && !from.includes("/mock/"))
      .map(([from, to]) => `${from} -> ${to}`);
    expect(offenders).toEqual([]);
  });

  it("vendor names appear only in their own adapter folder (and the few places that must name them)", () => {
    const vendors = ["openai", "anthropic", "gemini", "azure", "bedrock", "vertex"];
    // Places that must spell vendor names: the adapter registry, the gateway's client protocols
    // (it speaks the OpenAI and Anthropic formats), the mock server's wiring, and the config and CLI,
    // whose file format names provider types.
    const allowed = [
      "providers/create-llm-provider.ts",
      "providers/index.ts",
      "gateway/protocols/",
      "gateway/routes/embeddings-route.ts",
      "gateway/routes/models-route.ts",
      "gateway/create-gateway-app.ts",
      "testing/builtin-mock-vendors.ts",
      "config/",
      "cli/",
    ];
    const offenders: string[] = [];
    for (const file of files) {
      if (allowed.some((prefix) => file.path.startsWith(prefix))) continue;
      const code = file.text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, "").toLowerCase();
      for (const vendor of vendors) {
        const [, folder = ""] = file.path.split("/");
        const own =
          file.path.startsWith(`providers/${vendor}/`) ||
          file.path.startsWith(`providers/${vendor}-`) ||
          (file.path.startsWith("providers/") &&
            (WIRE_FORMAT_REUSE[folder] ?? []).includes(vendor));
        if (!own && new RegExp(`\\b${vendor}\\b`).test(code))
          offenders.push(`${file.path} names ${vendor}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
