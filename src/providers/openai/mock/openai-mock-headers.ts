import { randomHex } from "../../../testing/mock-kit/mock-wire-helpers.js";

/** Headers OpenAI sends on every answer (request id, version, current rate-limit budget). */
export function openaiMockHeaders(contentType: string): Record<string, string> {
  return {
    "content-type": contentType,
    "x-request-id": `req_${randomHex(32)}`,
    "openai-version": "2020-10-01",
    "openai-processing-ms": "1",
    "x-ratelimit-limit-requests": "10000",
    "x-ratelimit-limit-tokens": "30000000",
    "x-ratelimit-remaining-requests": "9999",
    "x-ratelimit-remaining-tokens": "29999990",
    "x-ratelimit-reset-requests": "6ms",
    "x-ratelimit-reset-tokens": "0s",
  };
}

/** OpenAI's reset durations: `"20s"`, `"6m0s"`, `"1h2m3s"`, `"850ms"`. */
export function openaiDuration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = Math.round((seconds % 60) * 1000) / 1000;
  if (hours > 0) return `${hours}h${minutes}m${rest}s`;
  if (minutes > 0) return `${minutes}m${rest}s`;
  return `${rest}s`;
}
