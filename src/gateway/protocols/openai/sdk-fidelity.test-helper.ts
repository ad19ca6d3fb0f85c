/**
 * The setup of the fidelity tests (sdk-fidelity-*.test.ts): a tiny node:http server serves what
 * these modules render, and the vendor's official SDK (maxRetries 0) is the client. The server
 * also parses what the SDK sends, so both directions are checked against the real serializer and
 * parser.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { afterAll, beforeAll } from "vitest";
import { describeError } from "../../error-response.js";
import { renderError } from "./render-error.js";

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** The body; written in small byte slices so SSE frames and UTF-8 characters split. */
  body: string;
}

export type ReplyHandler = (path: string, body: unknown) => Reply;

export interface SdkServer {
  /** What the server answers with; each test sets its own. */
  handler: ReplyHandler;
  /** The official SDK on the server (from `beforeAll` on). */
  readonly client: OpenAI;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text === "" ? undefined : JSON.parse(text);
}

/** Starts the server and the client before the file's tests and closes the server after them. */
export function useSdkServer(): SdkServer {
  let server: Server | undefined;
  let client: OpenAI | undefined;
  const state: SdkServer = {
    handler: () => ({ status: 500, body: "{}" }),
    get client(): OpenAI {
      if (client === undefined) throw new Error("the SDK server starts in beforeAll");
      return client;
    },
  };

  beforeAll(async () => {
    const started = createServer((request, response) => {
      readJson(request)
        .then((body) => {
          const reply = state.handler(request.url ?? "", body);
          const sse = reply.body.startsWith("data:") || reply.body.startsWith(":");
          response.writeHead(reply.status, {
            "content-type": sse ? "text/event-stream" : "application/json",
            ...reply.headers,
          });
          const bytes = Buffer.from(reply.body, "utf8");
          for (let offset = 0; offset < bytes.length; offset += 7) {
            response.write(bytes.subarray(offset, offset + 7));
          }
          response.end();
        })
        .catch((error: unknown) => {
          response.writeHead(599).end(String(error));
        });
    });
    server = started;
    await new Promise<void>((resolve) => started.listen(0, "127.0.0.1", resolve));
    const { port } = started.address() as AddressInfo;
    client = new OpenAI({
      apiKey: "sk-test",
      baseURL: `http://127.0.0.1:${port}/v1`,
      maxRetries: 0,
    });
  });

  afterAll(async () => {
    const started = server;
    if (started === undefined) return;
    started.closeAllConnections();
    await new Promise<void>((resolve) => started.close(() => resolve()));
  });

  return state;
}

export function errorReply(error: unknown): Reply {
  const rendered = renderError(describeError(error));
  return {
    status: rendered.status,
    headers: rendered.headers,
    body: JSON.stringify(rendered.body),
  };
}
