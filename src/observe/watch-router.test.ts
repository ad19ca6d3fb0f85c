import { describe, expect, it } from "vitest";
import { ProviderFactory } from "../engine/provider-factory.js";
import { ProviderError } from "../errors/provider-error.js";
import type { ObservedRouter } from "./observed-gateway.js";
import { type EngineSignal, watchRouter } from "./watch-router.js";

function refusing(kind: "content_filter" | "transient") {
  return {
    generate: async (): Promise<string> => {
      throw new ProviderError("no", { kind, status: kind === "transient" ? 503 : 400 });
    },
  };
}

async function exhaustedSignals(kinds: ("content_filter" | "transient")[]): Promise<number> {
  const chat = new ProviderFactory<string, string>({
    failOverOn: ["content_filter"],
    retry: { maxAttempts: 1 },
  });
  kinds.forEach((kind, index) => {
    chat.register(`t${index}`, refusing(kind), { priority: index });
  });
  const route = { name: "m", chat, embeddings: new ProviderFactory<string, string>() };
  const router = { routes: new Map([["m", route]]) } as unknown as ObservedRouter;
  const signals: EngineSignal[] = [];
  const stop = watchRouter(router, (signal) => signals.push(signal));
  await chat.generate("q").catch(() => undefined);
  stop();
  return signals.filter((signal) => signal.type === "exhausted").length;
}

describe("watchRouter: a call where every target failed", () => {
  it("is no exhaustion when every failure was a content-policy refusal", async () => {
    expect(await exhaustedSignals(["content_filter", "content_filter"])).toBe(0);
  });

  it("is one as soon as a target failed otherwise", async () => {
    expect(await exhaustedSignals(["content_filter", "transient"])).toBe(1);
    expect(await exhaustedSignals(["transient"])).toBe(1);
  });
});
