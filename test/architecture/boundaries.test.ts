import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Keeps the layering true: every import, type-only ones included, points down one table of layers,
 * no files import each other round a loop, the engine has no runtime dependencies, and vendor names
 * stay in their folders.
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

/**
 * The layer a source file belongs to. Adapters (`providers/<vendor>/`) form one layer, their mock
 * routes (`providers/<vendor>/mock/`) another; `providers/*.ts` is the adapter registry on top.
 */
function layerOf(path: string): string {
  const [top = "", second, third] = path.split("/");
  if (second === undefined) return top === "index.ts" ? "index" : top;
  if (top === "providers") {
    if (third === undefined) return "providers";
    if (second === "shared") return "providers/shared";
    return third === "mock" ? "providers/x/mock" : "providers/x";
  }
  if (top === "testing" && second === "mock-kit") return "testing/mock-kit";
  return top;
}

/**
 * Which layers each layer may import, besides itself: dependencies point one way, type-only imports
 * included. Bottom to top: errors, the engine, the LLM model, adapters, config, state, store,
 * observability, the gateway, then the simulator and the CLI that sit on everything.
 */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  errors: [],
  engine: ["errors"],
  index: ["engine", "errors"],
  llm: ["engine", "errors"],
  "providers/shared": ["llm", "engine", "errors"],
  "providers/x": ["providers/shared", "llm", "engine", "errors"],
  providers: ["providers/x", "providers/shared", "llm", "engine", "errors"],
  "testing/mock-kit": ["engine", "errors"],
  "providers/x/mock": ["testing/mock-kit", "llm", "engine", "errors"],
  testing: ["providers/x/mock", "testing/mock-kit", "llm", "engine", "errors"],
  config: ["providers", "llm", "engine", "errors"],
  state: ["engine", "errors"],
  store: ["config", "llm", "engine", "errors"],
  observe: ["store", "state", "config", "llm", "engine", "errors"],
  gateway: ["observe", "store", "state", "config", "providers", "llm", "engine", "errors"],
  simulate: [
    "gateway",
    "observe",
    "store",
    "state",
    "config",
    "providers",
    "llm",
    "engine",
    "errors",
  ],
  cli: [
    "simulate",
    "gateway",
    "observe",
    "store",
    "state",
    "config",
    "testing",
    "providers",
    "llm",
    "engine",
    "errors",
  ],
};

/** Adapters that build on another adapter's wire format (the only imports across vendor folders). */
const WIRE_FAMILIES: Readonly<Record<string, readonly string[]>> = {
  "openai-compatible": ["openai"],
  "azure-openai": ["openai"],
  vertex: ["gemini", "anthropic"],
  bedrock: ["anthropic"],
};

/** Why an import from one file to another breaks the layering, or undefined when it does not. */
function violation(from: string, to: string): string | undefined {
  const [fromLayer, toLayer] = [layerOf(from), layerOf(to)];
  const allowed = ALLOWED[fromLayer];
  if (!allowed) return `${from} is in no layer of the table`;
  if (!ALLOWED[toLayer]) return `${to} is in no layer of the table`;
  if (fromLayer !== toLayer) {
    return allowed.includes(toLayer) ? undefined : `${fromLayer} may not import ${toLayer}`;
  }
  if (fromLayer === "providers/x" || fromLayer === "providers/x/mock") {
    const [fromVendor, toVendor] = [from.split("/")[1] ?? "", to.split("/")[1] ?? ""];
    const family = WIRE_FAMILIES[fromVendor] ?? [];
    if (fromVendor !== toVendor && !family.includes(toVendor)) {
      return `${fromVendor} may not import another vendor's folder (${toVendor})`;
    }
  }
  return undefined;
}

/** Every import between source files, type-only ones included, resolved to `src/` paths. */
const edges = files.flatMap((file) =>
  importsOf(file.text)
    .filter((specifier) => specifier.startsWith("."))
    .map((specifier) => ({
      from: file.path,
      to: target(file.path, specifier).replace(/\.js$/, ".ts"),
    })),
);

