import { createHash } from "node:crypto";
import type { PathSegment } from "./config-path.js";
import type { Aim } from "./locate-node.js";
import { matchPattern } from "./model-pattern.js";
import { RESPONSES_API_TYPES, VERTEX_TYPE } from "./provider-kinds.js";

/** A problem found by a cross-check, before it is placed in the text. */
export interface CrossProblem {
  path: PathSegment[];
  aim: Aim;
  message: string;
}

/**
 * The rules that span sections: unique provider, model and client names; targets naming known
 * providers; client allowlists naming known models; no two clients sharing a key. Works on the raw
 * data, so it finds these problems even when the schema finds others; values of the wrong type are
 * left to the schema.
 */
export function crossCheck(raw: Record<string, unknown>): CrossProblem[] {
  const problems: CrossProblem[] = [];
  const providers = entries(raw.providers);
  const models = entries(raw.models);
  const clients = entries(raw.clients);

  const providerNames = uniqueNames("providers", "provider", providers, problems);
  const modelNames = uniqueNames("models", "model", models, problems);
  uniqueNames("clients", "client", clients, problems);

  models.forEach((model, modelIndex) => {
    entries(model.targets).forEach((target, targetIndex) => {
      const provider = target.provider;
      if (typeof provider === "string" && provider !== "" && !providerNames.includes(provider)) {
        problems.push({
          path: ["models", modelIndex, "targets", targetIndex, "provider"],
          aim: "value",
          message: `unknown provider "${provider}" (known: ${list(providerNames)})`,
        });
      }
      const type = providers.find((entry) => entry.name === provider)?.type;
      if (target.api !== undefined && typeof type === "string" && !takesApi(type)) {
        problems.push({
          path: ["models", modelIndex, "targets", targetIndex, "api"],
          aim: "key",
          message: `only ${RESPONSES_API_TYPES.join(" and ")} providers take api (${String(provider)} is ${type})`,
        });
      }
      if (target.publisher !== undefined && type !== undefined && type !== VERTEX_TYPE) {
        problems.push({
          path: ["models", modelIndex, "targets", targetIndex, "publisher"],
          aim: "key",
          message: `only targets on ${VERTEX_TYPE} providers take a publisher (${String(provider)} is ${String(type)})`,
        });
      }
    });
  });

  const directModels = providers.flatMap((provider) =>
    Array.isArray(provider.models) ? provider.models.filter(isString) : [],
  );
  const knownModels = [...new Set([...modelNames, ...directModels])];
  // An allow-list entry: a known name, a pattern (`claude/*`, `gpt-*`), or `<provider>/<model>`.
  const allowable = (entry: string): boolean =>
    knownModels.includes(entry) ||
    entry.includes("*") ||
    providerNames.includes(entry.slice(0, Math.max(0, entry.indexOf("/")))) ||
    modelNames.some((name) => name.includes("*") && matchPattern(name, entry) !== undefined);
  const keyOwners = new Map<string, number>();
  clients.forEach((client, clientIndex) => {
    if (Array.isArray(client.models)) {
      client.models.forEach((model: unknown, index) => {
        if (typeof model === "string" && model !== "" && !allowable(model)) {
          problems.push({
            path: ["clients", clientIndex, "models", index],
            aim: "value",
            message: `unknown model "${model}" (known: ${list(knownModels)}; or a pattern with "*", or provider/model)`,
          });
        }
      });
    }
    const field = typeof client.key === "string" ? "key" : "keyHash";
    const hash = clientKeyHash(client);
    if (hash === undefined) return;
    const owner = keyOwners.get(hash);
    if (owner === undefined) keyOwners.set(hash, clientIndex);
    else {
      problems.push({
        path: ["clients", clientIndex, field],
        aim: "value",
        message: `same key as clients[${owner}]; every client needs its own key`,
      });
    }
  });
  return problems;
}

/** The names in a section, reporting each repeat at the later entry. */
function uniqueNames(
  section: string,
  noun: string,
  items: Record<string, unknown>[],
  problems: CrossProblem[],
): string[] {
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    if (typeof item.name !== "string") return;
    const first = seen.get(item.name);
    if (first === undefined) seen.set(item.name, index);
    else {
      problems.push({
        path: [section, index, "name"],
        aim: "value",
        message: `duplicate ${noun} name "${item.name}" (also ${section}[${first}])`,
      });
    }
  });
  return [...seen.keys()];
}

/** `sha256:<hex>` of a client's key, from `key` or `keyHash`. */
function clientKeyHash(client: Record<string, unknown>): string | undefined {
  if (typeof client.key === "string" && client.key !== "") {
    return `sha256:${createHash("sha256").update(client.key).digest("hex")}`;
  }
  if (typeof client.keyHash === "string") return client.keyHash.toLowerCase();
  return undefined;
}

/** The mapping entries of a list, keeping their indexes (others become empty mappings). */
function takesApi(type: string): boolean {
  return (RESPONSES_API_TYPES as readonly string[]).includes(type);
}

function entries(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) return [];
  return value.map((item: unknown) =>
    item !== null && typeof item === "object" && !Array.isArray(item)
      ? (item as Record<string, unknown>)
      : {},
  );
}

function isString(value: unknown): value is string {
  return typeof value === "string";
}

function list(names: readonly string[]): string {
  if (names.length === 0) return "none";
  const shown = names.slice(0, 12).join(", ");
  return names.length > 12 ? `${shown}, ... ${names.length - 12} more` : shown;
}
