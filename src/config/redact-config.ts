import type { SwitchyardConfig } from "./config-schema.js";
import { isCredentialHeaderName } from "./credential-header.js";

export { isCredentialHeaderName };

/** The fields of a provider key entry that hold a secret. */
export const KEY_SECRET_FIELDS = ["key", "accessKeyId", "secretAccessKey", "sessionToken"] as const;

/** What every secret becomes in redacted output. */
export const REDACTED = "***redacted***";

const CREDENTIAL_VALUE_PREFIX =
  /^(bearer|basic|digest|token|apikey|api-key)\s|^(sk|pk|rk|key|api)[-_]/i;
const OPAQUE_TOKEN = /^[A-Za-z0-9_\-.=+/:]{24,}$/;

/**
 * A deep copy of `config` safe to show (admin API, dashboard): provider keys (AWS key pairs and
 * session tokens included), Entra ID client secrets, client keys and key
 * hashes, the admin key, passwords in the redis and database URLs, alert webhook paths and signing
 * secrets, and header values (a provider's, a model target's) that look like credentials are replaced by `***redacted***`. The input is not changed.
 */
export function redactConfig(config: SwitchyardConfig): SwitchyardConfig {
  const copy = structuredClone(config);
  if (copy.server.adminKey !== undefined) copy.server.adminKey = REDACTED;
  for (const provider of copy.providers) {
    for (const entry of provider.keys) {
      for (const field of KEY_SECRET_FIELDS)
        if (entry[field] !== undefined) entry[field] = REDACTED;
    }
    if (provider.auth?.type === "entra") provider.auth.clientSecret = REDACTED;
    redactHeaders(provider.headers);
  }
  for (const model of copy.models) {
    for (const target of model.targets) redactHeaders(target.headers);
  }
  for (const client of copy.clients ?? []) {
    if (client.key !== undefined) client.key = REDACTED;
    if (client.keyHash !== undefined) client.keyHash = REDACTED;
  }
  if (copy.state?.redis !== undefined) copy.state.redis = redactUrlPassword(copy.state.redis);
  if (copy.database !== undefined) copy.database.url = redactUrlPassword(copy.database.url);
  for (const alert of copy.alerts) {
    // A webhook URL is a credential (Slack's carry their token): only its origin is shown.
    alert.url = `${new URL(alert.url).origin}/${REDACTED}`;
    if (alert.secret !== undefined) alert.secret = REDACTED;
  }
  return copy;
}

/** Replaces, in place, the values of headers that look like credentials. */
function redactHeaders(headers: Record<string, string> | undefined): void {
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (looksLikeCredential(name, value)) (headers as Record<string, string>)[name] = REDACTED;
  }
}

/** Whether a header carries a credential, judged by its name or the look of its value. */
export function looksLikeCredential(name: string, value: string): boolean {
  if (isCredentialHeaderName(name) || CREDENTIAL_VALUE_PREFIX.test(value)) return true;
  return OPAQUE_TOKEN.test(value) && /[0-9]/.test(value) && /[A-Za-z]/.test(value);
}

/**
 * `redis://user:secret@host:6379` -> `redis://user:***redacted***@host:6379`; a `password=` query
 * parameter is redacted too. Text that is not such a URL comes back unchanged.
 */
export function redactUrlPassword(url: string): string {
  return url
    .replace(
      /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#@]*)@/,
      (_, scheme: string, userinfo: string) => {
        const colon = userinfo.indexOf(":");
        return colon === -1
          ? `${scheme}${userinfo}@`
          : `${scheme}${userinfo.slice(0, colon)}:${REDACTED}@`;
      },
    )
    .replace(/([?&](?:password|pass|pwd|sslpassword)=)[^&#]*/gi, `$1${REDACTED}`);
}
