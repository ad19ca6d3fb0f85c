/**
 * Engine options set in the config take effect through the gateway: a model's `authCooldownMs` and
 * `explorationRatio` (once silently dropped by the gateway's mapping), and the cap on a cooldown a
 * vendor's `retry-after` asks for (`maxCooldownMs`). Cooldowns run on an injected clock.
 */
import OpenAI from "openai";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseConfigText } from "../../src/config/index.js";
import { Gateway } from "../../src/gateway/gateway.js";
import { FakeClock } from "../../src/testing/fake-clock.js";
import { type MockProviderServer, startMockProviderServer } from "../../src/testing/index.js";
import { configText, createCapturingLogger, providerConfig } from "./harness.js";

const HELLO = { model: "smart", messages: [{ role: "user" as const, content: "hi" }] };

interface Setup {
  client: OpenAI;
  mocks: MockProviderServer[];
  close(): Promise<void>;
}

const running: Setup[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(running.splice(0).map((setup) => setup.close()));
});

/** Mock upstreams named `names`, and a gateway whose one model `smart` has `model` settings. */
async function start(
  names: readonly string[],
  model: (providers: readonly string[]) => Record<string, unknown>,
  clock?: FakeClock,
): Promise<Setup> {
  const mocks = await Promise.all(names.map(() => startMockProviderServer()));
  const text = configText({
    providers: names.map((name, index) =>
      providerConfig({ name, type: "openai", origin: mocks[index]?.url ?? "" }),
    ),
    models: [{ name: "smart", ...model(names) }],
  });
  const gateway = new Gateway(parseConfigText(text, { env: {} }), {
    logger: createCapturingLogger(),
    ...(clock ? { clock } : {}),
  });
  const url = await gateway.listen({ host: "127.0.0.1", port: 0 });
  const setup = {
    client: new OpenAI({ baseURL: `${url}/v1`, apiKey: "sk-client-unused", maxRetries: 0 }),
    mocks,
    close: async () => {
      await gateway.close(100);
      await Promise.all(mocks.map((mock) => mock.close()));
    },
  };
  running.push(setup);
  return setup;
}

const served = (mock: MockProviderServer | undefined) => mock?.requestsFor("openai.chat").length;

describe("engine options through the gateway", () => {
  it("a model's authCooldownMs: a key rejected once serves again after 1.5 s", async () => {
    const clock = new FakeClock();
    const { client, mocks } = await start(
      ["up"],
      () => ({
        authCooldownMs: 1500,
        retry: { maxAttempts: 1 },
        targets: [{ provider: "up", model: "gpt-4o" }],
      }),
      clock,
    );
    const [up] = mocks;
    up?.enqueue({ error: { status: 401 } });
    await expect(client.chat.completions.create(HELLO)).rejects.toThrow();
    await clock.advance(1499);
    await expect(client.chat.completions.create(HELLO)).rejects.toThrow();
    expect(served(up)).toBe(1);
    await clock.advance(1);
    const completion = await client.chat.completions.create(HELLO);
    expect(completion.choices[0]?.message.content).toBeTruthy();
    expect(served(up)).toBe(2);
  });

  it.each([
    { name: "1000000 seconds", header: "1000000", capMs: 300_000, target: {} },
    {
      name: "an HTTP date in the year 9999, under a target's own cap",
      header: "Fri, 31 Dec 9999 23:59:59 GMT",
      capMs: 5000,
      target: { maxCooldownMs: 5000 },
    },
  ])("a 429 asking for $name leaves the target out for at most the cap", async (row) => {
    const clock = new FakeClock();
    const { client, mocks } = await start(
      ["limited", "backup"],
      () => ({
        retry: { maxAttempts: 1 },
        targets: [
          { provider: "limited", model: "gpt-4o", priority: 1, ...row.target },
          { provider: "backup", model: "gpt-4o", priority: 2 },
        ],
      }),
      clock,
    );
    const [limited, backup] = mocks;
    limited?.enqueue({ error: { status: 429 }, headers: { "retry-after": row.header } });
    await client.chat.completions.create(HELLO);
    expect([served(limited), served(backup)]).toEqual([1, 1]);
    await clock.advance(row.capMs - 1);
    await client.chat.completions.create(HELLO);
    expect([served(limited), served(backup)]).toEqual([1, 2]);
    await clock.advance(1);
    await client.chat.completions.create(HELLO);
    expect([served(limited), served(backup)]).toEqual([2, 2]);
  });

  it.each([
    { explorationRatio: undefined, slowServes: 1 },
    { explorationRatio: 1, slowServes: 8 },
  ])(
    "least-latency with explorationRatio $explorationRatio: the slow target serves $slowServes of 8",
    async ({ explorationRatio, slowServes }) => {
      // Randomness pinned: an exploring call always puts the second-fastest target first.
      vi.spyOn(Math, "random").mockReturnValue(0.7);
      const { client, mocks } = await start(["fast", "slow"], () => ({
        strategy: "least-latency",
        ...(explorationRatio === undefined ? {} : { explorationRatio }),
        retry: { maxAttempts: 1 },
        targets: [
          { provider: "fast", model: "gpt-4o" },
          { provider: "slow", model: "gpt-4o" },
        ],
      }));
      const [fast, slow] = mocks;
      slow?.setLatency(100);
      for (let call = 0; call < 8; call++) await client.chat.completions.create(HELLO);
      expect([served(fast), served(slow)]).toEqual([8 - slowServes, slowServes]);
    },
  );
});
