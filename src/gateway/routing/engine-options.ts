import type { EngineDefaults } from "../../config/index.js";
import type { CallOptions } from "../../engine/call.js";
import { optionsOfScope } from "../../engine/option-table.js";
import type { ProviderFactoryOptions, RegisterOptions } from "../../engine/options.js";

/**
 * The factory-wide options of one model, from its resolved config: the factory's own and, as every
 * target's default, the target options.
 */
export function factoryOptions(resolved: EngineDefaults): ProviderFactoryOptions {
  return pick(resolved, FACTORY_AND_TARGET);
}

/** The options of one target (one key of one provider, serving one upstream model). */
export function targetOptions(resolved: EngineDefaults): RegisterOptions {
  return pick(resolved, TARGET);
}

/** What each call to a model carries: its deadline, hedging and caching. */
export function callOptions<Request>(resolved: EngineDefaults): CallOptions<Request> {
  return pick(resolved, CALL);
}

const FACTORY_AND_TARGET = optionsOfScope("factory", "target");
const TARGET = optionsOfScope("target");
const CALL = optionsOfScope("call");

/** The options of the given names that have a value: the config's names are the engine's. */
function pick<Options>(resolved: EngineDefaults, names: readonly string[]): Options {
  const values = resolved as Record<string, unknown>;
  const options: Record<string, unknown> = {};
  for (const name of names) {
    if (values[name] !== undefined) options[name] = values[name];
  }
  return options as Options;
}
