import type { DashboardDocument, DashboardElement, DashboardLocation } from "./dom.js";

/**
 * Dashboard client: building elements and talking to the admin API. Every export is a
 * self-contained function declaration (see `dashboard-script.ts`).
 */

declare const document: DashboardDocument;
declare const location: DashboardLocation;

type Child = DashboardElement | string | null | undefined | false;

/** `h("div.card.ok", { title: "x" }, child, ...)`: a tag with optional classes, attributes, children. */
export function h(
  spec: string,
  attributes?: Record<string, string | number | undefined> | null,
  ...children: Child[]
): DashboardElement {
  const [tag, ...classes] = spec.split(".");
  const element = document.createElement(tag || "div");
  if (classes.length > 0) element.className = classes.join(" ");
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value !== undefined) element.setAttribute(name, String(value));
  }
  for (const child of children) if (child) element.append(child);
  return element;
}

/** An SVG element with attributes. */
export function svg(
  tag: string,
  attributes: Record<string, string | number>,
  ...children: DashboardElement[]
): DashboardElement {
  const element = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  for (const child of children) element.append(child);
  return element;
}

/** The element with this id; the page's skeleton has every one the client asks for. */
export function byId(id: string): DashboardElement {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element;
}

/** GETs an admin API path; a lost session sends the page back to sign-in. */
export async function api<T>(path: string): Promise<T> {
  const answer = await adminCall("GET", path);
  if (answer.status >= 400) throw new Error(`${path} answered ${answer.status}`);
  return answer.body as T;
}

/**
 * Calls the admin API with an optional JSON body and answers the status with the parsed body (any
 * status: the caller reads the API's `{ error: { message, param } }`). A lost session sends the
 * page back to sign-in.
 */
export async function adminCall(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(path, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (response.status === 401) {
    location.reload();
    throw new Error("signed out");
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed };
}

/** The admin API's error answer, read: its message and the field it names. */
export function apiError(body: unknown): { message: string; param: string | undefined } {
  const error =
    typeof body === "object" && body !== null ? (body as { error?: unknown }).error : undefined;
  if (typeof error !== "object" || error === null) {
    return { message: "the gateway gave no reason", param: undefined };
  }
  const { message, param } = error as { message?: unknown; param?: unknown };
  return {
    message: typeof message === "string" ? message : "the gateway gave no reason",
    param: typeof param === "string" ? param : undefined,
  };
}
