/** The models a gateway serves -> the Models API's list object (`{ object: "list", data: [...] }`). */
import type { ModelInfo } from "../../../llm/llm-provider.js";

export interface ModelEntry extends ModelInfo {
  /** Unix seconds; defaults to the `created` option. */
  created?: number;
}

export interface RenderModelsOptions {
  /** Unix seconds for entries without their own `created`. Default 0. */
  created?: number;
  /** `owned_by` for entries without an owner. Default "switchyard". */
  ownedBy?: string;
}

export interface ModelsList {
  object: "list";
  data: { id: string; object: "model"; created: number; owned_by: string }[];
}

export function renderModels(
  models: readonly ModelEntry[],
  options: RenderModelsOptions = {},
): ModelsList {
  return {
    object: "list",
    data: models.map((model) => ({
      id: model.id,
      object: "model",
      created: model.created ?? options.created ?? 0,
      owned_by: model.ownedBy ?? options.ownedBy ?? "switchyard",
    })),
  };
}
