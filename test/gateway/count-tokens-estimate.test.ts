/**
 * The offline token estimate (`POST /v1/messages/count_tokens` for a model without an Anthropic
 * target) builds its tokenizer on a worker thread: building it takes seconds of CPU, and the gateway
 * keeps answering meanwhile. This file's process has not built it before the test.
 */
import { afterEach, describe, expect, it } from "vitest";
import { harnessPool, primaryAndFallback } from "./harness.js";

const pool = harnessPool();
afterEach(() => pool.closeAll());

describe("the first token estimate", () => {
  it("leaves the gateway answering other requests while the tokenizer is built", async () => {
    const h = await pool.start(primaryAndFallback({ fallback: { type: "openai" } }));
    let estimated = false;
    const estimate = fetch(`${h.url}/v1/messages/count_tokens`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": "k" },
      body: JSON.stringify({
        model: "smart",
        system: "You are terse.",
        messages: [{ role: "user", content: "What is the capital of France?" }],
      }),
    }).then(async (response) => {
      estimated = true;
      return {
        header: response.headers.get("x-switchyard-token-count"),
        body: (await response.json()) as { input_tokens: number },
      };
    });
    // Health checks one after another until the estimate answers. With the tokenizer built on the
    // gateway's own thread only those answered while its package loads get through (17 here, against
    // about 900 with the worker): a count of answers, not a time.
    let healthyBeforeEstimate = 0;
    while (!estimated) {
      const health = await fetch(`${h.url}/healthz`);
      await health.arrayBuffer();
      if (!estimated && health.ok) healthyBeforeEstimate += 1;
    }
    expect(healthyBeforeEstimate).toBeGreaterThanOrEqual(100);
    // o200k_base: "You are terse." is 4 tokens, the question 7, its role "user" 1.
    expect(await estimate).toEqual({ header: "estimate", body: { input_tokens: 12 } });
  });
});
