/**
 * Content and caching across protocols (docs/wire-fidelity.md, "What crosses protocols"):
 * documents, files, audio, images in tool results, cache breakpoints and cache usage, each way,
 * streamed and not, with the official SDKs as clients and the mock vendors checking the bodies as
 * their APIs do.
 * This file: a Responses client. Setup in content-across-protocols-harness.ts.
 */
import type OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { PDF, PNG, startContentHarness } from "./content-across-protocols-harness.js";

const { h, upstream } = await startContentHarness();

describe.each([false, true])("Responses client (stream: %s)", (stream) => {
  async function respond(model: string, input: unknown[]): Promise<string> {
    const params = { model, input } as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming;
    if (!stream) return (await h.openai().responses.create(params)).output_text;
    const events = await h.openai().responses.create({ ...params, stream: true });
    let text = "";
    for await (const event of events)
      if (event.type === "response.output_text.delta") text += event.delta;
    return text;
  }

  it("an input_file goes to Anthropic as a document; a function output's image to Gemini's functionResponse.parts", async () => {
    h.mocks.an.enqueue({ reply: { text: "Read." } });
    expect(
      await respond("to-anthropic", [
        {
          role: "user",
          content: [
            {
              type: "input_file",
              filename: "report.pdf",
              file_data: `data:application/pdf;base64,${PDF}`,
            },
            { type: "input_text", text: "Summarise." },
          ],
        },
      ]),
    ).toBe("Read.");
    expect((upstream("an").messages as { content: unknown[] }[])[0]?.content[0]).toEqual({
      type: "document",
      source: { type: "base64", media_type: "application/pdf", data: PDF },
      title: "report.pdf",
    });

    h.mocks.gm.enqueue({ reply: { text: "Seen." } });
    await respond("to-gemini", [
      { role: "user", content: "Take a screenshot." },
      { type: "function_call", call_id: "call_1", name: "screenshot", arguments: "{}" },
      {
        type: "function_call_output",
        call_id: "call_1",
        output: [
          { type: "input_text", text: '{"ok":true}' },
          { type: "input_image", image_url: `data:image/png;base64,${PNG}` },
        ],
      },
    ]);
    const contents = upstream("gm").contents as { parts: unknown[] }[];
    expect(contents[2]?.parts[0]).toEqual({
      functionResponse: {
        name: "screenshot",
        response: { ok: true },
        parts: [{ inlineData: { mimeType: "image/png", data: PNG } }],
      },
    });
  });
});
