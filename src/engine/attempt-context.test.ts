import { describe, expect, it } from "vitest";
import { AttemptContext } from "./attempt-context.js";

describe("AttemptContext's cancellation", () => {
  it("is the context itself, and tells each listener once when the attempt is aborted", () => {
    const context = new AttemptContext("t", 1);
    const heard: string[] = [];
    context.onAbort(() => heard.push(`a:${String(context.abortReason)}`));
    context.onAbort(() => heard.push("b"));
    expect(context.cancellation).toBe(context);
    context.abort("timeout");
    context.abort("again");
    expect(heard).toEqual(["a:timeout", "b"]);
    expect(context.aborted).toBe(true);
  });

  it("does not tell a listener that stopped listening", () => {
    const context = new AttemptContext("t", 1);
    const heard: string[] = [];
    const stop = context.onAbort(() => heard.push("stopped"));
    context.onAbort(() => heard.push("kept"));
    stop();
    stop();
    context.abort(new Error("lost the hedge"));
    expect(heard).toEqual(["kept"]);
  });

  it("does not call a listener added once the attempt is already aborted", () => {
    const context = new AttemptContext("t", 1);
    context.abort("cancelled");
    let heard = false;
    context.onAbort(() => {
      heard = true;
    })();
    expect(heard).toBe(false);
  });

  it("aborts the signal too, when a provider read it", () => {
    const context = new AttemptContext("t", 1);
    const { signal } = context;
    context.abort("deadline");
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe("deadline");
  });
});
