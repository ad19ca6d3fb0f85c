/**
 * Random JSON of every shape and size sent to every endpoint: the gateway never answers 5xx, and
 * nothing a client sends moves any target's breaker, cooldown or health (a circuit that opens at
 * the first counted failure would show it).
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, primaryAndFallback, startHarness } from "./harness.js";

let h: Harness<"primary" | "fallback">;

beforeAll(async () => {
  h = await startHarness(
    primaryAndFallback({ model: { failureThreshold: 1 }, server: { maxBodyBytes: 65_536 } }),
  );
});
afterAll(() => h?.close());

/** Every target's breaker, cooldown and health, in every model's chat and embeddings engine. */
function targetStates(): unknown {
  const states: Record<string, unknown> = {};
  for (const [name, route] of h.gateway.state.router.routes) {
    for (const [engine, factory] of [
      ["chat", route.chat],
      ["embeddings", route.embeddings],
    ] as const) {
      for (const [target, metrics] of Object.entries(factory.getMetrics())) {
        states[`${engine}:${name}:${target}`] = {
          circuit: metrics.circuitState,
          health: metrics.health,
          cooldownUntil: metrics.cooldownUntil,
        };
      }
    }
  }
  return states;
}

/** `{"a": {"a": ...}}` or `[[...]]`, `levels` deep, around a value. */
const nested = fc
  .tuple(
    fc.oneof(
      { arbitrary: fc.integer({ min: 0, max: 90 }), weight: 4 },
      { arbitrary: fc.integer({ min: 90, max: 300 }), weight: 1 },
    ),
    fc.boolean(),
    fc.jsonValue({ maxDepth: 2 }),
  )
  .map(([levels, asArray, inner]) => {
    let value: unknown = inner;
    for (let index = 0; index < levels; index++) value = asArray ? [value] : { a: value };
    return value;
  });

const anything = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 4 }), weight: 4 },
  { arbitrary: nested, weight: 1 },
);

/** Mostly `valid`, sometimes anything at all. */
const mostly = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: anything, weight: 1 });

const message = fc.record({
  role: mostly(fc.constantFrom("user", "assistant", "system", "tool", "developer")),
  content: mostly(fc.string({ maxLength: 50 })),
});

/** Something shaped like a model request, with any field wrong in any way, and odd extra fields. */
const requestLike = fc
  .tuple(
    fc.record({
      model: mostly(fc.constant("smart")),
      messages: mostly(fc.array(message, { minLength: 1, maxLength: 3 })),
      max_tokens: mostly(fc.integer({ min: 1, max: 64 })),
      stream: mostly(fc.boolean()),
      temperature: mostly(fc.double({ min: 0, max: 2, noNaN: true })),
      input: mostly(fc.string({ maxLength: 50 })),
    }),
    fc.dictionary(
      fc.constantFrom(
        "tools",
        "tool_choice",
        "metadata",
        "system",
        "stop",
        "response_format",
        "n",
        "user",
        "top_p",
      ),
      anything,
      { maxKeys: 2 },
    ),
    fc.string({ maxLength: 20_000, unit: "binary" }),
  )
  .map(([fields, extra, pad]) => ({ ...fields, ...extra, ...(pad ? { pad } : {}) }));

/**
 * A well-formed request with one field nested thousands of levels deep, as text (fast-check and
 * `JSON.stringify` would recurse on it as a value).
 */
const deepText = fc
  .tuple(
    fc.integer({ min: 1000, max: 5000 }),
    fc.constantFrom("metadata", "tools", "messages", "model", "input", "response_format"),
    fc.boolean(),
  )
  .map(([levels, field, asArray]) => {
    const [open, close] = asArray ? ["[", "]"] : ['{"a":', "}"];
    const value = `${open.repeat(levels)}1${close.repeat(levels)}`;
    return `{"model":"smart","max_tokens":8,"input":"hi","messages":[{"role":"user","content":"hi"}],"${field}":${value}}`;
  });

const body = fc.oneof(
  { arbitrary: deepText, weight: 1 },
  { arbitrary: requestLike.map((value) => JSON.stringify(value)), weight: 6 },
  { arbitrary: anything.map((value) => JSON.stringify(value) ?? ""), weight: 2 },
  { arbitrary: fc.string({ maxLength: 200 }), weight: 1 },
);

const endpoint = fc.oneof(
  {
    arbitrary: fc.constantFrom("/v1/chat/completions", "/v1/messages", "/v1/embeddings"),
    weight: 8,
  },
  { arbitrary: fc.constantFrom("/v1/models", "/healthz", "/readyz", "/v1/nothing"), weight: 1 },
);

describe("random requests to every endpoint", () => {
  it("never get a 5xx and never move a target's breaker, cooldown or health", async () => {
    const before = targetStates();
    await fc.assert(
      fc.asyncProperty(
        endpoint,
        fc.oneof(
          { arbitrary: fc.constant("POST"), weight: 8 },
          { arbitrary: fc.constantFrom("GET", "PUT"), weight: 1 },
        ),
        body,
        async (path, method, text) => {
          const response = await fetch(`${h.url}${path}`, {
            method,
            headers: { "content-type": "application/json" },
            ...(method === "GET" ? {} : { body: text }),
          });
          const answer = await response.text();
          expect(
            response.status,
            `${method} ${path} ${text.slice(0, 300)}: ${answer}`,
          ).toBeLessThan(500);
          expect(targetStates()).toEqual(before);
        },
      ),
      { numRuns: 200 },
    );
  }, 60_000);
});
