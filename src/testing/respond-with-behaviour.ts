import type { ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { MockBehaviour, MockErrorSpec, MockFaultBehaviour } from "./mock-behaviour.js";
import type {
  MockRequestContext,
  MockRouteHandler,
  MockVendor,
  RenderedResponse,
  ResolvedMockError,
  StreamFrame,
} from "./mock-vendor.js";
import { kindForStatus } from "./mock-wire-helpers.js";
import type { PreparedReply } from "./prepare-mock-reply.js";

export interface Responder {
  behaviour: MockBehaviour;
  /** The behaviour's reply, prepared (and cached) on first use. */
  reply(): PreparedReply;
  vendor: MockVendor;
  handler: MockRouteHandler;
  context: MockRequestContext;
  response: ServerResponse;
  /** The server's fixed latency for this route, added to `headersDelayMs`. */
  latencyMs: number;
  /** Aborted when the server closes: every pending wait ends. */
  signal: AbortSignal;
}

/** Answers one request as its behaviour says: delays, then a reply, an error or a fault. */
export async function respondWithBehaviour(responder: Responder): Promise<void> {
  const { behaviour, response } = responder;
  const headersDelayMs = responder.latencyMs + (behaviour.headersDelayMs ?? 0);
  if (headersDelayMs > 0) await sleep(headersDelayMs, undefined, { signal: responder.signal });
  if (response.destroyed) return;
  if ("error" in behaviour && behaviour.error !== undefined) {
    sendRendered(
      responder,
      responder.vendor.renderError(resolveError(responder, behaviour.error), responder.context),
    );
  } else if ("fault" in behaviour && behaviour.fault !== undefined) {
    await respondWithFault(responder, behaviour);
  } else if (wantsStream(responder)) {
    const groups = groupFrames(renderStream(responder, true));
    await writeStream(responder, groups, groups.length, "");
    if (!response.destroyed) response.end();
  } else {
    sendRendered(responder, responder.handler.renderReply(responder.reply(), responder.context));
  }
}

export function resolveError(responder: Responder, spec: MockErrorSpec): ResolvedMockError {
  const kind = spec.kind ?? kindForStatus(spec.status ?? 500);
  return {
    kind,
    status: spec.status ?? responder.vendor.statusFor(kind),
    message: spec.message,
    retryAfterSeconds: spec.retryAfterSeconds,
  };
}

async function respondWithFault(responder: Responder, fault: MockFaultBehaviour): Promise<void> {
  const { response, handler, context } = responder;
  if (fault.fault === "reset") {
    response.socket?.resetAndDestroy();
    return;
  }
  const streaming = wantsStream(responder);
  if (fault.fault === "never-end") {
    const headers = streaming
      ? (handler.streamHeaders?.(context) ?? {})
      : handler.renderReply(responder.reply(), context).headers;
    response.writeHead(200, { ...headers, ...fault.headers });
    response.flushHeaders();
    return;
  }
  if (fault.fault === "error-event" && !streaming) {
    sendRendered(responder, responder.vendor.renderError(resolveError(responder, fault), context));
    return;
  }
  if (!streaming) {
    respondWithBodyFault(responder, fault);
    return;
  }
  const groups = groupFrames(renderStream(responder, false));
  const count = fault.afterChunks ?? (fault.fault === "no-terminal" ? groups.length : 0);
  let tail = "";
  if (fault.fault === "error-event") {
    tail = responder.vendor.renderErrorEvent(resolveError(responder, fault), context);
  } else if (fault.fault === "malformed-json") {
    tail = handler.malformedFrame?.(context) ?? "data: {\n\n";
  }
  await writeStream(responder, groups, count, tail);
  if (response.destroyed) return;
  if (fault.fault === "cut") response.socket?.destroySoon();
  else if (fault.fault !== "stall") response.end();
}

/** Faults on a non-streaming answer: half of the real body, then the fault. */
function respondWithBodyFault(responder: Responder, fault: MockFaultBehaviour): void {
  const { response } = responder;
  const rendered = responder.handler.renderReply(responder.reply(), responder.context);
  const half = rendered.body.slice(0, Math.floor(rendered.body.length / 2));
  const fullLength = Buffer.byteLength(rendered.body);
  const headers = { ...rendered.headers, ...fault.headers };
  if (fault.fault === "cut" || fault.fault === "stall") {
    response.writeHead(rendered.status, { ...headers, "content-length": String(fullLength) });
    response.write(half);
    if (fault.fault === "cut") response.socket?.destroySoon();
    return;
  }
  response.writeHead(rendered.status, {
    ...headers,
    "content-length": String(Buffer.byteLength(half)),
  });
  response.end(half);
}

function wantsStream(responder: Responder): boolean {
  return (
    responder.handler.renderStream !== undefined && responder.handler.wantsStream(responder.context)
  );
}

function renderStream(responder: Responder, terminal: boolean): StreamFrame[] {
  const render = responder.handler.renderStream;
  return render === undefined ? [] : render(responder.reply(), responder.context, terminal);
}

/**
 * Joins frames into chunks: each content frame with the framing frames before it. Whatever follows
 * the last content frame is the last element, marked as the closing part.
 */
function groupFrames(frames: StreamFrame[]): string[] {
  const groups: string[] = [];
  let current = "";
  for (const frame of frames) {
    current += frame.text;
    if (frame.content) {
      groups.push(current);
      current = "";
    }
  }
  groups.push(current);
  return groups;
}

/**
 * Writes the headers, the first `count` content chunks (the closing part too when `count` covers
 * every chunk), then `tail`, honouring the behaviour's chunk delays.
 */
async function writeStream(
  responder: Responder,
  groups: string[],
  count: number,
  tail: string,
): Promise<void> {
  const { behaviour, response, handler, context, signal } = responder;
  const contentCount = groups.length - 1;
  const parts = count >= contentCount ? groups.slice() : groups.slice(0, count);
  if (tail.length > 0) parts.push(tail);
  response.writeHead(200, { ...handler.streamHeaders?.(context), ...behaviour.headers });
  const encoding = handler.streamEncoding ?? "utf8";
  const firstDelayMs = behaviour.firstChunkDelayMs ?? 0;
  const chunkDelayMs = behaviour.chunkDelayMs ?? 0;
  if (firstDelayMs === 0 && chunkDelayMs === 0) {
    const all = parts.join("");
    if (all.length > 0) response.write(all, encoding);
    else response.flushHeaders();
    return;
  }
  response.flushHeaders();
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index] ?? "";
    if (part.length === 0) continue;
    const delayMs = index === 0 ? firstDelayMs : chunkDelayMs;
    if (delayMs > 0) await sleep(delayMs, undefined, { signal });
    if (response.destroyed) return;
    response.write(part, encoding);
  }
}

function sendRendered(responder: Responder, rendered: RenderedResponse): void {
  const { response, behaviour } = responder;
  response.writeHead(rendered.status, {
    ...rendered.headers,
    ...behaviour.headers,
    "content-length": String(Buffer.byteLength(rendered.body)),
  });
  response.end(rendered.body);
}
