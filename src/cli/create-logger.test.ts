import { pino } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { REDACTED } from "../config/index.js";
import { createLogger, droppedLine, isoTime, redactSecrets } from "./create-logger.js";

function capture(level?: string) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    ...(level ? { level } : {}),
    destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
  });
  return { logger, lines };
}

describe("createLogger", () => {
  it("writes one JSON object per line with the fields and the message", () => {
    const { logger, lines } = capture();
    logger.info({ requestId: "req-1", model: "smart" }, "request served");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      name: "switchyard",
      requestId: "req-1",
      model: "smart",
      msg: "request served",
    });
    expect(typeof lines[0]?.time).toBe("string");
  });

  it("redacts key, apiKey, adminKey and authorization at any of the first three levels", () => {
    const { logger, lines } = capture();
    logger.info(
      {
        key: "sk-1",
        apiKey: "sk-2",
        provider: { apiKey: "sk-3", name: "openai" },
        server: { adminKey: "admin" },
        request: { headers: { authorization: "Bearer sk-4", "x-api-key": "sk-5" } },
        keep: "visible",
      },
      "careless",
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of ["sk-1", "sk-2", "sk-3", 'admin"', "sk-4", "sk-5"]) {
      expect(text).not.toContain(secret);
    }
    expect(lines[0]).toMatchObject({
      key: REDACTED,
      provider: { apiKey: REDACTED, name: "openai" },
      request: { headers: { authorization: REDACTED, "x-api-key": REDACTED } },
      keep: "visible",
    });
  });

  it("drops lines below the level", () => {
    const { logger, lines } = capture("warn");
    logger.info({}, "quiet");
    logger.warn({}, "loud");
    expect(lines.map((line) => line.msg)).toEqual(["loud"]);
  });

  it("redacts inside arrays and in a child logger's bindings, but not past the third level", () => {
    const { logger, lines } = capture();
    logger.child({ apiKey: "sk-child" }).info(
      {
        providers: [{ name: "a", key: "sk-6" }],
        deep: { one: { two: { key: "kept-at-level-four" } } },
      },
      "nested",
    );
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain("sk-child");
    expect(text).not.toContain("sk-6");
    expect(lines[0]).toMatchObject({
      apiKey: REDACTED,
      providers: [{ name: "a", key: REDACTED }],
      deep: { one: { two: { key: "kept-at-level-four" } } },
    });
  });
});

describe("redactSecrets", () => {
  it("returns the same object when nothing needs redacting, and never changes its input", () => {
    const clean = { requestId: "r", nested: { model: "m" }, list: [{ a: 1 }] };
    expect(redactSecrets(clean)).toBe(clean);
    const dirty = { nested: { authorization: "Bearer sk-7" }, keep: 1 };
    const redacted = redactSecrets(dirty);
    expect(redacted).toEqual({ nested: { authorization: REDACTED }, keep: 1 });
    expect(dirty.nested.authorization).toBe("Bearer sk-7");
  });

  it("leaves errors and class instances alone", () => {
    const error = Object.assign(new Error("boom"), { key: "not-walked" });
    expect(redactSecrets({ error }).error).toBe(error);
  });
});

describe("isoTime", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("prints what pino's isoTime prints, and moves on with the clock's millisecond", () => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.UTC(2026, 10, 15, 12, 0, 0, 7));
    expect(isoTime()).toBe(',"time":"2026-11-15T12:00:00.007Z"');
    expect(isoTime()).toBe(pino.stdTimeFunctions.isoTime());
    vi.setSystemTime(Date.UTC(2026, 10, 15, 12, 0, 0, 8));
    expect(isoTime()).toBe(',"time":"2026-11-15T12:00:00.008Z"');
    const { logger, lines } = capture();
    logger.info({}, "stamped");
    expect(lines[0]?.time).toBe("2026-11-15T12:00:00.008Z");
  });
});

describe("droppedLine", () => {
  it("is one warn line shaped like the logger's own, counting the lines dropped", () => {
    const line = droppedLine(3);
    expect(line.endsWith("\n")).toBe(true);
    expect(JSON.parse(line)).toMatchObject({
      level: 40,
      name: "switchyard",
      msg: "dropped 3 log lines: stdout was not being read",
    });
    expect(JSON.parse(droppedLine(1)).msg).toBe("dropped 1 log line: stdout was not being read");
  });
});
