import type { SwitchyardConfig } from "../config/index.js";
import type { ScenarioNames } from "./parse-scenario-text.js";

/**
 * The names a scenario may use with this config: the gateway's route names (models in `models:` and
 * the models providers list under their own `models:`), and the `providers:` entry names: `*`, each
 * provider, `provider#key`, `provider/model` and `provider#key/model` for every target.
 */
export function scenarioNames(
  config: SwitchyardConfig,
  skippedProviders: readonly string[] = [],
): ScenarioNames {
  const usable = config.providers.filter((provider) => !skippedProviders.includes(provider.name));
  const models = new Set(config.models.map((model) => model.name));
  for (const provider of usable) for (const model of provider.models ?? []) models.add(model);
  const profiles = new Set<string>(["*"]);
  const keyIds = new Map<string, string[]>();
  for (const provider of config.providers) {
    profiles.add(provider.name);
    const ids = provider.keys.map((key) => key.id);
    keyIds.set(provider.name, ids);
    for (const id of ids) profiles.add(`${provider.name}#${id}`);
  }
  const addTarget = (provider: string, model: string): void => {
    profiles.add(`${provider}/${model}`);
    for (const id of keyIds.get(provider) ?? []) profiles.add(`${provider}#${id}/${model}`);
  };
  for (const model of config.models) {
    for (const target of model.targets) addTarget(target.provider, target.model);
  }
  for (const provider of config.providers) {
    for (const model of provider.models ?? []) addTarget(provider.name, model);
  }
  return { models: [...models], profiles: [...profiles] };
}
