import type { MockRouteMatch, MockVendor } from "../../../testing/mock-kit/mock-vendor.js";
import { safeDecode } from "../../../testing/mock-kit/mock-wire-helpers.js";
import { bedrockConverseHandler, bedrockModelsHandler } from "./bedrock-mock-converse.js";
import {
  bedrockStatusFor,
  renderBedrockError,
  renderBedrockErrorEvent,
} from "./bedrock-mock-errors.js";
import { bedrockInvokeHandler, checkInvokeBody } from "./bedrock-mock-invoke.js";
import { verifyBedrockSignature } from "./bedrock-mock-signature.js";

export const BEDROCK_MOCK_ROUTES = [
  "bedrock.converse",
  "bedrock.converse-stream",
  "bedrock.invoke",
  "bedrock.invoke-with-response-stream",
  "bedrock.models",
] as const;

const MODEL_PATH =
  /^\/model\/([^/]+)\/(converse|converse-stream|invoke|invoke-with-response-stream)$/;

/**
 * Bedrock runtime's Converse and InvokeModel (Claude's Messages body) paths and the control plane's `GET /foundation-models`, so
 * `@aws-sdk/client-bedrock-runtime` works with `endpoint: mock.url`. Every request's SigV4 signature
 * is checked (see `bedrockMockSecret`); a missing or wrong one is refused as Bedrock refuses it.
 */
export const bedrockMockVendor: MockVendor = {
  routes: BEDROCK_MOCK_ROUTES,
  match(method, path): MockRouteMatch | undefined {
    if (method === "GET" && path === "/foundation-models") {
      return { route: "bedrock.models", handler: bedrockModelsHandler, params: {} };
    }
    const found = method === "POST" ? MODEL_PATH.exec(path) : null;
    if (found === null) return undefined;
    const action = found[2] ?? "";
    return {
      route: `bedrock.${action}`,
      handler: action.startsWith("invoke") ? bedrockInvokeHandler : bedrockConverseHandler,
      params: { model: safeDecode(found[1] ?? "") },
    };
  },
  intercept: async (context) => (await verifyBedrockSignature(context)) ?? checkInvokeBody(context),
  renderError: renderBedrockError,
  renderErrorEvent: renderBedrockErrorEvent,
  statusFor: bedrockStatusFor,
};
