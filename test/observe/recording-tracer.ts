import { randomBytes } from "node:crypto";
import {
  type Attributes,
  type AttributeValue,
  type Context,
  type Link,
  type Span,
  type SpanAttributes,
  type SpanContext,
  SpanKind,
  type SpanOptions,
  type SpanStatus,
  SpanStatusCode,
  type TimeInput,
  type Tracer,
  type TracerProvider,
  trace,
} from "@opentelemetry/api";

/** A finished (or still open) span as the tests see it. */
export interface RecordedSpan {
  name: string;
  kind: SpanKind;
  scope: string;
  spanId: string;
  traceId: string;
  parentSpanId: string | undefined;
  attributes: Attributes;
  events: { name: string; attributes: Attributes; time: TimeInput | undefined }[];
  status: SpanStatus;
  startTime: number;
  endTime: number | undefined;
}

/**
 * A tracer provider that keeps every span in memory: what a host's OpenTelemetry SDK would get,
 * without the SDK. `install()` registers it globally; `uninstall()` puts the no-op back.
 */
export class RecordingTracerProvider implements TracerProvider {
  readonly spans: RecordedSpan[] = [];

  getTracer(name: string): Tracer {
    const spans = this.spans;
    const startSpan = (spanName: string, options: SpanOptions = {}, context?: Context): Span => {
      const parent = context ? trace.getSpan(context)?.spanContext() : undefined;
      const recorded: RecordedSpan = {
        name: spanName,
        kind: options.kind ?? SpanKind.INTERNAL,
        scope: name,
        spanId: randomBytes(8).toString("hex"),
        traceId: parent?.traceId ?? randomBytes(16).toString("hex"),
        parentSpanId: parent?.spanId,
        attributes: { ...options.attributes },
        events: [],
        status: { code: SpanStatusCode.UNSET },
        startTime: toMs(options.startTime) ?? Date.now(),
        endTime: undefined,
      };
      spans.push(recorded);
      return new RecordingSpan(recorded);
    };
    return {
      startSpan,
      startActiveSpan: (() => {
        throw new Error("not used by switchyard");
      }) as Tracer["startActiveSpan"],
    };
  }

  install(): void {
    trace.disable();
    trace.setGlobalTracerProvider(this);
  }

  uninstall(): void {
    trace.disable();
  }

  named(prefix: string): RecordedSpan[] {
    return this.spans.filter((span) => span.name.startsWith(prefix));
  }
}

class RecordingSpan implements Span {
  constructor(private readonly recorded: RecordedSpan) {}

  spanContext(): SpanContext {
    return { traceId: this.recorded.traceId, spanId: this.recorded.spanId, traceFlags: 1 };
  }
  setAttribute(key: string, value: AttributeValue): this {
    this.recorded.attributes[key] = value;
    return this;
  }
  setAttributes(attributes: SpanAttributes): this {
    Object.assign(this.recorded.attributes, attributes);
    return this;
  }
  addEvent(name: string, attributes?: Attributes | TimeInput, time?: TimeInput): this {
    const isAttributes =
      typeof attributes === "object" && !Array.isArray(attributes) && !(attributes instanceof Date);
    this.recorded.events.push({
      name,
      attributes: isAttributes ? (attributes as Attributes) : {},
      time: isAttributes ? time : (attributes as TimeInput | undefined),
    });
    return this;
  }
  addLink(_link: Link): this {
    return this;
  }
  addLinks(_links: Link[]): this {
    return this;
  }
  setStatus(status: SpanStatus): this {
    this.recorded.status = status;
    return this;
  }
  updateName(name: string): this {
    this.recorded.name = name;
    return this;
  }
  end(endTime?: TimeInput): void {
    this.recorded.endTime = toMs(endTime) ?? Date.now();
  }
  isRecording(): boolean {
    return this.recorded.endTime === undefined;
  }
  recordException(): void {}
}

function toMs(time: TimeInput | undefined): number | undefined {
  if (time === undefined) return undefined;
  if (typeof time === "number") return time;
  if (time instanceof Date) return time.getTime();
  return time[0] * 1000 + time[1] / 1e6;
}
