import { asRecord } from "../../../testing/mock-kit/mock-wire-helpers.js";

/**
 * The checks `generateContent` makes on parts: `inlineData` and `fileData` with a MIME type (and
 * data or a URI), and `functionResponse.parts` holding only media. The API's message, or `undefined`.
 */
export function checkGeminiContent(body: unknown): string | undefined {
  const contents = asRecord(body)?.contents;
  if (!Array.isArray(contents)) return undefined;
  for (const [index, content] of contents.entries()) {
    const parts = asRecord(content)?.parts;
    if (!Array.isArray(parts)) continue;
    for (const [partIndex, part] of parts.entries()) {
      const path = `contents[${index}].parts[${partIndex}]`;
      const record = asRecord(part) ?? {};
      const problem = checkMedia(record, path) ?? checkFunctionResponse(record, path);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}

function checkMedia(part: Record<string, unknown>, path: string): string | undefined {
  const inline = asRecord(part.inlineData);
  if (
    inline !== undefined &&
    (typeof inline.mimeType !== "string" || typeof inline.data !== "string")
  ) {
    return `* GenerateContentRequest.${path}.inline_data: mime_type and data are required.`;
  }
  const file = asRecord(part.fileData);
  if (
    file !== undefined &&
    (typeof file.mimeType !== "string" || typeof file.fileUri !== "string")
  ) {
    return `* GenerateContentRequest.${path}.file_data: mime_type and file_uri are required.`;
  }
  return undefined;
}

function checkFunctionResponse(part: Record<string, unknown>, path: string): string | undefined {
  const response = asRecord(part.functionResponse);
  if (response === undefined) return undefined;
  if (asRecord(response.response) === undefined) {
    return `* GenerateContentRequest.${path}.function_response.response: must be an object.`;
  }
  if (response.parts === undefined) return undefined;
  if (!Array.isArray(response.parts)) {
    return `* GenerateContentRequest.${path}.function_response.parts: must be a list.`;
  }
  for (const [index, inner] of response.parts.entries()) {
    const record = asRecord(inner) ?? {};
    if (record.inlineData === undefined && record.fileData === undefined) {
      return `* GenerateContentRequest.${path}.function_response.parts[${index}]: only inline_data and file_data are allowed.`;
    }
    const problem = checkMedia(record, `${path}.function_response.parts[${index}]`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
