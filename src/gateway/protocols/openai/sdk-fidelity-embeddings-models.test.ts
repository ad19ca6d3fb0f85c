/**
 * Fidelity of embeddings and the models list through the official SDK. Setup in
 * sdk-fidelity.test-helper.ts.
 */
import { BadRequestError } from "openai";
import { describe, expect, it } from "vitest";
import { parseEmbeddingsRequest } from "./parse-embeddings-request.js";
import { renderEmbeddingsResponse } from "./render-embeddings-response.js";
import { renderModels } from "./render-models.js";
import { errorReply, useSdkServer } from "./sdk-fidelity.test-helper.js";

const sdk = useSdkServer();

describe("embeddings and models through the official SDK", () => {
  it("the SDK's default base64 request decodes our little-endian float32 bytes", async () => {
    const vectors = [
      [0.1, -0.25, 3.5],
      [1e-8, 42, -0],
    ];
    sdk.handler = (path, body) => {
      expect(path).toBe("/v1/embeddings");
      const result = parseEmbeddingsRequest(body);
      if (!result.ok) return errorReply(result.error);
      expect(result.value.encodingFormat).toBe("base64");
      expect(result.value.request.input).toEqual(["first", "second"]);
      const rendered = renderEmbeddingsResponse(
        {
          model: "emb",
          adapterType: "x",
          embeddings: vectors,
          usage: { inputTokens: 2, totalTokens: 2 },
        },
        { encodingFormat: result.value.encodingFormat },
      );
      return { status: 200, body: JSON.stringify(rendered) };
    };
    const response = await sdk.client.embeddings.create({
      model: "emb",
      input: ["first", "second"],
    });
    expect(response.data.map((item) => item.embedding)).toEqual(
      vectors.map((vector) => vector.map((value) => Math.fround(value))),
    );
    expect(response.usage.prompt_tokens).toBe(2);
  });

  it("token-array input gets a BadRequestError", async () => {
    sdk.handler = (_path, body) => {
      const result = parseEmbeddingsRequest(body);
      return result.ok ? { status: 200, body: "{}" } : errorReply(result.error);
    };
    const error = await sdk.client.embeddings
      .create({ model: "emb", input: [1, 2, 3], encoding_format: "float" })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).message).toContain("token arrays");
  });

  it("the models list pages through", async () => {
    sdk.handler = (path) => {
      expect(path).toBe("/v1/models");
      return {
        status: 200,
        body: JSON.stringify(
          renderModels([
            { id: "fast", ownedBy: undefined },
            { id: "smart", ownedBy: "acme" },
          ]),
        ),
      };
    };
    const ids: string[] = [];
    for await (const model of sdk.client.models.list()) ids.push(model.id);
    expect(ids).toEqual(["fast", "smart"]);
  });
});
