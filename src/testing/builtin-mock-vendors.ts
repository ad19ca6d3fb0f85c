import {
  type ANTHROPIC_MOCK_ROUTES,
  anthropicMockVendor,
} from "../providers/anthropic/mock/anthropic-mock-vendor.js";
import {
  type AZURE_MOCK_ROUTES,
  azureMockVendor,
} from "../providers/azure-openai/mock/azure-mock-vendor.js";
import {
  type BEDROCK_MOCK_ROUTES,
  bedrockMockVendor,
} from "../providers/bedrock/mock/bedrock-mock-vendor.js";
import {
  type GEMINI_MOCK_ROUTES,
  geminiMockVendor,
} from "../providers/gemini/mock/gemini-mock-vendor.js";
import {
  type OPENAI_MOCK_ROUTES,
  openaiMockVendor,
} from "../providers/openai/mock/openai-mock-vendor.js";
import {
  type VERTEX_MOCK_ROUTES,
  vertexMockVendor,
} from "../providers/vertex/mock/vertex-mock-vendor.js";
import type { MockVendor } from "./mock-kit/mock-vendor.js";

/**
 * The one place the mock server meets the vendors: it lists their mock routes. Anthropic comes
 * first because it claims `GET /v1/models` only by its headers, and OpenAI takes it otherwise.
 */
export const BUILTIN_MOCK_VENDORS: readonly MockVendor[] = [
  anthropicMockVendor,
  openaiMockVendor,
  geminiMockVendor,
  azureMockVendor,
  bedrockMockVendor,
  vertexMockVendor,
];

export type BuiltinMockRoute =
  | (typeof OPENAI_MOCK_ROUTES)[number]
  | (typeof ANTHROPIC_MOCK_ROUTES)[number]
  | (typeof GEMINI_MOCK_ROUTES)[number]
  | (typeof AZURE_MOCK_ROUTES)[number]
  | (typeof BEDROCK_MOCK_ROUTES)[number]
  | (typeof VERTEX_MOCK_ROUTES)[number];

export {
  bedrockMockSecret,
  signedAccessKeyId,
} from "../providers/bedrock/mock/bedrock-mock-signature.js";
export { vertexMockToken } from "../providers/vertex/mock/vertex-mock-token.js";
