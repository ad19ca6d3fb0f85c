import { randomId } from "../../../testing/mock-kit/mock-wire-helpers.js";

/** Headers Anthropic sends on every answer. */
export function anthropicMockHeaders(contentType: string): Record<string, string> {
  return {
    "content-type": contentType,
    "request-id": anthropicRequestId(),
    "anthropic-organization-id": "00000000-0000-4000-8000-000000000000",
  };
}

export function anthropicRequestId(): string {
  return `req_011C${randomId(20)}`;
}
