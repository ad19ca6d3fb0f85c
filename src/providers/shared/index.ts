export type { AdapterOptions } from "./adapter-options.js";
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
export { parseDurationText, parseRetryAfterMs } from "./retry-after.js";
