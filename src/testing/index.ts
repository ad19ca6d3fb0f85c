// Test helpers, exported as `switchyard/testing`: a mock provider server that speaks the vendors'
// wire formats (faults included), for our tests and benchmarks and for users' failover tests.

export {
  bedrockMockSecret,
  signedAccessKeyId,
  vertexMockToken,
} from "./builtin-mock-vendors.js";
export { FakeClock, flushPromises } from "./fake-clock.js";
export type {
  MockBehaviour,
  MockBehaviourSource,
  MockErrorBehaviour,
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
export { DEFAULT_MOCK_TEXT } from "./mock-behaviour.js";
export { MOCK_ERROR_KINDS, type MockErrorKind } from "./mock-kit/mock-vendor.js";
export {
  type MockProviderServer,
  type MockProviderServerOptions,
  startMockProviderServer,
} from "./mock-provider-server.js";
export { reserveClosedPort } from "./reserve-closed-port.js";
export {
  createScriptedProvider,
  type ScriptedProvider,
  type ScriptStep,
} from "./scripted-provider.js";
