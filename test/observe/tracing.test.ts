import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DashboardGateway, startDashboardGateway } from "../dashboard/dashboard-gateway.js";
import { RecordingTracerProvider } from "./recording-tracer.js";

let running: DashboardGateway | undefined;
let provider: RecordingTracerProvider;
beforeEach(() => {
  provider = new RecordingTracerProvider();
  provider.install();
});
afterEach(async () => {
  provider.uninstall();
  await running?.close();
  running = undefined;
});

describe("OpenTelemetry spans", () => {
  it("record a request span with GenAI attributes and a child span per attempt", async () => {
    running = await startDashboardGateway({ latency: false });
    running.primary.setDefaultFor("openai.chat", { error: { kind: "server" } });
    const response = await running.chat("smart", "globex");
    expect(response.status).toBe(200);

    const [request, ...others] = provider.spans.filter((span) => span.kind === SpanKind.SERVER);
    expect(others).toEqual([]);
    expect(request?.name).toBe("chat smart");
    expect(request?.scope).toBe("switchyard");
    expect(request?.parentSpanId).toBeUndefined();
    expect(request?.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": "smart",
      "gen_ai.response.model": "claude-sonnet-4-5",
      "gen_ai.system": "anthropic",
      "gen_ai.usage.input_tokens": 10,
      "http.response.status_code": 200,
      "switchyard.request_id": response.headers.get("x-request-id"),
      "switchyard.model": "smart",
      "switchyard.client": "globex",
      "switchyard.provider": "backup",
      "switchyard.target": "backup/claude-sonnet-4-5",
      "switchyard.outcome": "success",
      "switchyard.attempts": 2,
    });
    expect(request?.attributes["gen_ai.usage.output_tokens"]).toBeGreaterThan(0);
    expect(request?.status.code).toBe(SpanStatusCode.UNSET);

    const attempts = provider.spans.filter((span) => span.kind === SpanKind.CLIENT);
    expect(attempts.map((span) => span.name)).toEqual(["chat gpt-4o", "chat claude-sonnet-4-5"]);
    const [failed, served] = attempts;
    for (const span of attempts) {
      expect(span.parentSpanId).toBe(request?.spanId);
      expect(span.traceId).toBe(request?.traceId);
      expect(span.startTime).toBeGreaterThanOrEqual(request?.startTime ?? Number.NaN);
      expect(span.endTime).toBeLessThanOrEqual((request?.endTime ?? Number.NaN) + 1);
    }
    expect(failed?.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed?.attributes).toMatchObject({
      "gen_ai.system": "openai",
      "gen_ai.request.model": "gpt-4o",
      "switchyard.provider": "primary",
      "switchyard.attempt": 1,
      "switchyard.outcome": "failure",
      "switchyard.classification": "transient",
      "http.response.status_code": 500,
    });
    expect(served?.attributes).toMatchObject({
      "switchyard.outcome": "success",
      "switchyard.fallback.from": "primary/gpt-4o",
      "switchyard.fallback.reason": "transient",
      "gen_ai.usage.input_tokens": 10,
    });
    expect(served?.startTime).toBeGreaterThanOrEqual(failed?.endTime ?? Number.NaN);
  });

  it("mark skipped candidates as events and failed requests as errors", async () => {
    running = await startDashboardGateway({ latency: false });
    running.primary.setDefaultFor("openai.chat", { error: { kind: "server" } });
    await running.chat("smart", "acme");
    await running.chat("smart", "acme");
    running.backup.setDefaultFor("anthropic.messages", { error: { kind: "server" } });
    expect((await running.chat("smart", "acme")).status).toBe(502);

    const last = provider.spans.filter((span) => span.kind === SpanKind.SERVER).at(-1);
    expect(last?.status.code).toBe(SpanStatusCode.ERROR);
    expect(last?.attributes).toMatchObject({
      "http.response.status_code": 502,
      "switchyard.outcome": "error",
      "error.type": "all_providers_unavailable",
    });
    expect(last?.events).toEqual([
      expect.objectContaining({
        name: "switchyard.skip",
        attributes: {
          "switchyard.target": "primary/gpt-4o",
          "switchyard.skip.reason": "circuit_open",
        },
      }),
    ]);
  });

  it("let a stream's serving attempt last until the stream ends", async () => {
    running = await startDashboardGateway({ latency: false });
    running.spare.setDefaultFor("openai.chat", {
      reply: { text: "one two three four" },
      chunkDelayMs: 20,
    });
    expect((await running.chat("fast", "acme", true)).status).toBe(200);
    const request = provider.spans.find((span) => span.kind === SpanKind.SERVER);
    const attempt = provider.spans.find((span) => span.kind === SpanKind.CLIENT);
    expect(request?.attributes["switchyard.stream"]).toBe(true);
    expect(attempt?.endTime).toBe(request?.endTime);
    expect((request?.endTime ?? 0) - (request?.startTime ?? 0)).toBeGreaterThanOrEqual(40);
  });
});
