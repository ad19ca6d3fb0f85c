/**
 * Every step of a model request's preamble (auth, rate limit, budget, body, parse, model) and the
 * last-resort answer fail alike on both transports (the Node server and the Hono app), in the
 * client's own protocol: OpenAI's error shape on /v1/chat/completions, Anthropic's on /v1/messages.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseConfigText } from "../../src/config/index.js";
import { Gateway } from "../../src/gateway/gateway.js";
import { type MockProviderServer, startMockProviderServer } from "../../src/testing/index.js";

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const folder = mkdtempSync(join(tmpdir(), "switchyard-preamble-"));

let mock: MockProviderServer;
let gateway: Gateway;
let url: string;

beforeAll(async () => {
  mock = await startMockProviderServer({ defaultBehaviour: { reply: { text: "fine" } } });
  const config = {
    server: { maxBodyBytes: 4096 },
    providers: [
      { name: "up", type: "openai", baseUrl: `${mock.url}/v1`, keys: [{ key: "sk-up" }] },
    ],
    models: [
      { name: "m", targets: [{ provider: "up", model: "gpt-x" }] },
      { name: "other", targets: [{ provider: "up", model: "gpt-y" }] },
    ],
    clients: [
      { name: "plain", key: "key-plain", models: ["m"] },
      { name: "hasty", key: "key-hasty", rateLimit: { rpm: 1 } },
      { name: "broke", key: "key-broke", budget: { usd: 0.000001, period: "day" } },
    ],
    database: { url: `sqlite:${join(folder, "traces.db")}` },
    pricing: { "gpt-x": { input: 1000, output: 1000 } },
  };
  gateway = new Gateway(parseConfigText(JSON.stringify(config), { env: {} }), { logger: quiet });
  url = await gateway.listen({ host: "127.0.0.1", port: 0 });
  // Spends the budget of `broke` and the one request a minute of `hasty`.
  for (const key of ["key-broke", "key-hasty"]) {
    const served = await fetch(`${url}/v1/chat/completions`, request(key, chat("m")));
    expect(served.status).toBe(200);
  }
});

afterAll(async () => {
  await gateway?.close(0);
  await mock?.close();
  rmSync(folder, { recursive: true, force: true });
});

const chat = (model: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model, max_tokens: 8, messages: [{ role: "user", content: "hi" }], ...extra });

function request(key: string | undefined, body: string): RequestInit {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key) headers.authorization = `Bearer ${key}`;
  return { method: "POST", headers, body };
}

type Shape = "openai" | "anthropic";

/** Which protocol's error shape a body has, and its machine code or type. */
function errorShape(body: unknown): { shape: Shape | "unknown"; message: string } {
  const object = body as { type?: unknown; error?: { type?: unknown; message?: unknown } };
  const message = String(object.error?.message ?? "");
  if (object.type === "error" && typeof object.error?.type === "string") {
    return { shape: "anthropic", message };
  }
  if (object.type === undefined && typeof object.error?.message === "string") {
    return { shape: "openai", message };
  }
  return { shape: "unknown", message };
}

const PATHS: ReadonlyArray<readonly [string, Shape]> = [
  ["/v1/chat/completions", "openai"],
  ["/v1/messages", "anthropic"],
];

const deep = `{"model":"m","max_tokens":8,"messages":[],"metadata":${"[".repeat(200)}${"]".repeat(200)}}`;

const STEPS: ReadonlyArray<{
  step: string;
  key: string | undefined;
  body: string;
  status: number;
  message: RegExp;
}> = [
  { step: "auth", key: undefined, body: chat("m"), status: 401, message: /API key/ },
  { step: "rate limit", key: "key-hasty", body: chat("m"), status: 429, message: /rate limit/ },
  { step: "budget", key: "key-broke", body: chat("m"), status: 429, message: /budget/ },
  {
    step: "body size",
    key: "key-plain",
    body: chat("m", { pad: "x".repeat(5000) }),
    status: 413,
    message: /4096 bytes/,
  },
  { step: "body JSON", key: "key-plain", body: "{not json", status: 400, message: /JSON/ },
  {
    step: "body depth",
    key: "key-plain",
    body: deep,
    status: 400,
    message: /server\.maxJsonDepth \(100/,
  },
  {
    step: "parse",
    key: "key-plain",
    body: '{"model":"m"}',
    status: 400,
    message: /messages|max_tokens/,
  },
  { step: "model", key: "key-plain", body: chat("nope"), status: 404, message: /nope/ },
  { step: "model access", key: "key-plain", body: chat("other"), status: 403, message: /other/ },
];

describe("a failure at each step of the preamble answers in the client's protocol", () => {
  for (const { step, key, body, status, message } of STEPS) {
    for (const [path, shape] of PATHS) {
      it(`${step} on ${path}: ${status} in the ${shape} shape, on both transports`, async () => {
        const answers = [
          await fetch(`${url}${path}`, request(key, body)),
          await gateway.app.request(path, request(key, body)),
        ];
        for (const answer of answers) {
          expect(answer.status).toBe(status);
          expect(answer.headers.get("x-request-id")).toBeTruthy();
          expect(errorShape(await answer.json())).toEqual({
            shape,
            message: expect.stringMatching(message),
          });
        }
      });
    }
  }

  it("the last-resort answer (a fault of the gateway's own) is a 500 in the client's shape", async () => {
    const router = gateway.state.router;
    const fault = vi.spyOn(router, "match").mockImplementation(() => {
      throw new Error("a bug in routing");
    });
    try {
      for (const [path, shape] of PATHS) {
        const answers = [
          await fetch(`${url}${path}`, request("key-plain", chat("m"))),
          await gateway.app.request(path, request("key-plain", chat("m"))),
        ];
        for (const answer of answers) {
          expect(answer.status).toBe(500);
          const described = errorShape(await answer.json());
          expect(described).toEqual({ shape, message: "internal error" });
        }
      }
    } finally {
      fault.mockRestore();
    }
  });

  it("an observer that fails as a request starts fails nothing (it was a 500 in OpenAI's shape)", async () => {
    const fault = vi.spyOn(gateway.observability, "start").mockImplementation(() => {
      throw new Error("a bug in an observer");
    });
    try {
      const answers = [
        await fetch(`${url}/v1/messages`, request("key-plain", chat("m"))),
        await gateway.app.request("/v1/messages", request("key-plain", chat("m"))),
      ];
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        expect(await answer.json()).toMatchObject({ type: "message" });
      }
      expect(fault).toHaveBeenCalledTimes(2);
    } finally {
      fault.mockRestore();
    }
  });

  it("an unknown route under /v1/messages is a 404 in the Anthropic shape", async () => {
    const answer = await fetch(`${url}/v1/messages/nowhere`, request("key-plain", chat("m")));
    expect(answer.status).toBe(404);
    expect(errorShape(await answer.json()).shape).toBe("anthropic");
  });
});
