/** Responses `text.format` -> the unified response format. */
import type { ResponseFormat } from "../../../llm/chat.js";
import type { ResponsesRequestBody } from "./responses-request-schema.js";

export function toResponseFormat(
  format: NonNullable<NonNullable<ResponsesRequestBody["text"]>["format"]>,
): ResponseFormat {
  switch (format.type) {
    case "text":
      return { type: "text" };
    case "json_object":
      return { type: "json" };
    case "json_schema": {
      const result: ResponseFormat = {
        type: "json_schema",
        name: format.name,
        schema: format.schema,
      };
      if (typeof format.description === "string") result.description = format.description;
      if (typeof format.strict === "boolean") result.strict = format.strict;
      return result;
    }
  }
}
