import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/index.js";
import { Gateway } from "../../src/gateway/gateway.js";
import { FakeClock } from "../../src/testing/fake-clock.js";
import { type MockProviderServer, startMockProviderServer } from "../../src/testing/index.js";

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe("per-client rate limits (in memory, without Redis)", () => {
  let mock: MockProviderServer;
  let gateway: Gateway;
  const clock = new FakeClock();

  beforeAll(async () => {
    mock = await startMockProviderServer();
    const config = {
      providers: [
        { name: "up", type: "openai", baseUrl: `${mock.url}/v1`, keys: [{ key: "sk-up" }] },
      ],
      models: [{ name: "m", targets: [{ provider: "up", model: "gpt-x" }] }],
      clients: [
        { name: "limited", key: "sk-limited", rateLimit: { rpm: 2 } },
        { name: "free", key: "sk-free" },
      ],
    };
    gateway = new Gateway(parseConfigText(JSON.stringify(config), { env: {} }), {
      logger: quiet,
      clock,
    });
  });

  afterAll(async () => {
    await gateway?.close(0);
    await mock?.close();
  });

  const chat = (key: string, path = "/v1/chat/completions") =>
    gateway.app.request(path, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "m",
        max_tokens: 10,
        messages: [{ role: "user", content: "hi" }],
      }),
    });

  it("answers 429 with retry-after in the client's protocol once the client is over its rpm", async () => {
    expect((await chat("sk-limited")).status).toBe(200);
    await clock.advance(20_000);
    expect((await chat("sk-limited")).status).toBe(200);

    const refused = await chat("sk-limited");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("40");
    const body = (await refused.json()) as { error: { message: string; code: string } };
    expect(body.error.code).toBe("rate_limit_exceeded");
    expect(body.error.message).toBe(
      "the client 'limited' is over its rate limit of 2 requests per minute (retry in 40000 ms)",
    );

    const anthropic = await chat("sk-limited", "/v1/messages");
    expect(anthropic.status).toBe(429);
    expect(await anthropic.json()).toMatchObject({
      type: "error",
      error: { type: "rate_limit_error" },
    });
    for (let i = 0; i < 3; i++) expect((await chat("sk-free")).status).toBe(200);

    await clock.advance(40_000);
    expect((await chat("sk-limited")).status).toBe(200);
    expect(mock.stats.total).toBe(6);
  });
});
