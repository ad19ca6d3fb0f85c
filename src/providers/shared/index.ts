export type { AdapterOptions } from "./adapter-options.js";
export { contentCodings, decodeContent } from "./decode-content.js";
export {
  createHttpClient,
  type HttpClient,
  type HttpClientOptions,
  type HttpRequestOptions,
  type HttpResponse,
} from "./http-client.js";
export {
  isRecord,
  type JsonRecord,
  readArray,
  readNumber,
  readRecord,
  readString,
} from "./json-fields.js";
export { mapNetworkError, type NetworkTimeouts } from "./map-network-error.js";
export { parseJsonText } from "./parse-json-text.js";
export { parseSse, type SseEvent } from "./parse-sse.js";
export {
  checkMaxResponseBytes,
  DEFAULT_MAX_RESPONSE_BYTES,
  limitBody,
  RESPONSE_TOO_LARGE,
  type ResponseLimit,
  readBodyLimited,
  responseTooLargeError,
} from "./response-limit.js";
export { parseDurationText, parseRetryAfterMs } from "./retry-after.js";
