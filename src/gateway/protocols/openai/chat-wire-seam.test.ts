import { describe, expect, it } from "vitest";
import { chatWireSeam } from "./chat-wire-seam.js";

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  event: undefined,
  data: JSON.stringify({
    id: "chatcmpl-up",
    object: "chat.completion.chunk",
    created: 1700000000,
    model: "gpt-4o-2024",
    choices: [{ index: 0, delta, finish_reason: finish }],
  }),
});

function seamOf(parts: ReturnType<typeof chunk>[], includeUsage = false) {
  const seam = chatWireSeam({ includeUsage });
  for (const part of parts) seam.observe(part);
  return seam;
}

describe("chatWireSeam", () => {
  it("continues with the relayed envelope and no second role", () => {
    const seam = seamOf([
      chunk({ role: "assistant", content: "" }),
      chunk({ content: "Hello wor" }),
    ]);
    expect(seam.text).toBe("Hello wor");
    expect(seam.extendable).toBe(true);
    const encoder = seam.resume();
    const out = encoder.encode({ type: "text-delta", text: "ld" }) + encoder.end();
    expect(out).not.toContain('"role"');
    expect(out).toContain('"id":"chatcmpl-up"');
    expect(out).toContain('"created":1700000000');
    expect(out).toContain('"model":"gpt-4o-2024"');
    expect(out).toContain('"content":"ld"');
    expect(out.match(/data: \[DONE\]/g)).toHaveLength(1);
  });

  it("is not extendable after a tool call or a finish reason", () => {
    const tool = chunk({ tool_calls: [{ index: 0, id: "call_1", function: { name: "f" } }] });
    expect(seamOf([chunk({ content: "x" }), tool]).extendable).toBe(false);
    expect(seamOf([chunk({ content: "x" }), chunk({}, "stop")]).extendable).toBe(false);
    expect(seamOf([]).extendable).toBe(false);
  });
});
