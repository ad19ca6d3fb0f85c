/**
 * Security canaries: provider keys, a virtual key and an admin key with unmistakable values are
 * configured, every path is driven (successes, each error class, streams cut mid-way, admin
 * status, readiness, unknown routes), and everything the gateway wrote -- log lines, response
 * bodies and headers, stdout and stderr -- is searched for them. Upstream requests must carry the
 * provider's own key and only allowlisted headers, never the client's.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { MockProviderServer } from "../../src/testing/index.js";
import { HELLO, HELLO_ANTHROPIC } from "./chat-outcome.js";
import {
  failoverModel,
  type Harness,
  providerConfig,
  rejectionOf,
  startHarness,
} from "./harness.js";

const CANARIES = {
  primaryKey: "sk-canary-provider-PRIMARY7a1c",
  fallbackKey: "sk-canary-provider-FALLBACK9e3d",
  // Many providers' keys have no `sk-` prefix a pattern could spot.
  secondKey: "canary-provider-SECONDKEY4b8f",
  virtualKey: "vk-canary-client-VIRTUAL2f6a",
  adminKey: "adm-canary-admin-ADMIN5c0e",
};
/** Each canary, and its distinctive tail (a masked key still shows its last characters). */
const NEEDLES = Object.values(CANARIES).flatMap((canary) => [canary, canary.slice(-12)]);

const ALLOWED_UPSTREAM_HEADERS: Record<"openai" | "anthropic", readonly string[]> = {
  openai: ["host", "connection", "accept", "content-type", "content-length", "authorization"],
  anthropic: [
    "host",
    "connection",
    "accept",
    "content-type",
    "content-length",
    "x-api-key",
    "anthropic-version",
  ],
};

/** `${NAME}`: read from the environment by the config loader. */
const fromEnv = (name: string): string => `$\{${name}}`;

type Mocks = "primary" | "fallback" | "second";
let h: Harness<Mocks>;
const written: string[] = [];

beforeAll(async () => {
  h = await startHarness<Mocks>({
    mocks: ["primary", "fallback", "second"],
    env: {
      PRIMARY_KEY: CANARIES.primaryKey,
      FALLBACK_KEY: CANARIES.fallbackKey,
      VIRTUAL_KEY: CANARIES.virtualKey,
      ADMIN_KEY: CANARIES.adminKey,
    },
    config: (mocks) => ({
      server: { adminKey: fromEnv("ADMIN_KEY"), maxBodyBytes: 4096 },
      providers: [
        providerConfig({
          name: "primary",
          type: "openai",
          origin: mocks.primary.url,
          key: fromEnv("PRIMARY_KEY"),
          idleTimeoutMs: 300,
        }),
        providerConfig({
          name: "fallback",
          type: "anthropic",
          origin: mocks.fallback.url,
          key: fromEnv("FALLBACK_KEY"),
        }),
        providerConfig({
          name: "second",
          type: "openai",
          origin: mocks.second.url,
          key: CANARIES.secondKey,
        }),
      ],
      // One model per stateful step: cooldowns and circuits are per model.
      models: ["smart", "echo", "limited", "refused", "broken"]
        .map((name) =>
          failoverModel(name, [
            ["primary", "gpt-4o"],
            ["fallback", "claude-sonnet-4-5"],
          ]),
        )
        .concat(
          failoverModel("solo", [["second", "gpt-4o-mini"]], {
            failureThreshold: 1,
            recoveryTimeoutMs: 60_000,
          }),
        ),
      clients: [{ name: "app", key: fromEnv("VIRTUAL_KEY") }],
    }),
  });
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    vi.spyOn(stream, "write").mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
      written.push(String(chunk));
      return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write);
  }
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      written.push(args.map(String).join(" "));
    });
  }
});
afterAll(async () => {
  vi.restoreAllMocks();
  await h.close();
});

const auth = { apiKey: CANARIES.virtualKey };

