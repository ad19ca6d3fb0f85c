/**
 * An Embeddings request body -> the unified `EmbeddingsRequest` and the wire encoding the client
 * wants back. `input` is a string or an array of strings; token arrays (`number[]`, `number[][]`)
 * are a 400, because upstreams of other formats cannot take them. Unknown top-level fields go to
 * `providerOptions[OPENAI_EXTRAS_KEY]`, as for chat.
 */
import { z } from "zod";
import type { EmbeddingsRequest } from "../../../llm/embeddings.js";
import { invalidJsonBodyError, type ParseResult } from "../gateway-request-error.js";
import { parseReportingInput } from "../parse-reporting-input.js";
import { OPENAI_EXTRAS_KEY } from "./parse-chat-request.js";
import { invalidParam, requestErrorFromIssue } from "./request-error-from-issue.js";

export type EmbeddingEncodingFormat = "float" | "base64";

export interface ParsedEmbeddingsRequest {
  request: EmbeddingsRequest;
  encodingFormat: EmbeddingEncodingFormat;
}

const embeddingsRequestSchema = z.object({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.unknown()).min(1)]),
  dimensions: z.number().int().min(1).nullish(),
  encoding_format: z.enum(["float", "base64"]).nullish(),
  user: z.string().nullish(),
});

const KNOWN_KEYS: ReadonlySet<string> = new Set(Object.keys(embeddingsRequestSchema.shape));

export function parseEmbeddingsRequest(body: unknown): ParseResult<ParsedEmbeddingsRequest> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, error: invalidJsonBodyError("expected an object") };
  }
  const parsed = parseReportingInput(embeddingsRequestSchema, body);
  if (!parsed.success) return { ok: false, error: requestErrorFromIssue(parsed.error.issues[0]) };
  const data = parsed.data;

  let input: string[];
  if (typeof data.input === "string") {
    input = [data.input];
  } else {
    input = [];
    for (let index = 0; index < data.input.length; index++) {
      const item = data.input[index];
      if (typeof item === "string") {
        input.push(item);
        continue;
      }
      const isTokens = typeof item === "number" || Array.isArray(item);
      return {
        ok: false,
        error: invalidParam(
          isTokens ? "input" : `input[${index}]`,
          isTokens
            ? "Invalid value for 'input': token arrays are not supported by this gateway; send the text as a string or an array of strings."
            : `Invalid type for 'input[${index}]': expected a string.`,
        ),
      };
    }
  }
  const emptyIndex = input.indexOf("");
  if (emptyIndex !== -1) {
    const param = typeof data.input === "string" ? "input" : `input[${emptyIndex}]`;
    return {
      ok: false,
      error: invalidParam(param, `Invalid value for '${param}': the input must not be empty.`),
    };
  }

  const request: EmbeddingsRequest = { model: data.model, input };
  if (typeof data.dimensions === "number") request.dimensions = data.dimensions;
  if (typeof data.user === "string") request.user = data.user;
  let extras: Record<string, unknown> | undefined;
  const raw = body as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (KNOWN_KEYS.has(key)) continue;
    extras ??= {};
    extras[key] = raw[key];
  }
  if (extras !== undefined) request.providerOptions = { [OPENAI_EXTRAS_KEY]: extras };
  return { ok: true, value: { request, encodingFormat: data.encoding_format ?? "float" } };
}
