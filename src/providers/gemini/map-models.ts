import type { ModelInfo } from "../../llm/llm-provider.js";
import { asArray, asRecord, asString } from "../shared/json-fields.js";

/** A `GET /models` page -> model infos (`models/` prefix removed) and the next page's token. */
export function mapGeminiModels(body: unknown): {
  models: ModelInfo[];
  nextPageToken: string | undefined;
} {
  const page = asRecord(body);
  const models: ModelInfo[] = [];
  for (const item of asArray(page?.models)) {
    const name = asString(asRecord(item)?.name);
    if (name !== undefined) models.push({ id: name.replace(/^models\//, ""), ownedBy: "google" });
  }
  const token = asString(page?.nextPageToken);
  return { models, nextPageToken: token === "" ? undefined : token };
}
