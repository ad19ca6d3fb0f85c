import { describe, expect, it } from "vitest";
import { messagesWireSeam } from "./messages-wire-seam.js";

const event = (name: string, data: Record<string, unknown>) => ({
  event: name,
  data: JSON.stringify({ type: name, ...data }),
});

const START = event("message_start", { message: { id: "msg_1", model: "claude" } });
const thinking = (index: number) =>
  event("content_block_start", { index, content_block: { type: "thinking", thinking: "" } });
const text = (index: number) =>
  event("content_block_start", { index, content_block: { type: "text", text: "" } });
const delta = (index: number, value: string) =>
  event("content_block_delta", { index, delta: { type: "text_delta", text: value } });
const stop = (index: number) => event("content_block_stop", { index });

function seamOf(events: ReturnType<typeof event>[]) {
  const seam = messagesWireSeam();
  for (const part of events) seam.observe(part);
  return seam;
}

describe("messagesWireSeam", () => {
  it("goes on in the open text block, after a thinking block, with no second message_start", () => {
    const seam = seamOf([
      START,
      thinking(0),
      stop(0),
      text(1),
      delta(1, "Hello"),
      delta(1, " wor"),
    ]);
    expect(seam.text).toBe("Hello wor");
    expect(seam.extendable).toBe(true);
    const encoder = seam.resume();
    const out = encoder.encode({ type: "text-delta", text: "ld" }) + encoder.end();
    expect(out).not.toContain("message_start");
    expect(out).not.toContain("content_block_start");
    expect(out).toContain('"index":1,"delta":{"type":"text_delta","text":"ld"}');
    expect(out).toContain(
      'event: content_block_stop\ndata: {"type":"content_block_stop","index":1}',
    );
    expect(out.match(/event: message_stop/g)).toHaveLength(1);
  });

  it("opens the next block when the cut fell between blocks", () => {
    const seam = seamOf([START, text(0), delta(0, "Hello."), stop(0)]);
    const out = seam.resume().encode({ type: "text-delta", text: " More." });
    expect(out).toContain('"content_block_start","index":1,"content_block":{"type":"text"');
  });

  it("is not extendable after a tool_use block or the message's end", () => {
    const tool = event("content_block_start", {
      index: 1,
      content_block: { type: "tool_use", id: "toolu_1", name: "f", input: {} },
    });
    expect(seamOf([START, text(0), delta(0, "Let me look."), stop(0), tool]).extendable).toBe(
      false,
    );
    const ended = event("message_delta", { delta: { stop_reason: "end_turn" } });
    expect(seamOf([START, text(0), delta(0, "Done."), stop(0), ended]).extendable).toBe(false);
    expect(seamOf([text(0), delta(0, "no start")]).extendable).toBe(false);
  });
});
