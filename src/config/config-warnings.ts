import type { ConfigProblem } from "./config-error.js";
import { formatPath, type PathSegment } from "./config-path.js";
import type { SwitchyardConfig } from "./config-schema.js";
import type { DroppedKey } from "./interpolate-document.js";
import type { Aim, Place } from "./locate-node.js";
import { keysOptional } from "./provider-kinds.js";
import type { ProviderConfig } from "./provider-schema.js";

/**
 * Whether a provider can be called: it has at least one key or an `auth` setting, or its type needs
 * no key (see `keysOptional`).
 */
export function isProviderUsable(
  provider: Pick<ProviderConfig, "keys" | "type" | "preset"> &
    Partial<Pick<ProviderConfig, "auth">>,
): boolean {
  return (
    provider.keys.length > 0 ||
    provider.auth !== undefined ||
    keysOptional(provider.type, provider.preset)
  );
}

/** The warnings of a valid config, and the providers skipped for want of a key. */
export function collectWarnings(
  config: SwitchyardConfig,
  dropped: readonly DroppedKey[],
  place: (path: readonly PathSegment[], aim: Aim) => Place,
): { warnings: ConfigProblem[]; skippedProviders: string[] } {
  const warnings: ConfigProblem[] = [];
  const warn = (path: PathSegment[], aim: Aim, message: string): void => {
    warnings.push({ path: formatPath(path), ...place(path, aim), message });
  };
  const skippedProviders: string[] = [];
  config.providers.forEach((provider, providerIndex) => {
    const mine = dropped.filter((entry) => entry.providerIndex === providerIndex);
    const unset = [...new Set(mine.flatMap((entry) => entry.variables))];
    if (isProviderUsable(provider)) {
      for (const entry of mine) {
        warn(
          ["providers", providerIndex, "keys", entry.keyIndex, "key"],
          "value",
          `key left out: ${describeVariables(entry.variables)}`,
        );
      }
      return;
    }
    skippedProviders.push(provider.name);
    const why = unset.length > 0 ? ` (${describeVariables(unset)})` : "";
    warn(
      ["providers", providerIndex, "keys"],
      "key",
      `provider "${provider.name}" has no usable keys${why}; it will be skipped`,
    );
  });
  config.models.forEach((model, modelIndex) => {
    const providers = [...new Set(model.targets.map((target) => target.provider))];
    if (providers.every((name) => skippedProviders.includes(name))) {
      warn(
        ["models", modelIndex, "name"],
        "value",
        `model "${model.name}" has no usable targets (skipped providers: ${providers.join(", ")})`,
      );
    }
  });
  if (config.clients === undefined) {
    warnings.push({
      path: "clients",
      line: 0,
      column: 0,
      message: "no clients are configured: the gateway will accept requests without a key",
    });
  }
  return { warnings, skippedProviders };
}

function describeVariables(names: readonly string[]): string {
  if (names.length === 1) return `${names[0]} is not set or empty`;
  return `${names.join(", ")} are not set or empty`;
}
