import { entryAdmits } from "../../config/model-pattern.js";

/**
 * The models a client or runtime key may call: each list is exact names and patterns (`claude/*`,
 * `gpt-*`), and a name must be admitted by every list given (a key's own and its team's).
 */
export class ModelAllowList {
  private readonly lists: readonly (readonly string[])[];

  constructor(...lists: readonly (readonly string[])[]) {
    this.lists = lists;
  }

  /** Whether a requested model name (a logical name, `provider/model`, a wildcard's match) is allowed. */
  allows(name: string): boolean {
    return this.lists.every((list) => list.some((entry) => entryAdmits(entry, name)));
  }
}
