import type { ChatRequest, ToolChoice } from "../../llm/chat.js";
import { cacheControl, limitCacheBreakpoints } from "./map-content.js";
import { mapMessages } from "./map-messages.js";
import { applyThinking } from "./map-reasoning.js";
import type { AnthropicRequestBody, AnthropicToolChoice } from "./wire-types.js";

export interface MapRequestOptions {
  /** `max_tokens` when the request sets none (the API requires it). */
  defaultMaxTokens: number;
  stream: boolean;
  /** The provider's name, for error messages. */
  provider: string;
}

/**
 * A unified chat request -> a Messages API body (pure). `seed` has no Anthropic equivalent and is
 * dropped; `responseFormat: json` (without a schema) has none either and is dropped; `reasoning`
 * becomes `thinking` by the API's rules (`applyThinking`); cache breakpoints beyond the API's four
 * are dropped from the earliest (see `limitCacheBreakpoints`);
 * `providerOptions.anthropic` is merged over the result last (shallowly), so it can set or override
 * any top-level field.
 */
export function mapRequest(request: ChatRequest, options: MapRequestOptions): AnthropicRequestBody {
  const { system, messages } = mapMessages(request.messages, options.provider);
  const body: AnthropicRequestBody = {
    model: request.model,
    messages,
    max_tokens: request.maxTokens ?? options.defaultMaxTokens,
  };
  if (system !== undefined) body.system = system;
  const tools = request.tools ?? [];
  if (tools.length > 0) {
    body.tools = tools.map((tool) => ({
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      input_schema: tool.parameters,
      ...(tool.strict === true ? { strict: true } : {}),
      ...cacheControl(tool.cacheControl),
    }));
    const choice = mapToolChoice(request.toolChoice, request.parallelToolCalls);
    if (choice !== undefined) body.tool_choice = choice;
  }
  if (request.stop !== undefined && request.stop.length > 0) body.stop_sequences = request.stop;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.user !== undefined) body.metadata = { user_id: request.user };
  if (request.responseFormat?.type === "json_schema") {
    // Structured outputs: the text answer is constrained to the schema.
    body.output_config = { format: { type: "json_schema", schema: request.responseFormat.schema } };
  }
  applyThinking(body, request);
  if (options.stream) body.stream = true;
  limitCacheBreakpoints(body);
  const extra = request.providerOptions?.anthropic;
  return extra === undefined ? body : { ...body, ...extra };
}

/**
 * `required` is the API's `any`; `parallelToolCalls: false` becomes `disable_parallel_tool_use`
 * (with `auto` when no choice was given). `none` cannot carry that flag.
 */
function mapToolChoice(
  choice: ToolChoice | undefined,
  parallelToolCalls: boolean | undefined,
): AnthropicToolChoice | undefined {
  const serial = parallelToolCalls === false ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined) {
    return parallelToolCalls === false ? { type: "auto", ...serial } : undefined;
  }
  if (choice === "none") return { type: "none" };
  if (choice === "auto") return { type: "auto", ...serial };
  if (choice === "required") return { type: "any", ...serial };
  return { type: "tool", name: choice.name, ...serial };
}
