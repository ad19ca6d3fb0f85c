// Test helpers, exported as `switchyard/testing`: a mock provider server that speaks the vendors'
// wire formats (faults included), for our tests and benchmarks and for users' failover tests.

export {
  bedrockMockSecret,
  signedAccessKeyId,
  vertexMockToken,
} from "./builtin-mock-vendors.js";
export type {
  MockBehaviour,
  MockBehaviourSource,
  MockErrorBehaviour,
  MockErrorKind,
  MockErrorSpec,
  MockFault,
  MockFaultBehaviour,
  MockFaultName,
  MockRecordedRequest,
  MockReply,
  MockReplyBehaviour,
  MockResponseOptions,
  MockRoute,
  MockServerStats,
  MockToolCall,
  MockUsage,
} from "./mock-behaviour.js";
export { DEFAULT_MOCK_TEXT, MOCK_ERROR_KINDS } from "./mock-behaviour.js";
export {
  type MockProviderServer,
  type MockProviderServerOptions,
  startMockProviderServer,
} from "./mock-provider-server.js";
export { reserveClosedPort } from "./reserve-closed-port.js";
