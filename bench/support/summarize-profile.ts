// Prints where a V8 CPU profile (.cpuprofile, from `node --cpu-prof`) spends its time: the top
// functions by self time, and the same time grouped by package or source folder.
//
//   node --import tsx bench/support/summarize-profile.ts FILE.cpuprofile [--top N]

import { readFile } from "node:fs/promises";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileEntry {
  name: string;
  selfMs: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Idle time (the event loop waiting), left out of the shares below. */
  idleMs: number;
  functions: ProfileEntry[];
  groups: ProfileEntry[];
}

/** Where a source URL belongs: an npm package, a folder of ours, or Node itself. */
export function groupOf(url: string): string {
  if (url === "") return "(native/V8)";
  const packageAt = url.lastIndexOf("/node_modules/");
  if (packageAt !== -1) {
    const rest = url.slice(packageAt + "/node_modules/".length).split("/");
    return rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  if (url.startsWith("node:")) return "node:internal";
  const ours = url.match(/\/(src|bench)\/([^/]+)\/(?:([^/]+)\/)?/);
  if (ours) {
    const [, top, second, third] = ours;
    return second === "gateway" && third && !third.endsWith(".js")
      ? `${top}/${second}/${third}`
      : `${top}/${second}`;
  }
  return url;
}

export function summarizeProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  for (let index = 0; index < profile.samples.length; index++) {
    const id = profile.samples[index] as number;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  }
  const functions = new Map<string, number>();
  const groups = new Map<string, number>();
  let idleUs = 0;
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    totalUs += us;
    if (frame.functionName === "(idle)") {
      idleUs += us;
      continue;
    }
    const file = frame.url.split("/").slice(-2).join("/");
    const name = `${frame.functionName || "(anonymous)"} ${file}:${frame.lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
    const group =
      frame.functionName === "(garbage collector)"
        ? "(garbage collector)"
        : frame.functionName === "(program)"
          ? "(program)"
          : groupOf(frame.url);
    groups.set(group, (groups.get(group) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;
  const entries = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({
        name,
        selfMs: Math.round(us / 100) / 10,
        share: busyUs > 0 ? Math.round((us / busyUs) * 1000) / 1000 : 0,
      }));
  return {
    totalMs: Math.round(totalUs / 1000),
    idleMs: Math.round(idleUs / 1000),
    functions: entries(functions),
    groups: entries(groups),
  };
}

/**
 * Self time of the functions named `functionName`, split by the chain of callers above them
 * (`depth` frames, nearest first): who makes a hot native function busy.
 */
export function callersOf(
  profile: CpuProfile,
  functionName: string,
  depth = 4,
): { stack: string; selfMs: number }[] {
  const parent = new Map<number, ProfileNode>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node);
  }
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const stacks = new Map<string, number>();
  for (let index = 0; index < profile.samples.length; index++) {
    const node = byId.get(profile.samples[index] as number);
    if (node?.callFrame.functionName !== functionName) continue;
    const names: string[] = [];
    for (let up = parent.get(node.id); up && names.length < depth; up = parent.get(up.id)) {
      const file = up.callFrame.url.split("/").slice(-2).join("/");
      names.push(`${up.callFrame.functionName || "(anonymous)"} ${file}`);
    }
    const stack = names.join(" < ");
    stacks.set(stack, (stacks.get(stack) ?? 0) + (profile.timeDeltas[index] ?? 0));
  }
  return [...stacks]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([stack, us]) => ({ stack, selfMs: Math.round(us / 100) / 10 }));
}

/**
 * Total time (self and callees) of every function, each sample counted once per function on its
 * stack: what a whole step costs, e.g. a logger call with its serialisation and its write.
 */
export function inclusiveTimes(profile: CpuProfile, top = 40): { name: string; totalMs: number }[] {
  const parent = new Map<number, ProfileNode>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node);
  }
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  for (let index = 0; index < profile.samples.length; index++) {
    const seen = new Set<string>();
    for (let node = byId.get(profile.samples[index] as number); node; node = parent.get(node.id)) {
      const frame = node.callFrame;
      if (frame.functionName === "(idle)" || frame.functionName === "(root)") break;
      const file = frame.url.split("/").slice(-2).join("/");
      const name = `${frame.functionName || "(anonymous)"} ${file}:${frame.lineNumber + 1}`;
      if (seen.has(name)) continue;
      seen.add(name);
      totals.set(name, (totals.get(name) ?? 0) + (profile.timeDeltas[index] ?? 0));
    }
  }
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ name, totalMs: Math.round(us / 100) / 10 }));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (flag: string) => {
    const at = args.indexOf(flag);
    if (at === -1) return undefined;
    const value = args[at + 1];
    args.splice(at, 2);
    return value;
  };
  const top = Number(option("--top") ?? 25);
  const callers = option("--callers");
  const depth = Number(option("--depth") ?? 6);
  const inclusive = args.includes("--inclusive");
  if (inclusive) args.splice(args.indexOf("--inclusive"), 1);
  const files = args;
  for (const file of files) {
    const profile = JSON.parse(await readFile(file, "utf8")) as CpuProfile;
    if (inclusive) {
      for (const entry of inclusiveTimes(profile, top)) {
        console.log(`${String(entry.totalMs).padStart(9)} ms  ${entry.name}`);
      }
      continue;
    }
    if (callers) {
      for (const entry of callersOf(profile, callers, depth)) {
        console.log(`${String(entry.selfMs).padStart(9)} ms  ${entry.stack}`);
      }
      continue;
    }
    const summary = summarizeProfile(profile, top);
    console.log(`${file}: ${summary.totalMs} ms sampled, ${summary.idleMs} ms idle`);
    console.log("\nby package or folder (share of busy time):");
    for (const entry of summary.groups) {
      console.log(
        `${(entry.share * 100).toFixed(1).padStart(6)}% ${String(entry.selfMs).padStart(9)} ms  ${entry.name}`,
      );
    }
    console.log("\ntop functions by self time:");
    for (const entry of summary.functions) {
      console.log(
        `${(entry.share * 100).toFixed(1).padStart(6)}% ${String(entry.selfMs).padStart(9)} ms  ${entry.name}`,
      );
    }
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop() ?? "")) {
  await main();
}
