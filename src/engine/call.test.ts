import { describe, expect, it } from "vitest";
import { reportOfCancelledCall } from "./call.js";
import { fail, setup } from "./test-kit.test-helper.js";

describe("reportOfCancelledCall", () => {
  it("gives the attempts a call made before its caller cancelled it", async () => {
    const { clock, factory, provider } = setup({ retry: { maxAttempts: 1 } });
    factory.register("a", provider(fail("transient")), { priority: 1 });
    factory.register("b", provider({ hang: true }), { priority: 2 });
    const controller = new AbortController();
    const reason = new Error("the client went away");
    const call = factory.generateWithReport("hi", { signal: controller.signal });
    call.catch(() => undefined);
    await clock.advance(10);
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    const report = reportOfCancelledCall(reason);
    expect(report?.targetId).toBeUndefined();
    expect(report?.attempts.map((record) => [record.targetId, record.outcome])).toEqual([
      ["a", "failure"],
      ["b", "aborted"],
    ]);
  });

  it("knows nothing of a reason no call was cancelled with", () => {
    expect(reportOfCancelledCall(new Error("unrelated"))).toBeUndefined();
    expect(reportOfCancelledCall("a string")).toBeUndefined();
  });
});
