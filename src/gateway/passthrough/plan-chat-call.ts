import type { AttemptRecord } from "../../errors/attempt-record.js";
import type { ChatRequest } from "../../llm/chat.js";
import {
  CONTENT_FEATURE_NAMES,
  type ContentFeature,
  contentFeatures,
} from "../../llm/content-features.js";
import type { HeaderSource } from "../http/exchange.js";
import type { ChatProtocol, ClientChatRequest } from "../protocols/chat-protocol.js";
import { GatewayRequestError, type ParseResult } from "../protocols/gateway-request-error.js";
import type { ModelRoute, Target } from "../routing/model-route.js";

/** How one chat request is to be called: on which targets, with what body. */
export interface ChatCallPlan extends ClientChatRequest {
  /** The targets that can serve it, when some cannot (undefined: all can). */
  targetIds: string[] | undefined;
  /** The targets that cannot, as skipped attempts with the reason: they go into the trace. */
  ineligible: AttemptRecord[];
}

/** The skip recorded for a target the request cannot go to. */
export type Ineligible = { target: Target; reason: string; fields: string[] };

/**
 * Decides which targets of a route can serve a request, and with what. A target speaking the
 * client's protocol gets the client's own body (`ChatRequest.wire`), unless the body uses a field
 * that target declares unsupported; any other target gets the unified request, unless the client's
 * body could not be translated (the unified parse refused it) or uses a field that shapes the answer
 * and has no counterpart in another protocol (`n`, `logprobs`, ...). Targets left out are recorded
 * with the reason; when none is left the client gets a 400 naming the fields and the targets.
 * Without a same-protocol target this is exactly the translated path: a parse error is the answer.
 */
export function planChatCall(
  protocol: ChatProtocol,
  route: ModelRoute,
  body: unknown,
  parsed: ParseResult<ClientChatRequest>,
  headers: HeaderSource,
): ChatCallPlan {
  if (!parsed.ok && !protocol.wire.passable(parsed.error)) throw parsed.error;
  if (!isRecord(body)) {
    if (!parsed.ok) throw parsed.error;
    return { ...parsed.value, targetIds: undefined, ineligible: [] };
  }
  const raw = body;
  const targets = [...route.targets.values()];
  const wire = targets.some((target) => target.wire?.protocol === protocol.name);
  const untranslatable = protocol.wire.untranslatable(raw);
  if (!wire && !parsed.ok) throw parsed.error;
  const features = parsed.ok ? contentFeatures(parsed.value.request) : [];
  const ineligible: Ineligible[] = [];
  for (const target of targets) {
    const reason = ineligibility(protocol, target, raw, parsed, untranslatable, features);
    if (reason) ineligible.push({ target, ...reason });
  }
  if (ineligible.length === targets.length)
    throw noTargetError(protocol, route, ineligible, parsed);
  const flags = parsed.ok ? parsed.value : { ...protocol.wire.flags(raw), request: undefined };
  const request: ChatRequest = parsed.ok
    ? parsed.value.request
    : { model: String(raw.model), messages: [] };
  if (wire) {
    request.wire = {
      protocol: protocol.name,
      body: raw,
      stream: flags.stream,
      headers: collectHeaders(headers, route.wireHeaders ?? []),
    };
  }
  const left = new Set(ineligible.map((entry) => entry.target));
  return {
    request,
    stream: flags.stream,
    includeUsage: flags.includeUsage,
    targetIds:
      ineligible.length === 0
        ? undefined
        : targets.filter((target) => !left.has(target)).map((target) => target.id),
    ineligible: ineligible.map(({ target, reason }) => skippedAttempt(target, reason)),
  };
}

/** A target left out of a call, as the trace records it. */
export function skippedAttempt(target: Target, reason: string): AttemptRecord {
  return {
    outcome: "skipped",
    targetId: target.id,
    startedAfterMs: 0,
    reason: "ineligible",
    availableInMs: undefined,
    message: reason,
  };
}

function ineligibility(
  protocol: ChatProtocol,
  target: Target,
  raw: Readonly<Record<string, unknown>>,
  parsed: ParseResult<ClientChatRequest>,
  untranslatable: string[],
  features: readonly ContentFeature[],
): { reason: string; fields: string[] } | undefined {
  if (target.wire?.protocol === protocol.name) {
    const fields = target.wire.unsupportedFields.filter(
      (field) => raw[field] !== undefined && raw[field] !== null,
    );
    return fields.length > 0
      ? { reason: `the server does not accept ${quoted(fields)}`, fields }
      : undefined;
  }
  if (!parsed.ok) {
    const fields = parsed.error.param ? [parsed.error.param] : [];
    return { reason: `cannot be translated to its protocol: ${parsed.error.message}`, fields };
  }
  if (untranslatable.length > 0) {
    return {
      reason: `${quoted(untranslatable)} has no counterpart in its protocol`,
      fields: untranslatable,
    };
  }
  return contentIneligibility(target, features);
}

/** A translated target whose adapter cannot send some of the request's content (documents, audio...). */
export function contentIneligibility(
  target: Target,
  features: readonly ContentFeature[],
): { reason: string; fields: string[] } | undefined {
  const accepted = target.acceptedContent ?? [];
  const refused = features.filter((feature) => !accepted.includes(feature));
  if (refused.length === 0) return undefined;
  const names = refused.map((feature) => CONTENT_FEATURE_NAMES[feature]).join(", ");
  return { reason: `its protocol cannot carry ${names} (${quoted(refused)})`, fields: refused };
}

function noTargetError(
  protocol: ChatProtocol,
  route: ModelRoute,
  ineligible: Ineligible[],
  parsed: ParseResult<ClientChatRequest>,
): GatewayRequestError {
  // A body no target can take, and that the gateway itself could not read: its own error says most.
  if (!parsed.ok && ineligible.every((entry) => entry.target.wire?.protocol !== protocol.name)) {
    return parsed.error;
  }
  return noTargetLeftError(route, ineligible);
}

/** The 400 when every target of a model was left out: it names the fields and each target's reason. */
export function noTargetLeftError(
  route: ModelRoute,
  ineligible: readonly Ineligible[],
): GatewayRequestError {
  const fields = [...new Set(ineligible.flatMap((entry) => entry.fields))];
  const reasons = ineligible.map((entry) => `${entry.target.id}: ${entry.reason}`).join("; ");
  return new GatewayRequestError(
    `no target of the model '${route.name}' can serve this request (${reasons})`,
    { status: 400, code: "unsupported_parameter", ...(fields[0] ? { param: fields[0] } : {}) },
  );
}

function quoted(fields: readonly string[]): string {
  return fields.map((field) => `'${field}'`).join(", ");
}

export function collectHeaders(
  source: HeaderSource,
  names: readonly string[],
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = source.get(name);
    if (typeof value === "string") headers[name] = value;
  }
  return headers;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The model a body names, read even when the unified parse refused the body. */
export function modelOfBody(
  protocol: ChatProtocol,
  body: unknown,
  parsed: ParseResult<ClientChatRequest>,
): string {
  if (parsed.ok) return parsed.value.request.model;
  if (!protocol.wire.passable(parsed.error)) throw parsed.error;
  if (isRecord(body) && typeof body.model === "string" && body.model !== "") return body.model;
  throw parsed.error;
}
