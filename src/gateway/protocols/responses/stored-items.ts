/** Input items as stored and listed, with their vendor-shaped ids. */
import { randomBytes } from "node:crypto";
import type { ResponsesInputItem, ResponsesRequestBody } from "./responses-request-schema.js";

/** An input or output item as stored and listed (`GET /v1/responses/{id}/input_items`). */
export type StoredItem = Record<string, unknown> & { type: string; id: string };

/** The input as items, each with an id (`msg_...`, `fc_...`), as the vendor lists them. */
export function normalizeItems(input: ResponsesRequestBody["input"]): StoredItem[] {
  if (typeof input === "string") {
    return [
      {
        type: "message",
        id: itemId("msg"),
        role: "user",
        content: [{ type: "input_text", text: input }],
      },
    ];
  }
  return input.map((item: ResponsesInputItem): StoredItem => {
    const type = item.type ?? "message";
    const prefix =
      type === "function_call" ? "fc" : type === "function_call_output" ? "fco" : "msg";
    const normalized: Record<string, unknown> = { ...item, type };
    if (typeof normalized.id !== "string") normalized.id = itemId(prefix);
    if (type === "message" && typeof normalized.content === "string") {
      const partType = normalized.role === "assistant" ? "output_text" : "input_text";
      normalized.content = [{ type: partType, text: normalized.content }];
    }
    return normalized as StoredItem;
  });
}

/** A vendor-shaped item id: the prefix, `_`, then 48 hex characters. */
export function itemId(prefix: string): string {
  return `${prefix}_${randomBytes(24).toString("hex")}`;
}