/** An upstream error whose message echoes the key it was sent, as some providers do. */
function echoingAuthError(key: string) {
  return { error: { kind: "auth" as const, message: `Incorrect API key provided: ${key}.` } };
}

async function drivePaths(): Promise<void> {
  const { primary, fallback, second } = h.mocks;
  const openai = h.openai(auth);
  const anthropic = h.anthropic(auth);

  // Successes, plain and streamed, in both formats, with failover.
  await openai.chat.completions.create(HELLO);
  for await (const _ of await openai.chat.completions.create({ ...HELLO, stream: true })) {
    // drain
  }
  await anthropic.messages.create(HELLO_ANTHROPIC);
  await anthropic.messages.stream(HELLO_ANTHROPIC).finalMessage();
  await openai.embeddings.create({ model: "smart", input: "canary" });
  for await (const _ of openai.models.list()) {
    // drain
  }
  primary.enqueue(echoingAuthError(CANARIES.primaryKey));
  await openai.chat.completions.create({ ...HELLO, model: "echo" });

  // Every error class.
  await rejectionOf(openai.chat.completions.create({ ...HELLO, temperature: 9 }));
  await rejectionOf(h.openai({ apiKey: CANARIES.adminKey }).chat.completions.create(HELLO));
  await rejectionOf(h.anthropic({ apiKey: "vk-wrong" }).messages.create(HELLO_ANTHROPIC));
  await rejectionOf(openai.chat.completions.create({ ...HELLO, model: "nope" }));
  await rejectionOf(
    openai.chat.completions.create({
      ...HELLO,
      messages: [{ role: "user", content: "x".repeat(8000) }],
    }),
  );
  primary.enqueue({ error: { kind: "rate_limit", retryAfterSeconds: 30 } });
  fallback.enqueue({ error: { kind: "rate_limit", retryAfterSeconds: 30 } });
  await rejectionOf(openai.chat.completions.create({ ...HELLO, model: "limited" }));
  await rejectionOf(openai.chat.completions.create({ ...HELLO, model: "limited" }));
  primary.enqueue(echoingAuthError(CANARIES.primaryKey));
  fallback.enqueue(echoingAuthError(`x-api-key: ${CANARIES.fallbackKey}`));
  await rejectionOf(anthropic.messages.create({ ...HELLO_ANTHROPIC, model: "refused" }));
  second.enqueue({
    error: { kind: "invalid_request", message: `unknown key ${CANARIES.secondKey}` },
  });
  await rejectionOf(openai.chat.completions.create({ ...HELLO, model: "solo" }));
  second.enqueue({
    error: { status: 500, message: `upstream saw Authorization: Bearer ${CANARIES.secondKey}` },
  });
  await rejectionOf(openai.chat.completions.create({ ...HELLO, model: "solo" }));
  await rejectionOf(openai.chat.completions.create({ ...HELLO, model: "solo" }));
  const brokenBody = await h.fetch(`${h.url}/v1/embeddings`, {
    method: "POST",
    headers: { authorization: `Bearer ${CANARIES.virtualKey}` },
    body: "{broken",
  });
  await brokenBody.text();

  // A stream broken after its first chunk, by an error event that echoes a key.
  primary.enqueue({
    fault: "error-event",
    afterChunks: 1,
    kind: "auth",
    message: `key ${CANARIES.primaryKey} revoked`,
  });
  const broken = await openai.chat.completions.create({
    ...HELLO,
    model: "broken",
    stream: true,
  });
  await rejectionOf(
    (async () => {
      for await (const _ of broken) {
        // drain
      }
    })(),
  );
  await anthropic.messages.stream(HELLO_ANTHROPIC).finalMessage();

  // Admin, health, readiness and unknown routes, with and without keys.
  const keyed: Record<string, string>[] = [
    {},
    { authorization: `Bearer ${CANARIES.adminKey}` },
    { "x-api-key": CANARIES.adminKey },
    { authorization: `Bearer ${CANARIES.virtualKey}` },
  ];
  for (const headers of keyed) {
    for (const path of ["/admin/status", "/readyz", "/healthz", "/v1/nowhere", "/v1/messages/x"]) {
      await (await h.fetch(`${h.url}${path}`, { headers })).text();
    }
  }
}

