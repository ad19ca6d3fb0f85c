import { randomHex } from "../../../testing/mock-kit/mock-wire-helpers.js";
import { eventStreamCodec, fromUtf8, type MockCodec } from "./mock-aws-packages.js";

let encoder: MockCodec | undefined;

/**
 * One AWS event-stream message (prelude, headers, body, CRCs) encoded by the AWS SDK's codec, as
 * `latin1` text (one character per byte) for the mock's stream writer.
 */
export function bedrockEventFrame(headers: Record<string, string>, body: string): string {
  encoder ??= eventStreamCodec();
  const tagged = Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, { type: "string" as const, value }]),
  );
  return Buffer.from(encoder.encode({ headers: tagged, body: fromUtf8(body) })).toString("latin1");
}

/** A ConverseStream event, with the `p` padding field Bedrock adds to hide lengths. */
export function bedrockEvent(eventType: string, data: Record<string, unknown>): string {
  return bedrockEventFrame(
    { ":event-type": eventType, ":content-type": "application/json", ":message-type": "event" },
    JSON.stringify({
      ...data,
      p: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ".slice(0, 4 + Math.floor(Math.random() * 20)),
    }),
  );
}

/** A request id in AWS's UUID form. */
export function bedrockRequestId(): string {
  const hex = randomHex(32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
