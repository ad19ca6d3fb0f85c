export type { AwsCredentialSource, AwsCredentials } from "./aws-credentials.js";
export { type BedrockProviderOptions, createBedrockProvider } from "./create-bedrock-provider.js";
export { decodeEventStream, type EventStreamMessage } from "./decode-event-stream.js";
export { mapConverseRequest } from "./map-converse-request.js";
export {
  mapConverseResponse,
  mapConverseStopReason,
  mapConverseUsage,
} from "./map-converse-response.js";
export { mapConverseStream } from "./map-converse-stream.js";
export { classifyBedrockError, mapBedrockError, mapBedrockStreamException } from "./map-error.js";
export { signRequest } from "./sign-request.js";
