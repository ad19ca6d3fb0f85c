import type { CallOptions } from "./call.js";
import type { EngineOptionName } from "./option-table.js";
import type { ProviderFactoryOptions } from "./options.js";

/** The options the engine takes, where each option of `ENGINE_OPTIONS` is declared with its type. */
type EngineOptionTypes = ProviderFactoryOptions &
  Pick<CallOptions<unknown>, "deadlineMs" | "hedge" | "cache">;

/** Each option of `ENGINE_OPTIONS` with the engine's type for it. */
export type EngineOptionValues = {
  [Name in EngineOptionName]-?: Exclude<EngineOptionTypes[Name], undefined>;
};