describe("security canaries", () => {
  beforeAll(async () => {
    await drivePaths();
    await h.settled();
  });

  it("drove every kind of answer", () => {
    const statuses = new Set(h.responses.map((response) => response.status));
    for (const status of [200, 400, 401, 404, 413, 429, 502, 503]) {
      expect(statuses, `status ${status}`).toContain(status);
    }
    const admin = h.responses.find(
      (response) => response.url.endsWith("/admin/status") && response.status === 200,
    );
    expect(admin?.body).toContain("primary/gpt-4o");
    expect(h.logger.entries.length).toBeGreaterThan(10);
  });

  it("no canary in any response body or header", () => {
    for (const response of h.responses) {
      const text = `${JSON.stringify(response.headers)}\n${response.body}`;
      for (const needle of NEEDLES) {
        expect(text, `${response.method} ${response.url} ${response.status}`).not.toContain(needle);
      }
    }
  });

  it("no canary in any log line", () => {
    const text = h.logger.text();
    for (const needle of NEEDLES) expect(text).not.toContain(needle);
  });

  it("no canary on stdout, stderr or the console", () => {
    const text = written.join("\n");
    for (const needle of NEEDLES) expect(text).not.toContain(needle);
  });

  it("upstreams get their own provider key, never a client's key", () => {
    const expectations: Array<[MockProviderServer, "openai" | "anthropic", string]> = [
      [h.mocks.primary, "openai", CANARIES.primaryKey],
      [h.mocks.fallback, "anthropic", CANARIES.fallbackKey],
      [h.mocks.second, "openai", CANARIES.secondKey],
    ];
    for (const [mock, type, key] of expectations) {
      expect(mock.requests.length).toBeGreaterThan(0);
      for (const request of mock.requests) {
        if (type === "openai") expect(request.headers.authorization).toBe(`Bearer ${key}`);
        else expect(request.headers["x-api-key"]).toBe(key);
        const sent = JSON.stringify(request.headers) + JSON.stringify(request.body ?? null);
        expect(sent).not.toContain(CANARIES.virtualKey);
        expect(sent).not.toContain(CANARIES.adminKey);
      }
    }
  });

  it("upstream requests carry only allowlisted headers", () => {
    const mocks: Array<[MockProviderServer, "openai" | "anthropic"]> = [
      [h.mocks.primary, "openai"],
      [h.mocks.fallback, "anthropic"],
      [h.mocks.second, "openai"],
    ];
    for (const [mock, type] of mocks) {
      for (const request of mock.requests) {
        for (const name of Object.keys(request.headers)) {
          expect(ALLOWED_UPSTREAM_HEADERS[type], `${request.route}: ${name}`).toContain(name);
        }
      }
    }
  });

  it("client headers are not forwarded upstream", async () => {
    const before = h.mocks.primary.requests.length;
    await h
      .openai({
        ...auth,
        defaultHeaders: {
          cookie: "session=client-cookie-value",
          "x-forwarded-for": "10.1.2.3",
          "openai-organization": "org-client",
          "x-client-secret": "client-header-value",
        },
      })
      .chat.completions.create(HELLO);
    const request = h.mocks.primary.requests[before];
    expect(request?.route).toBe("openai.chat");
    const sent = JSON.stringify(request?.headers);
    for (const value of ["client-cookie-value", "10.1.2.3", "org-client", "client-header-value"]) {
      expect(sent).not.toContain(value);
    }
    expect(Object.keys(request?.headers ?? {}).some((name) => name.startsWith("x-stainless"))).toBe(
      false,
    );
  });
});
