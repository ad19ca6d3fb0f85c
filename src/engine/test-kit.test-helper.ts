import type { ErrorKind } from "../errors/error-kind.js";
import { ProviderError } from "../errors/provider-error.js";
import { FakeClock } from "../testing/fake-clock.js";
import { createScriptedProvider, type ScriptStep } from "../testing/scripted-provider.js";
import type { ProviderFactoryOptions } from "./options.js";
import { ProviderFactory } from "./provider-factory.js";

/** A fake clock, a factory on it, and shorthands for scripted providers. */
export function setup(options: ProviderFactoryOptions = {}) {
  const clock = new FakeClock();
  const factory = new ProviderFactory<string, string, string>({
    clock,
    random: () => 0.5,
    retryBudget: false,
    ...options,
  });
  const provider = (
    fallback: ScriptStep<string, string>,
    steps: ScriptStep<string, string>[] = [],
  ) => createScriptedProvider<string, string, string>(clock, fallback, steps);
  return { clock, factory, provider };
}

export function fail(kind: ErrorKind, extra: { status?: number; retryAfterMs?: number } = {}) {
  return { error: new ProviderError(`${kind} failure`, { kind, ...extra }) };
}

/** Runs `promise` to completion while advancing fake time. */
export async function settle<T>(
  clock: FakeClock,
  promise: Promise<T>,
  stepMs = 10_000,
): Promise<T> {
  let done = false;
  const tracked = promise.finally(() => {
    done = true;
  });
  tracked.catch(() => undefined);
  for (let i = 0; i < 1000 && !done; i++) await clock.advance(stepMs);
  return tracked;
}
