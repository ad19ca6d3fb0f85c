import { bodyText } from "./body-text.js";
import { decodeContent } from "./decode-content.js";
import type { HttpResponse } from "./http-response.js";
import { parseJsonText } from "./parse-json-text.js";
import { parseSse, type SseEvents } from "./parse-sse.js";
import { type ResponseLimit, readBodyLimited } from "./response-limit.js";

/**
 * A response sent with a `content-encoding`, read decoded: the body, `text()`, `json()` and
 * `events()` all see the decoded bytes, and the size limit counts decoded bytes, so a compressed
 * bomb is cut off at the limit. The headers no longer name the encoding or the encoded length.
 */
export class DecodedResponse implements HttpResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: AsyncIterable<Uint8Array>;

  constructor(
    raw: HttpResponse,
    codings: readonly string[],
    private readonly limit: ResponseLimit,
  ) {
    this.status = raw.status;
    const { "content-encoding": _encoding, "content-length": _length, ...headers } = raw.headers;
    this.headers = headers;
    this.body = decodeContent(raw.body, codings, limit.provider);
  }

  async text(): Promise<string> {
    return bodyText(await readBodyLimited(this.body, this.limit));
  }

  async json(): Promise<unknown> {
    return parseJsonText(await this.text(), {
      provider: this.limit.provider,
      what: "response body",
      status: this.status,
    });
  }

  events(): SseEvents {
    return parseSse(this.body, this.limit);
  }
}
