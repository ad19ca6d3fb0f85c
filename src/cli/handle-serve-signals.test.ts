import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { handleServeSignals } from "./handle-serve-signals.js";
import { LogCapture } from "./log-capture.test-helper.js";
import type { RunningServer } from "./serve-command.js";

function setup() {
  const signals = new EventEmitter();
  const exits: number[] = [];
  const reloads: string[] = [];
  let finishClose: () => void = () => undefined;
  let closes = 0;
  const logs = new LogCapture();
  const server = {
    logger: logs.logger(),
    gateway: { state: { config: { server: { shutdownGraceMs: 1234 } } } },
    reload: async (reason: string) => {
      reloads.push(reason);
      return true;
    },
    close: () => {
      closes++;
      return new Promise<void>((resolve) => {
        finishClose = resolve;
      });
    },
  } as unknown as RunningServer;
  const dispose = handleServeSignals(server, {
    exit: (code) => exits.push(code),
    signals: signals as unknown as Pick<NodeJS.Process, "on" | "off">,
  });
  return {
    signals,
    exits,
    reloads,
    logs,
    dispose,
    closes: () => closes,
    finish: () => finishClose(),
  };
}

describe("handleServeSignals", () => {
  it("drains on SIGTERM and exits 0 once closed", async () => {
    const { signals, exits, logs, closes, finish } = setup();
    signals.emit("SIGTERM", "SIGTERM");
    expect(closes()).toBe(1);
    expect(exits).toEqual([]);
    expect(await logs.waitFor((line) => line.signal === "SIGTERM")).toMatchObject({
      graceMs: 1234,
    });
    finish();
    await logs.waitFor((line) => line.msg === "switchyard stopped");
    expect(exits).toEqual([0]);
  });

  it("exits 1 at once on a second SIGINT while draining", () => {
    const { signals, exits, closes } = setup();
    signals.emit("SIGINT", "SIGINT");
    signals.emit("SIGINT", "SIGINT");
    expect(closes()).toBe(1);
    expect(exits).toEqual([1]);
  });

  it("reloads on SIGHUP, but not once stopping", () => {
    const { signals, reloads } = setup();
    signals.emit("SIGHUP", "SIGHUP");
    expect(reloads).toEqual(["SIGHUP"]);
    signals.emit("SIGTERM", "SIGTERM");
    signals.emit("SIGHUP", "SIGHUP");
    expect(reloads).toEqual(["SIGHUP"]);
  });

  it("removes its handlers when disposed", () => {
    const { signals, dispose } = setup();
    dispose();
    expect(signals.listenerCount("SIGTERM") + signals.listenerCount("SIGHUP")).toBe(0);
  });
});
