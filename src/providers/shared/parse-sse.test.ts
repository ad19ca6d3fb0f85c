import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eventBatches, parseSse, type SseEvent } from "./parse-sse.js";

const encoder = new TextEncoder();

async function* chunksOf(...chunks: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield typeof chunk === "string" ? encoder.encode(chunk) : chunk;
}

/** The events, without their raw text (`rawTexts` reads that). */
async function collect(body: AsyncIterable<Uint8Array>): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for await (const { raw: _raw, ...event } of parseSse(body)) events.push(event);
  return events;
}

async function rawTexts(body: AsyncIterable<Uint8Array>): Promise<(string | undefined)[]> {
  const raws: (string | undefined)[] = [];
  for await (const event of parseSse(body)) raws.push(event.raw);
  return raws;
}

function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let previous = 0;
  for (const point of points) {
    parts.push(bytes.subarray(previous, point));
    previous = point;
  }
  parts.push(bytes.subarray(previous));
  return parts;
}

describe("parseSse", () => {
  it("parses events, joins data lines, strips one space, ignores comments and unknown fields", async () => {
    const events = await collect(
      chunksOf(
        ": keep-alive\n",
        'event: message_start\ndata: {"a":1}\n\n',
        "data:  two spaces\ndata:no space\nretry: 10\nfoo: bar\n\n",
        "id: 7\ndata\n\n",
      ),
    );
    expect(events).toEqual([
      { event: "message_start", data: '{"a":1}', id: undefined },
      { event: undefined, data: " two spaces\nno space", id: undefined },
      { event: undefined, data: "", id: "7" },
    ]);
  });

  it("does not dispatch an event without data lines, and drops an unfinished event at the end", async () => {
    const events = await collect(chunksOf("event: ping\n\n", "data: done\n\n", "data: cut off\n"));
    expect(events).toEqual([{ event: undefined, data: "done", id: undefined }]);
  });

  it("treats \\r\\n split across chunks as one line end", async () => {
    const events = await collect(chunksOf("data: a\r", "\n", "\r", "\ndata: b\r", "\n\r\n"));
    expect(events.map((event) => event.data)).toEqual(["a", "b"]);
  });

  it("accepts a lone \\r as a line end", async () => {
    const events = await collect(chunksOf("data: a\rdata: b\r\rdata: c\r", "\r"));
    expect(events.map((event) => event.data)).toEqual(["a\nb", "c"]);
  });

  it("decodes UTF-8 split inside a character", async () => {
    const bytes = encoder.encode("data: héllo 👋 世界\n\n");
    const cut = bytes.indexOf(0xf0) + 2; // in the middle of the 4-byte emoji
    const events = await collect(
      chunksOf(bytes.subarray(0, 8), bytes.subarray(8, cut), bytes.subarray(cut)),
    );
    expect(events).toEqual([{ event: undefined, data: "héllo 👋 世界", id: undefined }]);
  });

  it("drops a leading byte-order mark", async () => {
    const events = await collect(chunksOf("\uFEFFdata: x\n\n"));
    expect(events.map((event) => event.data)).toEqual(["x"]);
  });

  it("drops a byte-order mark split across chunks, and turns malformed bytes into U+FFFD as TextDecoder does", async () => {
    const head = encoder.encode("\uFEFFdata: a\n\ndata: b");
    const malformed = [
      0xff, 0x41, 0xe4, 0xb8, 0x0a, 0x0a, 0x64, 0x61, 0x74, 0x61, 0x3a, 0xf0, 0x9f,
    ];
    const all = Uint8Array.from([...head, ...malformed, ...encoder.encode("\n\n")]);
    const events = await collect(
      chunksOf(all.subarray(0, 2), all.subarray(2, 19), all.subarray(19)),
    );
    expect(new TextDecoder().decode(all)).toBe(
      "data: a\n\ndata: b\uFFFDA\uFFFD\n\ndata:\uFFFD\n\n",
    );
    expect(events.map((event) => event.data)).toEqual(["a", "b\uFFFDA\uFFFD", "\uFFFD"]);
  });

  it("keeps each event's text as it came (raw): comments, ids and line ends included", async () => {
    const raws = await rawTexts(
      chunksOf(": ping\n\n", ": note\r\nid: 4\r\ndata:x\r", "\n\r\nevent: e\ndata: y\n", "\n"),
    );
    expect(raws).toEqual([": note\r\nid: 4\r\ndata:x\r\n\r\n", "event: e\ndata: y\n\n"]);
  });

  it("carries the last event id over to later events", async () => {
    const events = await collect(chunksOf("id: 1\ndata: a\n\ndata: b\n\nid\ndata: c\n\n"));
    expect(events.map((event) => event.id)).toEqual(["1", "1", ""]);
  });

  it("parses any serialised event sequence back, however the bytes are chunked", async () => {
    const lineText = fc.string({ unit: "binary" }).filter((text) => !/[\r\n\0]/.test(text));
    const dataText = fc.string({ unit: "binary" }).filter((text) => !text.includes("\r"));
    const eventArbitrary = fc.record({
      event: fc.option(
        lineText.filter((text) => text !== ""),
        { nil: undefined },
      ),
      data: dataText,
      id: fc.option(lineText, { nil: undefined }),
      comment: fc.option(lineText, { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArbitrary, { maxLength: 8 }),
        fc.constantFrom("\n", "\r\n", "\r"),
        fc.array(fc.nat(), { maxLength: 20 }),
        async (events, newline, cuts) => {
          let text = "";
          let lastId: string | undefined;
          const expected: SseEvent[] = [];
          const blocks: string[] = [];
          for (const event of events) {
            let block = "";
            if (event.comment !== undefined) block += `:${event.comment}${newline}`;
            if (event.event !== undefined) block += `event: ${event.event}${newline}`;
            if (event.id !== undefined) {
              block += `id: ${event.id}${newline}`;
              lastId = event.id;
            }
            for (const line of event.data.split("\n")) block += `data: ${line}${newline}`;
            block += newline;
            text += block;
            blocks.push(block);
            expected.push({ event: event.event, data: event.data, id: lastId });
          }
          const chunks = splitAt(encoder.encode(text), cuts);
          expect(await collect(chunksOf(...chunks))).toEqual(expected);
          // Each event's raw text is its block as written; only a \r\n that ends the block and is
          // split across chunks ends its raw text in the \r.
          const raws = await rawTexts(chunksOf(...chunks));
          raws.forEach((raw, index) => {
            const block = blocks[index] ?? "";
            if (raw !== block) expect(`${raw}\n`).toBe(block);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("parseSse with a size limit", () => {
  const limit = { provider: "test-provider", maxBytes: 100 };

  it("passes events up to the limit, a line split over many chunks included", async () => {
    const data = "x".repeat(90);
    const pieces = ["data: ", ...(data.match(/.{1,7}/g) ?? []), "\n\n", "data: next\n\n"];
    const events: SseEvent[] = [];
    for await (const event of parseSse(chunksOf(...pieces), limit)) events.push(event);
    expect(events.map((event) => event.data)).toEqual([data, "next"]);
  });

  it("fails an event past the limit as transient, in one line or in many", async () => {
    const oneLine = chunksOf("data: ok\n\n", `data: ${"y".repeat(60)}`, "y".repeat(60), "\n\n");
    const manyLines = chunksOf(...Array.from({ length: 30 }, () => "data: zzzzzz\n"), "\n");
    for (const body of [oneLine, manyLines]) {
      const seen: string[] = [];
      const reading = (async () => {
        for await (const event of parseSse(body, limit)) seen.push(event.data);
      })();
      await expect(reading).rejects.toMatchObject({
        kind: "transient",
        vendorCode: "response_too_large",
        message: "test-provider: stream event is larger than maxResponseBytes (100 bytes)",
      });
      expect(seen.length).toBeLessThanOrEqual(1);
    }
  });

  it("fails a block of comment lines past the limit, though it carries no data", async () => {
    const comments = chunksOf(...Array.from({ length: 30 }, () => ": keep-alive\n"), "\n");
    const reading = (async () => {
      for await (const _event of parseSse(comments, limit));
    })();
    await expect(reading).rejects.toMatchObject({ vendorCode: "response_too_large" });
  });

  it("hands out the events of one network read together (nextBatch), and what next left of a read", async () => {
    const events = parseSse(
      chunksOf("data: a\n\ndata: b\n\ndata: c\n\n", "data: d\n\n", ": ping\n\n"),
    );
    const first = await events.next();
    expect(first.value?.data).toBe("a");
    expect((await events.nextBatch())?.map((event) => event.data)).toEqual(["b", "c"]);
    expect((await events.nextBatch())?.map((event) => event.data)).toEqual(["d"]);
    expect(await events.nextBatch()).toBeUndefined();
  });

  it("eventBatches takes one event per batch from an iterator that cannot say what came together", async () => {
    async function* plain(): AsyncGenerator<SseEvent> {
      yield { event: undefined, data: "a", id: undefined };
      yield { event: undefined, data: "b", id: undefined };
    }
    const batches = eventBatches(plain());
    expect((await batches.next())?.map((event) => event.data)).toEqual(["a"]);
    expect((await batches.next())?.map((event) => event.data)).toEqual(["b"]);
    expect(await batches.next()).toBeUndefined();
  });

  it("a batch asked for while a read is under way waits for it, as next does", async () => {
    const events = parseSse(chunksOf("data: a\n\ndata: b\n\n"));
    const [one, batch] = await Promise.all([events.next(), events.nextBatch()]);
    expect(one.value?.data).toBe("a");
    expect(batch?.map((event) => event.data)).toEqual(["b"]);
  });
});
