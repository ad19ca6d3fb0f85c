import { describe, expect, it } from "vitest";
import { contentFeatures } from "./content-features.js";

describe("contentFeatures", () => {
  it("names documents inline and by URL, audio, and media in tool results, in a fixed order", () => {
    expect(
      contentFeatures({
        model: "m",
        messages: [
          { role: "user", content: [{ type: "audio", format: "wav", data: "AA" }] },
          {
            role: "tool",
            toolCallId: "t",
            content: "",
            parts: [{ type: "document", source: { type: "url", url: "https://x/a.pdf" } }],
          },
          {
            role: "user",
            content: [
              { type: "document", source: { type: "text", mediaType: "text/plain", data: "x" } },
            ],
          },
        ],
      }),
    ).toEqual(["document", "document-url", "audio", "tool-result-media"]);
  });

  it("text, images and text-only tool parts (kept for a cache breakpoint) need nothing", () => {
    expect(
      contentFeatures({
        model: "m",
        messages: [
          {
            role: "user",
            content: [{ type: "image", source: { type: "url", url: "https://x/a.png" } }],
          },
          {
            role: "tool",
            toolCallId: "t",
            content: "ok",
            parts: [{ type: "text", text: "ok", cacheControl: { type: "ephemeral" } }],
          },
        ],
      }),
    ).toEqual([]);
  });
});
