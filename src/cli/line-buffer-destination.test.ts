import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FakeClock } from "../testing/fake-clock.js";
import {
  LineBufferDestination,
  type LineBufferDestinationOptions,
  type LineWriter,
} from "./line-buffer-destination.js";

/** A writer whose asynchronous writes stay in flight until the test settles them. */
class FakeWriter implements LineWriter {
  written = "";
  pending: { data: string; done: (error: Error | null, written: number) => void }[] = [];
  syncFailures: string[] = [];
  slept = 0;

  write(_fd: number, data: string | Buffer, done: (error: Error | null, written: number) => void) {
    this.pending.push({ data: data.toString(), done });
  }

  writeSync(_fd: number, data: string | Buffer): number {
    const code = this.syncFailures.shift();
    if (code) throw Object.assign(new Error(code), { code });
    this.written += data.toString();
    return Buffer.byteLength(data);
  }

  sleepSync(ms: number): void {
    this.slept += ms;
  }

  /** Completes the oldest write: all of it, `bytes` of it, or with an error code. */
  settle(outcome: { bytes?: number; code?: string } = {}): void {
    const write = this.pending.shift();
    if (!write) throw new Error("no write in flight");
    if (outcome.code) {
      write.done(Object.assign(new Error(outcome.code), { code: outcome.code }), 0);
      return;
    }
    const bytes = Buffer.from(write.data);
    const count = outcome.bytes ?? bytes.length;
    this.written += bytes.subarray(0, count).toString();
    write.done(null, count);
  }
}

function setup(options: LineBufferDestinationOptions = {}) {
  const clock = new FakeClock();
  const writer = new FakeWriter();
  let exitHook: (() => void) | undefined;
  const destination = new LineBufferDestination({
    minWriteChars: 10,
    flushEveryMs: 100,
    retryEveryMs: 10,
    clock,
    writer,
    onExit: (flushSync) => {
      exitHook = flushSync;
      return () => {
        exitHook = undefined;
      };
    },
    ...options,
  });
  return { clock, writer, destination, exit: () => exitHook?.() };
}

