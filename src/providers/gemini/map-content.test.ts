import { describe, expect, it } from "vitest";
import { functionResponsePart, geminiPart } from "./map-content.js";

describe("Gemini content mapping", () => {
  it("documents inline and by URL, plain text as text/plain bytes, audio by its format", () => {
    expect(
      geminiPart({
        type: "document",
        source: { type: "base64", mediaType: "application/pdf", data: "JVBE" },
      }),
    ).toEqual({
      inlineData: { mimeType: "application/pdf", data: "JVBE" },
    });
    expect(
      geminiPart({
        type: "document",
        source: { type: "text", mediaType: "text/plain", data: "hi" },
      }),
    ).toEqual({
      inlineData: { mimeType: "text/plain", data: Buffer.from("hi").toString("base64") },
    });
    expect(
      geminiPart({ type: "document", source: { type: "url", url: "https://x/a.pdf" } }),
    ).toEqual({
      fileData: { mimeType: "application/pdf", fileUri: "https://x/a.pdf" },
    });
    expect(geminiPart({ type: "audio", format: "wav", data: "UklG" })).toEqual({
      inlineData: { mimeType: "audio/wav", data: "UklG" },
    });
  });

  it("a failed tool result goes under response.error, its media in functionResponse.parts", () => {
    expect(
      functionResponsePart(
        {
          role: "tool",
          toolCallId: "c1",
          content: "not found",
          isError: true,
          parts: [
            { type: "text", text: "not found" },
            { type: "image", source: { type: "url", url: "data:image/png;base64,iVBO" } },
          ],
        },
        "lookup",
      ),
    ).toEqual({
      functionResponse: {
        name: "lookup",
        response: { error: "not found" },
        parts: [{ inlineData: { mimeType: "image/png", data: "iVBO" } }],
      },
    });
  });
});
