/** Responses `tools` and `tool_choice` -> the unified tool definitions and tool choice. */
import type { ToolChoice, ToolDefinition } from "../../../llm/chat.js";
import { requestErrorFromIssue } from "../openai/request-error-from-issue.js";
import { FUNCTION_TOOL, type ResponsesRequestBody } from "./responses-request-schema.js";
import { untranslatable } from "./untranslatable.js";

export function toToolDefinition(
  tool: NonNullable<ResponsesRequestBody["tools"]>[number],
  index: number,
): ToolDefinition {
  const parsed = FUNCTION_TOOL.safeParse(tool);
  if (!parsed.success) {
    if (tool.type !== "function") {
      throw untranslatable(
        `tools[${index}].type`,
        `Invalid value for 'tools[${index}].type': built-in tool '${tool.type}' cannot be sent to this model's targets.`,
      );
    }
    throw requestErrorFromIssue({
      ...(parsed.error.issues[0] as NonNullable<(typeof parsed.error.issues)[0]>),
      path: ["tools", index, ...(parsed.error.issues[0]?.path ?? [])],
    });
  }
  const definition: ToolDefinition = {
    name: parsed.data.name,
    parameters: parsed.data.parameters ?? { type: "object", properties: {} },
  };
  if (typeof parsed.data.description === "string") definition.description = parsed.data.description;
  if (typeof parsed.data.strict === "boolean") definition.strict = parsed.data.strict;
  return definition;
}

export function toToolChoice(choice: NonNullable<ResponsesRequestBody["tool_choice"]>): ToolChoice {
  return typeof choice === "string" ? choice : { name: choice.name };
}
