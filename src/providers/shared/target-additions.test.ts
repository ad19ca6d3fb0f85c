import { describe, expect, it } from "vitest";
import { AttemptContext } from "../../engine/attempt-context.js";
import { withTargetAdditions } from "../../llm/target-additions.js";
import { applyTargetAdditions, mergeTargetParams } from "./target-additions.js";

const context = { signal: new AbortController().signal, attempt: 1, targetId: "t" };

describe("mergeTargetParams", () => {
  const body = { temperature: 1, generationConfig: { topP: 0.5 }, stop: ["a"], seed: null };

  it("fills what the body lacks and merges objects key by key, the body winning", () => {
    const params = {
      temperature: 0.2,
      top_k: 5,
      generationConfig: { topP: 0.9, topK: 3, nested: { deep: true } },
      stop: ["b"],
      seed: 7,
    };
    expect(mergeTargetParams(body, { params })).toEqual({
      temperature: 1,
      top_k: 5,
      generationConfig: { topP: 0.5, topK: 3, nested: { deep: true } },
      stop: ["a"],
      seed: null,
    });
  });

  it("with overrideParams the params win, objects still merged key by key", () => {
    const params = { temperature: 0.2, generationConfig: { topP: 0.9 }, stop: ["b"] };
    expect(mergeTargetParams(body, { params, overrideParams: true })).toEqual({
      temperature: 0.2,
      generationConfig: { topP: 0.9 },
      stop: ["b"],
      seed: null,
    });
  });

  it("changes neither the body nor the params", () => {
    const params = { generationConfig: { topK: 3 }, extra: { list: [1] } };
    const merged = mergeTargetParams(body, { params });
    (merged.extra as { list: number[] }).list.push(2);
    expect(body.generationConfig).toEqual({ topP: 0.5 });
    expect(params.extra.list).toEqual([1]);
  });
});

describe("applyTargetAdditions", () => {
  it("sets the target's headers last, replacing a name in another case", () => {
    const target = withTargetAdditions(context, {
      headers: { "anthropic-beta": "b2", "x-extra": "1" },
      params: { a: 1 },
    });
    const out = applyTargetAdditions(target, { b: 2 }, { "Anthropic-Beta": "b1", accept: "x" });
    expect(out.headers).toEqual({ accept: "x", "anthropic-beta": "b2", "x-extra": "1" });
    expect(out.body).toEqual({ a: 1, b: 2 });
  });

  it("leaves a serialised body alone and changes nothing without additions", () => {
    const target = withTargetAdditions(context, { params: { a: 1 } });
    expect(applyTargetAdditions(target, '{"b":2}', undefined).body).toBe('{"b":2}');
    const plain = applyTargetAdditions(context, { b: 2 }, { accept: "x" });
    expect(plain).toEqual({ body: { b: 2 }, headers: { accept: "x" } });
  });

  it("keeps the engine's signal lazy and live", () => {
    const controller = new AbortController();
    let reads = 0;
    const engine = {
      get signal() {
        reads += 1;
        return controller.signal;
      },
      attempt: 2,
      targetId: "x",
    };
    const wrapped = withTargetAdditions(engine, { headers: {} });
    expect(reads).toBe(0);
    controller.abort();
    expect(wrapped.signal.aborted).toBe(true);
    expect(wrapped.attempt).toBe(2);
  });

  it("passes the engine's cancellation on, so watching it builds no signal", () => {
    const engine = new AttemptContext("x", 1);
    const wrapped = withTargetAdditions(engine, { headers: {} });
    expect(wrapped.cancellation).toBe(engine);
    engine.abort("deadline");
    expect(wrapped.cancellation?.aborted).toBe(true);
  });
});
