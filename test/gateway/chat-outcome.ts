/**
 * One chat call through an SDK, streamed or not, reduced to what the client saw: the text, the
 * headers, how many chunks arrived, and the error it raised (if any), so a scenario can be
 * asserted the same way in both modes.
 */
import type Anthropic from "@anthropic-ai/sdk";
import type OpenAI from "openai";

export interface ChatOutcome {
  text: string;
  /** Content chunks received (1 for a whole answer). */
  chunks: number;
  /** The response headers, when a response arrived. */
  headers: Headers | undefined;
  /** What the SDK threw: before the response, or while iterating a stream. */
  error: unknown;
  /** True when a stream ended without an error. */
  completed: boolean;
}

/** An outcome before anything arrived. */
function emptyOutcome(): ChatOutcome {
  return { text: "", chunks: 0, headers: undefined, error: undefined, completed: false };
}

export const HELLO = {
  model: "smart",
  messages: [{ role: "user" as const, content: "Hello there" }],
};

export const HELLO_ANTHROPIC = {
  model: "smart",
  max_tokens: 64,
  messages: [{ role: "user" as const, content: "Hello there" }],
};

export async function openAIChat(
  client: OpenAI,
  options: { stream: boolean; signal?: AbortSignal; onChunk?: (text: string) => void },
): Promise<ChatOutcome> {
  const outcome = emptyOutcome();
  const requestOptions = options.signal ? { signal: options.signal } : {};
  try {
    if (!options.stream) {
      const { data, response } = await client.chat.completions
        .create(HELLO, requestOptions)
        .withResponse();
      outcome.headers = response.headers;
      outcome.text = data.choices[0]?.message.content ?? "";
      outcome.chunks = 1;
      outcome.completed = true;
      return outcome;
    }
    const { data, response } = await client.chat.completions
      .create({ ...HELLO, stream: true }, requestOptions)
      .withResponse();
    outcome.headers = response.headers;
    for await (const chunk of data) {
      const delta = chunk.choices[0]?.delta.content;
      if (delta) {
        outcome.text += delta;
        outcome.chunks++;
        options.onChunk?.(delta);
      }
    }
    outcome.completed = true;
  } catch (error) {
    outcome.error = error;
  }
  return outcome;
}

export async function anthropicChat(
  client: Anthropic,
  options: { stream: boolean; signal?: AbortSignal },
): Promise<ChatOutcome> {
  const outcome = emptyOutcome();
  const requestOptions = options.signal ? { signal: options.signal } : {};
  try {
    if (!options.stream) {
      const { data, response } = await client.messages
        .create(HELLO_ANTHROPIC, requestOptions)
        .withResponse();
      outcome.headers = response.headers;
      outcome.text = data.content
        .map((block) => (block.type === "text" ? block.text : ""))
        .join("");
      outcome.chunks = 1;
      outcome.completed = true;
      return outcome;
    }
    const stream = client.messages.stream(HELLO_ANTHROPIC, requestOptions);
    stream.on("text", (delta) => {
      outcome.text += delta;
      outcome.chunks++;
    });
    const { response } = await stream.withResponse();
    outcome.headers = response.headers;
    await stream.finalMessage();
    outcome.completed = true;
  } catch (error) {
    outcome.error = error;
  }
  return outcome;
}

/** The same call on the Responses API (`POST /v1/responses`), reduced to the same outcome. */
export async function openAIResponses(
  client: OpenAI,
  options: { stream: boolean; signal?: AbortSignal; onChunk?: (text: string) => void },
): Promise<ChatOutcome> {
  const outcome = emptyOutcome();
  const requestOptions = options.signal ? { signal: options.signal } : {};
  const request = { model: HELLO.model, input: HELLO.messages[0]?.content ?? "" };
  try {
    if (!options.stream) {
      const { data, response } = await client.responses
        .create(request, requestOptions)
        .withResponse();
      outcome.headers = response.headers;
      outcome.text = data.output_text;
      outcome.chunks = 1;
      outcome.completed = true;
      return outcome;
    }
    const { data, response } = await client.responses
      .create({ ...request, stream: true }, requestOptions)
      .withResponse();
    outcome.headers = response.headers;
    for await (const event of data) {
      if (event.type === "response.output_text.delta") {
        outcome.text += event.delta;
        outcome.chunks++;
        options.onChunk?.(event.delta);
      } else if (event.type === "error" || event.type === "response.failed") {
        // The SDK yields these events rather than throwing: a broken stream, as the client sees it.
        outcome.error ??= event;
      } else if (event.type === "response.completed") {
        outcome.completed = outcome.error === undefined;
      }
    }
  } catch (error) {
    outcome.error = error;
  }
  return outcome;
}
