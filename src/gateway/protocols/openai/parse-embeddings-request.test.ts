import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseEmbeddingsRequest } from "./parse-embeddings-request.js";

describe("parseEmbeddingsRequest", () => {
  it("API reference example: a string input", () => {
    const result = parseEmbeddingsRequest({
      input: "The food was delicious and the waiter...",
      model: "text-embedding-ada-002",
      encoding_format: "float",
    });
    expect(result).toEqual({
      ok: true,
      value: {
        request: {
          model: "text-embedding-ada-002",
          input: ["The food was delicious and the waiter..."],
        },
        encodingFormat: "float",
      },
    });
  });

  it("maps arrays, dimensions, user, base64 and extras", () => {
    const result = parseEmbeddingsRequest({
      input: ["a", "b"],
      model: "text-embedding-3-small",
      dimensions: 256,
      encoding_format: "base64",
      user: "u1",
      extra_thing: 1,
    });
    expect(result.ok && result.value).toEqual({
      request: {
        model: "text-embedding-3-small",
        input: ["a", "b"],
        dimensions: 256,
        user: "u1",
        providerOptions: { openai: { extra_thing: 1 } },
      },
      encodingFormat: "base64",
    });
  });

  it.each([
    [{ model: "m", input: [1, 2, 3] }, "input", "token arrays"],
    [{ model: "m", input: [[1, 2], [3]] }, "input", "token arrays"],
    [{ model: "m", input: ["a", {}] }, "input[1]", "expected a string"],
    [{ model: "m", input: "" }, "input", "must not be empty"],
    [{ model: "m", input: [] }, "input", "at least 1"],
    [{ model: "m" }, "input", "Missing required parameter"],
    [{ model: "m", input: "x", encoding_format: "int8" }, "encoding_format", "'int8'"],
    [{ model: "m", input: "x", dimensions: 0 }, "dimensions", "at least 1"],
  ])("%j -> 400 on %s", (body, param, text) => {
    const result = parseEmbeddingsRequest(body);
    if (result.ok) throw new Error("expected an error");
    expect(result.error.status).toBe(400);
    expect(result.error.param).toBe(param);
    expect(result.error.message).toContain(text);
  });

  it("never throws on arbitrary JSON", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.jsonValue(), fc.record({ model: fc.string(), input: fc.jsonValue() })),
        (body) => {
          const result = parseEmbeddingsRequest(body);
          if (!result.ok) expect(result.error.status).toBe(400);
        },
      ),
    );
  });
});
