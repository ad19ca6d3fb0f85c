import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * The worker's code: it builds the `o200k_base` tokenizer (seconds of CPU, which on the main thread
 * would stall every request and stream the gateway serves) and answers `{ id, texts }` with the
 * number of tokens in all of them. CommonJS in an eval'd string, so it runs the same from `src`
 * (under a TypeScript loader) and from `dist`; the packages are resolved here and passed in.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { Tiktoken } = require(workerData.lite);
const ranks = require(workerData.ranks);
const encoder = new Tiktoken(ranks.default ?? ranks);
parentPort.on("message", ({ id, texts }) => {
  let tokens = 0;
  for (const text of texts) tokens += encoder.encode(text).length;
  parentPort.postMessage({ id, tokens });
});
`;

interface Pending {
  resolve(tokens: number): void;
  reject(error: unknown): void;
}

let worker: Worker | undefined;
const pending = new Map<number, Pending>();
let nextId = 0;

/**
 * Counts the tokens of `texts` with the `o200k_base` tokenizer on a worker thread, started on the
 * first call and kept (unreferenced while idle, so it never holds the process open). A worker that
 * fails rejects what it was asked and is replaced on the next call.
 */
export function countTokensInWorker(texts: readonly string[]): Promise<number> {
  const running = worker ?? startWorker();
  const id = nextId++;
  return new Promise<number>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    running.ref();
    running.postMessage({ id, texts });
  });
}

function startWorker(): Worker {
  const require = createRequire(import.meta.url);
  const started = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      lite: require.resolve("js-tiktoken/lite"),
      ranks: require.resolve("js-tiktoken/ranks/o200k_base"),
    },
  });
  started.unref();
  started.on("message", ({ id, tokens }: { id: number; tokens: number }) => {
    const request = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) started.unref();
    request?.resolve(tokens);
  });
  const fail = (error: unknown) => {
    if (worker === started) worker = undefined;
    for (const request of pending.values()) request.reject(error);
    pending.clear();
  };
  started.on("error", fail);
  started.on("exit", (code) => fail(new Error(`the token counter exited with code ${code}`)));
  worker = started;
  return started;
}
