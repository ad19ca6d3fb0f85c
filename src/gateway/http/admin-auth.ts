import { createHash, timingSafeEqual } from "node:crypto";
import { presentedKey } from "../auth/client-registry.js";
import type { HeaderSource } from "./exchange.js";

/** Whether a request carries the admin key (Bearer or x-api-key), compared in constant time. */
export function isAdmin(headers: HeaderSource, adminKey: string | undefined): boolean {
  if (!adminKey) return false;
  const key = presentedKey(headers);
  if (!key) return false;
  return timingSafeEqual(digest(key), digest(adminKey));
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
