import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dashboardOffPage, dashboardPage, loginPage } from "./dashboard-page.js";
import { dashboardFunctionNames, dashboardScript } from "./dashboard-script.js";

const CLIENT_DIR = join(import.meta.dirname, "client");
const clientFiles = readdirSync(CLIENT_DIR)
  .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
  .map((file) => ({ file, text: readFileSync(join(CLIENT_DIR, file), "utf8") }));

describe("the dashboard script", () => {
  it("is valid JavaScript that starts the dashboard", () => {
    const script = dashboardScript();
    expect(() => new Function(script)).not.toThrow();
    expect(script.trimEnd().endsWith("startDashboard();\n})();")).toBe(true);
  });

  it("defines every function a client file reaches by name", () => {
    const defined = new Set(dashboardFunctionNames());
    const reached = clientFiles.flatMap(({ text }) =>
      [...text.matchAll(/declare const (\w+): typeof import\("\.\/[\w-]+\.js"\)\.(\w+);/g)].map(
        (match) => ({ alias: match[1], name: match[2] }),
      ),
    );
    expect(reached.length).toBeGreaterThan(20);
    for (const { alias, name } of reached) {
      expect(alias).toBe(name);
      expect(defined, `${name} is used but not exported`).toContain(name);
    }
  });

  it("is made of exported functions only: a client file has no other runtime code", () => {
    for (const { file, text } of clientFiles) {
      const topLevel = text
        .split("\n")
        .filter((line) => /^(const|let|var|function|class|import\s+(?!type))/.test(line));
      expect(topLevel, file).toEqual([]);
    }
  });
});

describe("the dashboard pages", () => {
  it("load nothing from elsewhere and carry their nonce on inline style and script", () => {
    for (const page of [
      dashboardPage("n0nce"),
      loginPage("n0nce", "bad <key>"),
      dashboardOffPage("n0nce"),
    ]) {
      const urls = [...page.matchAll(/https?:\/\/[^\s"')]+/g)].map((match) => match[0]);
      expect(urls.every((url) => url === "http://www.w3.org/2000/svg")).toBe(true);
      for (const tag of page.matchAll(/<(script|style)\b[^>]*>/g)) {
        expect(tag[0]).toContain('nonce="n0nce"');
      }
    }
    expect(loginPage("n", "bad <key>")).toContain("bad &#60;key&#62;");
  });

  it("stay small", () => {
    expect(Buffer.byteLength(dashboardPage("n"))).toBeLessThan(80_000);
  });
});
