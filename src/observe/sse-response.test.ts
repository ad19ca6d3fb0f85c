import { afterEach, describe, expect, it, vi } from "vitest";
import { EventFeed } from "./event-feed.js";
import { describeSignal } from "./feed-messages.js";
import { sseResponse } from "./sse-response.js";

afterEach(() => {
  vi.useRealTimers();
});

function open(feed: EventFeed, afterId = 0) {
  const controller = new AbortController();
  const closers = new Set<() => void>();
  const response = sseResponse({
    feed,
    afterId,
    heartbeatMs: 15_000,
    signal: controller.signal,
    onOpen: (close) => {
      closers.add(close);
      return () => closers.delete(close);
    },
  });
  const reader = response.body?.getReader();
  if (!reader) throw new Error("no body");
  const decoder = new TextDecoder();
  const read = async () => {
    const next = await reader.read();
    return next.done ? undefined : decoder.decode(next.value);
  };
  return { response, read, controller, closers };
}

const circuitOpened = describeSignal({
  endpoint: "chat",
  model: "m",
  type: "circuit",
  target: "a/m",
  from: "closed",
  to: "open",
});
const event = (at: number) => ({ ...circuitOpened, at });

describe("sseResponse", () => {
  it("replays kept events after the given id, then streams new ones and heartbeats", async () => {
    vi.useFakeTimers();
    const feed = new EventFeed();
    feed.publish(event(1));
    feed.publish(event(2));
    const stream = open(feed, 1);
    expect(stream.response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(await stream.read()).toBe("retry: 3000\n: connected\n\n");
    expect(await stream.read()).toMatch(/^id: 2\nevent: circuit\ndata: \{.*"at":2.*\}\n\n$/);
    feed.publish(event(3));
    expect(await stream.read()).toMatch(/^id: 3\n/);
    vi.advanceTimersByTime(15_000);
    expect(await stream.read()).toBe(": heartbeat\n\n");
  });

  it("stops listening when the client goes away or the server closes it", async () => {
    const feed = new EventFeed();
    const first = open(feed);
    const second = open(feed);
    expect(feed.listenerCount).toBe(2);
    first.controller.abort();
    expect(feed.listenerCount).toBe(1);
    for (const close of second.closers) close();
    expect(feed.listenerCount).toBe(0);
    expect(second.closers.size).toBe(0);
    await second.read();
    expect(await second.read()).toBeUndefined();
  });
});
