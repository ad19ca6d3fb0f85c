import { randomBytes } from "node:crypto";
import { isIP } from "node:net";
import type { LoadedConfig } from "../config/index.js";

/** How the demo's dashboard can be opened, as the banner tells it. */
export type DemoDashboard =
  /** An admin key made at start: the banner prints `/ui?key=<it>`, and nothing else ever does. */
  | { kind: "generated"; adminKey: string }
  /** `SWITCHYARD_ADMIN_KEY` (or the config) set one: sign in with it. */
  | { kind: "configured" }
  /** Bound beyond loopback with no admin key: no key is made, the dashboard stays off. */
  | { kind: "off"; host: string };

/** A fresh admin key for one demo run: `sy-demo-` and 24 random bytes in base64url. */
export function newDemoAdminKey(): string {
  return `sy-demo-${randomBytes(24).toString("base64url")}`;
}

/**
 * Whether `host` only accepts connections from this machine: `localhost`, 127.0.0.0/8 or `::1`.
 * Anything else (`0.0.0.0`, `::`, a LAN address, another name) is not.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (bare.toLowerCase() === "localhost") return true;
  if (isIP(bare) === 4) return bare.split(".")[0] === "127";
  if (isIP(bare) === 6) return bare === "::1" || /^(0{1,4}:){7}0{0,3}1$/.test(bare);
  return false;
}

/**
 * The demo config with its dashboard on: when it has no admin key and the gateway listens on
 * loopback only (`host`: the `--host` override, else `server.host`), `generatedKey()` becomes the
 * admin key. A demo bound beyond loopback never gets a generated key.
 */
export function withDemoDashboard(
  loaded: LoadedConfig,
  host: string | undefined,
  generatedKey: () => string,
): { loaded: LoadedConfig; dashboard: DemoDashboard } {
  const server = loaded.config.server;
  if (server.adminKey) return { loaded, dashboard: { kind: "configured" } };
  const boundTo = host ?? server.host;
  if (!isLoopbackHost(boundTo)) return { loaded, dashboard: { kind: "off", host: boundTo } };
  const adminKey = generatedKey();
  return {
    loaded: { ...loaded, config: { ...loaded.config, server: { ...server, adminKey } } },
    dashboard: { kind: "generated", adminKey },
  };
}
