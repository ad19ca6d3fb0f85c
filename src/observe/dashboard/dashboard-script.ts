import * as charts from "./client/charts.js";
import * as configView from "./client/config-view.js";
import * as elements from "./client/elements.js";
import * as feedView from "./client/feed-view.js";
import * as format from "./client/format.js";
import * as keysView from "./client/keys-view.js";
import * as main from "./client/main.js";
import * as requestsView from "./client/requests-view.js";
import * as targetsView from "./client/targets-view.js";
import * as usageView from "./client/usage-view.js";

const CLIENT_MODULES: readonly Record<string, unknown>[] = [
  format,
  elements,
  charts,
  targetsView,
  feedView,
  requestsView,
  usageView,
  keysView,
  configView,
  main,
];

let cached: string | undefined;

/**
 * The dashboard's script: the source of every function the client modules export, in one strict
 * scope, then `startDashboard()`. The client is written as typed, linted TypeScript whose
 * functions reach each other by name (`declare const x: typeof import(...)`, never a runtime
 * import), so the compiled functions' own text is the whole program: no bundler, no build step,
 * and `npm run build` output serves it as is.
 */
export function dashboardScript(): string {
  if (cached !== undefined) return cached;
  const seen = new Set<string>();
  const sources: string[] = [];
  for (const module of CLIENT_MODULES) {
    for (const [name, value] of Object.entries(module)) {
      if (typeof value !== "function") continue;
      const source = Function.prototype.toString.call(value);
      if (!/^(async\s+)?function[\s*]/.test(source)) {
        throw new Error(`dashboard client export ${name} must be a function declaration`);
      }
      if (seen.has(name)) throw new Error(`dashboard client export ${name} is defined twice`);
      seen.add(name);
      sources.push(source);
    }
  }
  // Transpilers that keep function names wrap them in __name(); in the page it is the identity.
  cached = `(() => {\n"use strict";\nconst __name = (target) => target;\n${sources.join("\n\n")}\nstartDashboard();\n})();\n`;
  return cached;
}

/** Names of the functions the script defines (for tests). */
export function dashboardFunctionNames(): string[] {
  return CLIENT_MODULES.flatMap((module) =>
    Object.entries(module)
      .filter(([, value]) => typeof value === "function")
      .map(([name]) => name),
  );
}
