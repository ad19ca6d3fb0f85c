import type {
  MockErrorKind,
  MockRequestContext,
  MockRouteMatch,
  MockVendor,
  RenderedResponse,
  ResolvedMockError,
} from "../../../testing/mock-kit/mock-vendor.js";
import { safeDecode } from "../../../testing/mock-kit/mock-wire-helpers.js";
import { openaiMockChatHandler } from "../../openai/mock/openai-mock-chat.js";
import { openaiEmbeddingsHandler } from "../../openai/mock/openai-mock-embeddings.js";
import {
  openaiStatusFor,
  renderOpenaiError,
  renderOpenaiErrorEvent,
} from "../../openai/mock/openai-mock-errors.js";
import { openaiModelsHandler } from "../../openai/mock/openai-mock-models.js";

export const AZURE_MOCK_ROUTES = ["azure.chat", "azure.embeddings", "azure.models"] as const;

const DEPLOYMENT_PATH = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/;

/**
 * Azure OpenAI's paths (`/openai/deployments/{deployment}/chat/completions|embeddings`,
 * `/openai/models`), speaking OpenAI's wire format, so `openai`'s `AzureOpenAI` client works with
 * `endpoint: mock.url`. Every request must carry `api-version` and an `api-key` (or a bearer token),
 * or it is refused as Azure refuses it.
 */
export const azureMockVendor: MockVendor = {
  routes: AZURE_MOCK_ROUTES,
  match(method, path): MockRouteMatch | undefined {
    if (method === "GET" && path === "/openai/models") {
      return { route: "azure.models", handler: openaiModelsHandler, params: {} };
    }
    const found = method === "POST" ? DEPLOYMENT_PATH.exec(path) : null;
    if (found === null) return undefined;
    const deployment = safeDecode(found[1] ?? "");
    return found[2] === "embeddings"
      ? { route: "azure.embeddings", handler: openaiEmbeddingsHandler, params: { deployment } }
      : { route: "azure.chat", handler: openaiMockChatHandler, params: { deployment } };
  },
  intercept(context) {
    if (!context.query.get("api-version")) {
      return azureError(404, "404", "Resource not found");
    }
    const key = context.headers["api-key"];
    const bearer = context.headers.authorization?.startsWith("Bearer ");
    if ((typeof key !== "string" || key === "") && !bearer) {
      return azureError(
        401,
        "401",
        "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.",
      );
    }
    return undefined;
  },
  renderError: renderAzureError,
  renderErrorEvent: renderOpenaiErrorEvent,
  statusFor: (kind: MockErrorKind) => openaiStatusFor(kind),
};

/** Azure's own wording where it differs from OpenAI's; OpenAI's shape otherwise. */
function renderAzureError(error: ResolvedMockError, context: MockRequestContext): RenderedResponse {
  const seconds = error.retryAfterSeconds ?? 10;
  switch (error.kind) {
    case "rate_limit":
      return azureError(
        error.status,
        String(error.status),
        error.message ??
          `Requests to the ChatCompletions_Create Operation under Azure OpenAI API version ${context.query.get("api-version")} have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after ${seconds} seconds.`,
        {
          "retry-after": String(Math.ceil(seconds)),
          "retry-after-ms": String(Math.round(seconds * 1000)),
          "x-ratelimit-remaining-requests": "0",
        },
      );
    case "auth":
      return azureError(
        error.status,
        String(error.status),
        error.message ?? "Access denied due to invalid subscription key or wrong API endpoint.",
      );
    case "content_filter":
      return json(error.status, {
        error: {
          message:
            error.message ??
            "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry.",
          type: null,
          param: "prompt",
          code: "content_filter",
          status: error.status,
          innererror: {
            code: "ResponsibleAIPolicyViolation",
            content_filter_result: {
              hate: { filtered: true, severity: "high" },
              self_harm: { filtered: false, severity: "safe" },
              sexual: { filtered: false, severity: "safe" },
              violence: { filtered: false, severity: "safe" },
            },
          },
        },
      });
    case "not_found":
      return azureError(
        error.status,
        "DeploymentNotFound",
        error.message ??
          "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.",
      );
    default:
      return renderOpenaiError(error, context);
  }
}

function azureError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): RenderedResponse {
  return { ...json(status, { error: { code, message } }), headers: { ...jsonType, ...headers } };
}

const jsonType = { "content-type": "application/json" };

function json(status: number, body: unknown): RenderedResponse {
  return { status, headers: { ...jsonType }, body: JSON.stringify(body) };
}
