import { ProviderError } from "../../errors/provider-error.js";

/**
 * `JSON.parse`, but malformed text becomes a `transient` ProviderError (a garbled body or event is
 * a fault of the transport or the server, worth a retry elsewhere). `what` names the text in the
 * message, e.g. "response body" or "stream event".
 */
export function parseJsonText(
  text: string,
  options: { provider: string; what: string; status?: number },
): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const preview = text.length > 80 ? `${text.slice(0, 80)}...` : text;
    return throwMalformed(options, preview, text.length, error);
  }
}

function throwMalformed(
  options: { provider: string; what: string; status?: number },
  preview: string,
  length: number,
  cause: unknown,
): never {
  throw new ProviderError(
    `${options.provider} sent a malformed JSON ${options.what} (${length} chars): ${JSON.stringify(preview)}`,
    { kind: "transient", provider: options.provider, status: options.status, cause },
  );
}
