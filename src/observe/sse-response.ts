import type { EventFeed, FeedEvent } from "./event-feed.js";

export interface SseResponseOptions {
  feed: EventFeed;
  /** Events after this id are replayed first (the client's `Last-Event-ID`). */
  afterId: number;
  /** A comment line this often, so proxies and the browser keep the connection. Default 15000. */
  heartbeatMs?: number;
  /** Aborts when the client goes away. */
  signal: AbortSignal;
  /** Registers a function that ends the stream (the gateway closing). */
  onOpen(close: () => void): () => void;
}

const encoder = new TextEncoder();

/** The live feed as server-sent events: `event: <type>`, `id: <n>`, `data: <json>`. */
export function sseResponse(options: SseResponseOptions): Response {
  let cleanup = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      let unregister = () => {};
      const write = (text: string) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
        }
      };
      const send = (event: FeedEvent) =>
        write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      const unsubscribe = options.feed.subscribe(send);
      const heartbeat = setInterval(() => write(": heartbeat\n\n"), options.heartbeatMs ?? 15_000);
      heartbeat.unref?.();
      const stop = () => {
        if (!open) return;
        open = false;
        clearInterval(heartbeat);
        unsubscribe();
        unregister();
        options.signal.removeEventListener("abort", stop);
        try {
          controller.close();
        } catch {
          // Already closed by the client going away.
        }
      };
      unregister = options.onOpen(stop);
      cleanup = stop;
      options.signal.addEventListener("abort", stop, { once: true });
      write("retry: 3000\n: connected\n\n");
      for (const event of options.feed.since(options.afterId)) send(event);
      if (options.signal.aborted) stop();
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-store",
      "x-accel-buffering": "no",
    },
  });
}
