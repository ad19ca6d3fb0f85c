import { type ChildProcess, fork } from "node:child_process";
import {
  type MockBehaviour,
  type MockRecordedRequest,
  startMockProviderServer,
} from "../../src/testing/index.js";

/** The model whose requests get the long stream instead of the short reply. */
export const STREAM_MODEL = "bench-stream";
/** The text of the short reply, which every non-streaming call checks. */
export const REPLY_TEXT = "Hello from the mock provider.";

/**
 * Child mode: serve the mock (a short reply, or a long stream for STREAM_MODEL), report the URL.
 */
export async function serveMock(streamChunks: number): Promise<void> {
  const short: MockBehaviour = { reply: { text: REPLY_TEXT } };
  const long: MockBehaviour = {
    reply: { text: "tok ".repeat(streamChunks) },
    chunks: streamChunks,
  };
  const mock = await startMockProviderServer({
    recordRequests: false,
    // The model is in the body (OpenAI, Anthropic) or the path (Gemini).
    defaultBehaviour: (request: MockRecordedRequest) => {
      const body = request.body as { model?: unknown } | undefined;
      return body?.model === STREAM_MODEL || request.path.includes(STREAM_MODEL) ? long : short;
    },
  });
  process.send?.({ url: mock.url });
  process.once("disconnect", () => void mock.close().then(() => process.exit(0)));
}

/** Forks `entry` with `--serve-mock` (it calls `serveMock`) and waits for the mock's URL. */
export async function startMockProcess(
  entry: string,
  streamChunks: number,
): Promise<{ url: string; child: ChildProcess }> {
  const child = fork(entry, ["--serve-mock", String(streamChunks)], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("message", (message) => resolve((message as { url: string }).url));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the mock process exited early (code ${code})`)));
  });
  return { url, child };
}