describe("LineBufferDestination", () => {
  it("gathers short lines until minWriteChars, then writes them joined in one write", () => {
    const { writer, destination } = setup();
    destination.write("a\n");
    destination.write("bb\n");
    expect(writer.pending).toHaveLength(0);
    destination.write("cccccc\n");
    expect(writer.pending.map((write) => write.data)).toEqual(["a\nbb\ncccccc\n"]);
  });

  it("writes a few lines flushEveryMs after the first of them, not before", async () => {
    const { clock, writer, destination } = setup();
    destination.write("a\n");
    await clock.advance(99);
    destination.write("b\n");
    expect(writer.pending).toHaveLength(0);
    await clock.advance(1);
    expect(writer.pending.map((write) => write.data)).toEqual(["a\nb\n"]);
  });

  it("keeps the order of lines written while a write is in flight", async () => {
    const { clock, writer, destination } = setup();
    destination.write("0123456789\n");
    destination.write("later-1\n");
    destination.write("later-2\n");
    expect(writer.pending).toHaveLength(1);
    writer.settle();
    expect(writer.pending.map((write) => write.data)).toEqual(["later-1\nlater-2\n"]);
    writer.settle();
    destination.write("x\n");
    await clock.advance(100);
    writer.settle();
    expect(writer.written).toBe("0123456789\nlater-1\nlater-2\nx\n");
  });

  it("drops lines past maxBufferedChars and writes how many where they were, once there is room", () => {
    const { writer, destination } = setup({
      maxBufferedChars: 24,
      droppedLine: (count) => `dropped ${count}\n`,
    });
    destination.write("0123456789\n"); // 11 chars, in flight
    destination.write("kept-one\n"); // 20 held
    destination.write("lost-one\n");
    destination.write("lost-two\n");
    expect(destination.droppedLines).toBe(2);
    writer.settle(); // "kept-one\n" now in flight
    destination.write("after\n");
    writer.settle();
    destination.flushSync();
    expect(writer.written).toBe("0123456789\nkept-one\ndropped 2\nafter\n");
    expect(destination.droppedLines).toBe(0);
  });

  it("retries a write that met EAGAIN after retryEveryMs", async () => {
    const { clock, writer, destination } = setup();
    destination.write("0123456789\n");
    writer.settle({ code: "EAGAIN" });
    expect(writer.pending).toHaveLength(0);
    await clock.advance(10);
    writer.settle();
    expect(writer.written).toBe("0123456789\n");
  });

  it("writes the rest of a short write, counting bytes rather than characters", () => {
    const { writer, destination } = setup();
    destination.write("héllo wörld\n");
    writer.settle({ bytes: 3 });
    writer.settle();
    expect(writer.written).toBe("héllo wörld\n");
  });

  it("stops logging when the reader is gone (EPIPE)", async () => {
    const { clock, writer, destination } = setup();
    destination.write("0123456789\n");
    writer.settle({ code: "EPIPE" });
    destination.write("0123456789\n");
    destination.flushSync();
    await clock.runAll();
    expect(writer.pending).toHaveLength(0);
    expect(writer.written).toBe("");
  });

  it("at exit writes synchronously, after a write waiting for its retry, in order", () => {
    const { writer, destination, exit } = setup({ droppedLine: (count) => `dropped ${count}\n` });
    destination.write("0123456789\n");
    writer.settle({ code: "EAGAIN" });
    destination.write("second\n");
    writer.syncFailures = ["EAGAIN", "EAGAIN"];
    exit();
    expect(writer.written).toBe("0123456789\nsecond\n");
    expect(writer.slept).toBe(20);
  });

  it("gives up a synchronous flush that keeps meeting EAGAIN after maxSyncWaitMs", () => {
    const { writer, destination } = setup({ maxSyncWaitMs: 30 });
    destination.write("a\n");
    writer.syncFailures = Array.from({ length: 100 }, () => "EAGAIN");
    destination.flushSync();
    expect(writer.slept).toBe(30);
    expect(writer.written).toBe("");
  });

  it("calls flush's callback once everything gathered before it is written", () => {
    const { writer, destination } = setup();
    let flushed = false;
    destination.write("0123456789\n");
    destination.write("b\n");
    destination.flush(() => {
      flushed = true;
    });
    writer.settle();
    expect(flushed).toBe(false);
    writer.settle();
    expect(flushed).toBe(true);
    expect(writer.written).toBe("0123456789\nb\n");
  });

  it("joins lines gathered during a slow write into chunks and writes them one at a time", () => {
    const { writer, destination } = setup();
    const line = `${"x".repeat(99)}\n`;
    destination.write(line);
    for (let index = 0; index < 400; index++) destination.write(line);
    writer.settle();
    expect(writer.pending[0]?.data.length).toBeLessThan(400 * line.length);
    while (writer.pending.length > 0) writer.settle();
    expect(writer.written).toBe(line.repeat(401));
  });
});

describe("LineBufferDestination on a real file", () => {
  const directories: string[] = [];
  afterEach(() => {
    for (const directory of directories.splice(0)) {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  function tempFile() {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "line-buffer-"));
    directories.push(directory);
    const file = path.join(directory, "log");
    return { file, fd: fs.openSync(file, "w") };
  }

  it("writes lines with fs.write and, at exit, what is left with fs.writeSync", async () => {
    const { file, fd } = tempFile();
    let exitHook: (() => void) | undefined;
    const destination = new LineBufferDestination({
      fd,
      minWriteChars: 10,
      clock: new FakeClock(),
      onExit: (flushSync) => {
        exitHook = flushSync;
        return () => undefined;
      },
    });
    destination.write("0123456789\n");
    await new Promise<void>((resolve) => destination.flush(resolve));
    expect(fs.readFileSync(file, "utf8")).toBe("0123456789\n");
    destination.write("last\n");
    exitHook?.();
    expect(fs.readFileSync(file, "utf8")).toBe("0123456789\nlast\n");
    fs.closeSync(fd);
  });
});
