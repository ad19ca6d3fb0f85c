import type { ChatRequest, ResponseFormat, ToolChoice, ToolDefinition } from "../../llm/chat.js";
import { asRecord, type JsonRecord } from "../shared/json-fields.js";
import {
  type GeminiSchemaFormat,
  stripSchemaDialect,
  toOpenApiSchema,
} from "./convert-json-schema.js";
import { mapMessages } from "./map-messages.js";
import { thinkingConfigOf } from "./map-reasoning.js";

export interface MapGeminiRequestOptions {
  /** The provider name, for error messages. */
  provider: string;
  /** Default `json-schema`. */
  schemaFormat?: GeminiSchemaFormat;
}

/**
 * A unified ChatRequest -> the body of `generateContent` / `streamGenerateContent` (the model goes
 * in the path, see `modelPath`). `parallelToolCalls` and `user` have no Gemini equivalent and are
 * ignored. `reasoning` becomes `generationConfig.thinkingConfig` (`thinkingConfigOf`).
 * `providerOptions.gemini` is merged last (objects such as `generationConfig` key by key).
 */
export function mapGeminiRequest(
  request: ChatRequest,
  options: MapGeminiRequestOptions,
): JsonRecord {
  const schemaFormat = options.schemaFormat ?? "json-schema";
  const { systemInstruction, contents } = mapMessages(request.messages, options.provider);
  const body: JsonRecord = { contents };
  if (systemInstruction !== undefined) body.systemInstruction = systemInstruction;

  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = [
      { functionDeclarations: request.tools.map((tool) => mapTool(tool, schemaFormat)) },
    ];
  }
  if (request.toolChoice !== undefined) {
    body.toolConfig = { functionCallingConfig: mapToolChoice(request.toolChoice) };
  }

  const generationConfig: JsonRecord = {};
  if (request.temperature !== undefined) generationConfig.temperature = request.temperature;
  if (request.topP !== undefined) generationConfig.topP = request.topP;
  if (request.maxTokens !== undefined) generationConfig.maxOutputTokens = request.maxTokens;
  if (request.stop !== undefined && request.stop.length > 0) {
    generationConfig.stopSequences = request.stop;
  }
  if (request.seed !== undefined) generationConfig.seed = request.seed;
  if (request.responseFormat !== undefined) {
    Object.assign(generationConfig, mapResponseFormat(request.responseFormat, schemaFormat));
  }
  const thinkingConfig = thinkingConfigOf(request);
  if (thinkingConfig !== undefined) generationConfig.thinkingConfig = thinkingConfig;
  if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig;

  const extra = request.providerOptions?.gemini;
  return extra === undefined ? body : mergeOptions(body, extra);
}

/** `gemini-2.5-flash` -> `models/gemini-2.5-flash`; `models/...` and `tunedModels/...` pass as is. */
export function modelName(model: string): string {
  return /^(models|tunedModels)\//.test(model) ? model : `models/${model}`;
}

/** The URL path of a model resource: `/models/gemini-2.5-flash`, each segment URL-encoded. */
export function modelPath(model: string): string {
  return `/${modelName(model).split("/").map(encodeURIComponent).join("/")}`;
}

function mapTool(tool: ToolDefinition, schemaFormat: GeminiSchemaFormat): JsonRecord {
  const declaration: JsonRecord = { name: tool.name };
  if (tool.description !== undefined) declaration.description = tool.description;
  if (schemaFormat === "json-schema") {
    declaration.parametersJsonSchema = stripSchemaDialect(tool.parameters);
    return declaration;
  }
  const parameters = toOpenApiSchema(tool.parameters);
  // Gemini rejects an OBJECT with no properties; a function without parameters leaves them out.
  const properties = asRecord(parameters.properties);
  if (properties !== undefined && Object.keys(properties).length > 0) {
    declaration.parameters = parameters;
  }
  return declaration;
}

function mapToolChoice(choice: ToolChoice): JsonRecord {
  switch (choice) {
    case "auto":
      return { mode: "AUTO" };
    case "none":
      return { mode: "NONE" };
    case "required":
      return { mode: "ANY" };
    default:
      return { mode: "ANY", allowedFunctionNames: [choice.name] };
  }
}

function mapResponseFormat(format: ResponseFormat, schemaFormat: GeminiSchemaFormat): JsonRecord {
  switch (format.type) {
    case "text":
      return {};
    case "json":
      return { responseMimeType: "application/json" };
    case "json_schema":
      return schemaFormat === "json-schema"
        ? {
            responseMimeType: "application/json",
            responseJsonSchema: stripSchemaDialect(format.schema),
          }
        : { responseMimeType: "application/json", responseSchema: toOpenApiSchema(format.schema) };
  }
}

/** Top-level keys replace, except plain objects on both sides, which merge key by key (one level). */
function mergeOptions(body: JsonRecord, extra: JsonRecord): JsonRecord {
  const result: JsonRecord = { ...body };
  for (const [key, value] of Object.entries(extra)) {
    const current = asRecord(result[key]);
    const incoming = asRecord(value);
    result[key] =
      current !== undefined && incoming !== undefined ? { ...current, ...incoming } : value;
  }
  return result;
}