/** Groups of files that import each other, directly or round a loop (Tarjan's algorithm). */
function importCycles(): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node) ?? 0);
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(to) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member !== undefined) {
        onStack.delete(member);
        group.push(member);
      }
    } while (member !== undefined && member !== node);
    if (group.length > 1 || (next.get(node) ?? []).includes(node)) cycles.push(group.sort());
  };
  for (const file of files) if (!index.has(file.path)) visit(file.path);
  return cycles;
}

describe("architecture", () => {
  it("finds the source files and imports it checks", () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges.length).toBeGreaterThan(500);
    // Type-only imports are checked like any other.
    expect(edges).toContainEqual({ from: "llm/llm-provider.ts", to: "engine/provider.ts" });
  });

  it("the layer table itself points one way (no layer reaches itself through others)", () => {
    const reaches = (from: string, seen = new Set<string>()): Set<string> => {
      for (const layer of ALLOWED[from] ?? []) {
        if (!seen.has(layer)) {
          seen.add(layer);
          reaches(layer, seen);
        }
      }
      return seen;
    };
    const loops = Object.keys(ALLOWED).filter((layer) => reaches(layer).has(layer));
    expect(loops).toEqual([]);
  });

  it("every source file belongs to a layer of the table", () => {
    expect(files.map((f) => f.path).filter((path) => !ALLOWED[layerOf(path)])).toEqual([]);
  });

  it("every import (type-only too) points down the layer table, with no exemptions", () => {
    const offenders = edges.flatMap(({ from, to }) => {
      const problem = violation(from, to);
      return problem ? [`${from} -> ${to}: ${problem}`] : [];
    });
    expect(offenders).toEqual([]);
  });

  it("no source files import each other, directly or round a loop (type-only imports included)", () => {
    expect(importCycles()).toEqual([]);
  });

  it("the check catches what it is meant to catch", () => {
    expect(violation("engine/call.ts", "gateway/gateway.ts")).toBe("engine may not import gateway");
    expect(violation("observe/observability.ts", "gateway/gateway-context.ts")).toBeDefined();
    expect(violation("testing/mock-kit/mock-vendor.ts", "testing/index.ts")).toBeDefined();
    expect(
      violation("providers/gemini/map-error.ts", "providers/openai/map-error.ts"),
    ).toBeDefined();
    expect(violation("providers/openai/mock/x.ts", "providers/openai/map-error.ts")).toBeDefined();
    expect(violation("providers/openai-compatible/presets.ts", "providers/openai/index.ts")).toBe(
      undefined,
    );
  });

  it("the engine and errors use no package but node built-ins", () => {
    const offenders = files
      .filter((f) => ["engine", "errors"].includes(layerOf(f.path)))
      .flatMap((f) => importsOf(f.text).map((specifier) => `${f.path} -> ${specifier}`))
      .filter((line) => !line.includes("-> .") && !line.includes("-> node:"));
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

  it("vendor names appear only in their own adapter folder (and the few places that must name them)", () => {
    const vendors = ["openai", "anthropic", "gemini", "azure", "bedrock", "vertex"];
    // Places that must spell vendor names: the adapter registry, the gateway's client protocols
    // (it speaks the OpenAI and Anthropic formats), the mock server's wiring, and the config and CLI,
    // whose file format names provider types.
    const allowed = [
      "providers/create-llm-provider.ts",
      "providers/llm-provider-types.ts",
      "providers/llm-provider-builders.ts",
      "providers/load-llm-provider-types.ts",
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
          (file.path.startsWith("providers/") && (WIRE_FAMILIES[folder] ?? []).includes(vendor));
        if (!own && new RegExp(`\\b${vendor}\\b`).test(code))
          offenders.push(`${file.path} names ${vendor}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
