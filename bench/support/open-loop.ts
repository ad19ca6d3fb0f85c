import { setTimeout as sleep } from "node:timers/promises";
import type { Dispatcher } from "undici";
import { epochMs } from "./server-process.js";

/** One client request of an open-loop run, as the client saw it. */
export interface RequestRecord {
  /** Epoch milliseconds when the request was sent. */
  sentAt: number;
  /** Until the first response body byte. */
  firstByteMs: number | undefined;
  /** Until the response had been read to its end (or failed). */
  latencyMs: number;
  /** 0 when no response arrived. */
  status: number;
  /** A 200 with a complete answer (a stream that ended with `[DONE]` and no error event). */
  ok: boolean;
  /** `x-switchyard-attempts`, when the server sent it. */
  attempts: number | undefined;
  /** The answer's text (a stream's deltas joined). */
  text: string;
  /** Why it failed, when it did. */
  error: string | undefined;
}

export interface OpenLoopOptions {
  dispatcher: Dispatcher;
  /** The server's origin, e.g. `http://127.0.0.1:8787`. */
  origin: string;
  path: string;
  /** The JSON request body, sent as is. */
  body: string;
  /** Whether the body asks for a stream (decides how the answer is checked). */
  stream: boolean;
  ratePerSecond: number;
  durationMs: number;
  /** Client-side limit per request. Default 30_000. */
  timeoutMs?: number;
  headers?: Record<string, string>;
}

/**
 * Sends requests at a fixed rate whatever the answers do (an open loop, so a slow server cannot
 * slow the load down and hide its own latency), and resolves with every request's record once the
 * last one has finished.
 */
export async function runOpenLoop(options: OpenLoopOptions): Promise<RequestRecord[]> {
  const total = Math.max(1, Math.floor((options.ratePerSecond * options.durationMs) / 1000));
  const intervalMs = 1000 / options.ratePerSecond;
  const started = performance.now();
  const running: Promise<RequestRecord>[] = [];
  for (let index = 0; index < total; index++) {
    const waitMs = started + index * intervalMs - performance.now();
    if (waitMs > 1) await sleep(waitMs);
    running.push(sendOne(options));
  }
  return Promise.all(running);
}

async function sendOne(options: OpenLoopOptions): Promise<RequestRecord> {
  const sentAt = epochMs();
  const startedAt = performance.now();
  const timeoutMs = options.timeoutMs ?? 30_000;
  let firstByteMs: number | undefined;
  let status = 0;
  let attempts: number | undefined;
  let raw = "";
  try {
    const response = await options.dispatcher.request({
      origin: options.origin,
      path: options.path,
      method: "POST",
      headers: { "content-type": "application/json", ...options.headers },
      body: options.body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    status = response.statusCode;
    const attemptsHeader = response.headers["x-switchyard-attempts"];
    if (typeof attemptsHeader === "string") attempts = Number(attemptsHeader);
    const decoder = new TextDecoder();
    for await (const chunk of response.body) {
      firstByteMs ??= performance.now() - startedAt;
      raw += decoder.decode(chunk as Uint8Array, { stream: true });
    }
    raw += decoder.decode();
  } catch (error) {
    return {
      sentAt,
      firstByteMs,
      latencyMs: performance.now() - startedAt,
      status,
      ok: false,
      attempts,
      text: "",
      error: error instanceof Error ? error.message : String(error),
    };
  }
  const latencyMs = performance.now() - startedAt;
  const answer = options.stream ? readStream(raw) : readCompletion(raw);
  const ok = status === 200 && answer.error === undefined;
  return {
    sentAt,
    firstByteMs,
    latencyMs,
    status,
    ok,
    attempts,
    text: answer.text,
    error: status === 200 ? answer.error : (answer.error ?? `status ${status}`),
  };
}

/** The text of a Chat Completions answer, or what is wrong with it. */
function readCompletion(raw: string): { text: string; error?: string } {
  try {
    const body = JSON.parse(raw) as {
      choices?: { message?: { content?: unknown } }[];
      error?: { message?: unknown };
    };
    if (body.error) return { text: "", error: String(body.error.message ?? "error") };
    const content = body.choices?.[0]?.message?.content;
    return typeof content === "string" ? { text: content } : { text: "", error: "no content" };
  } catch {
    return { text: "", error: "the answer is not JSON" };
  }
}

/** The joined deltas of a Chat Completions stream; an error event or a missing `[DONE]` fails it. */
function readStream(raw: string): { text: string; error?: string } {
  let text = "";
  let done = false;
  for (const line of raw.split("\n")) {
    if (!line.startsWith("data: ")) continue;
    const data = line.slice(6).trim();
    if (data === "[DONE]") {
      done = true;
      continue;
    }
    try {
      const event = JSON.parse(data) as {
        choices?: { delta?: { content?: unknown } }[];
        error?: { message?: unknown };
      };
      if (event.error) return { text, error: String(event.error.message ?? "error event") };
      const content = event.choices?.[0]?.delta?.content;
      if (typeof content === "string") text += content;
    } catch {
      return { text, error: "a stream event is not JSON" };
    }
  }
  return done ? { text } : { text, error: "the stream ended without [DONE]" };
}
