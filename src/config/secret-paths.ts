import type { PathSegment } from "./config-path.js";
import { KEY_SECRET_FIELDS } from "./redact-config.js";

/**
 * Whether a value at `path` is (or may be) a secret, so no message may show it: provider keys (and
 * AWS key pairs, session tokens and Entra ID client secrets), client
 * keys and key hashes, the admin key, header values (a provider's and a model target's), and the redis and database URLs (which may carry
 * passwords). Places where a secret may land by mistake count too: a key written straight into the
 * `keys` list (`keys: [sk-...]`) or a client written as a bare key.
 */
export function isSecretPath(path: readonly PathSegment[]): boolean {
  const [section, index, field, subIndex, subField] = path;
  switch (section) {
    case "providers":
      if (typeof index !== "number") return false;
      if (field === "headers") return true;
      if (field === "auth") return path.length === 3 || subIndex === "clientSecret";
      return (
        field === "keys" &&
        (path.length === 3 ||
          (typeof subIndex === "number" &&
            (path.length === 4 || (KEY_SECRET_FIELDS as readonly unknown[]).includes(subField))))
      );
    case "models":
      // A target's upstream headers, like a provider's: their values may carry credentials.
      return typeof index === "number" && field === "targets" && subField === "headers";
    case "clients":
      if (path.length <= 2) return true;
      return typeof index === "number" && (field === "key" || field === "keyHash");
    case "server":
      return index === undefined || index === "adminKey";
    case "state":
      return index === undefined || index === "redis";
    case "database":
      return index === undefined || index === "url";
    case "alerts":
      // A webhook URL is a credential (Slack's carry their token); so is its signing secret.
      return (
        typeof index !== "number" || field === undefined || field === "url" || field === "secret"
      );
    default:
      return false;
  }
}
