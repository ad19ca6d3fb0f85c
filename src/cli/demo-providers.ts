import { stringify } from "yaml";
import {
  type MockBehaviour,
  type MockProviderServer,
  startMockProviderServer,
} from "../testing/index.js";
import { commonSections } from "./default-config.js";
import { DEMO_CONFIG_LABEL } from "./demo-config-label.js";

/** Two in-process mock providers and a config routing `smart` over them. */
export interface DemoProviders {
  readonly primary: MockProviderServer;
  readonly backup: MockProviderServer;
  /** The demo config's YAML. */
  readonly text: string;
  close(): Promise<void>;
}

export interface StartDemoProvidersOptions {
  /** Every how many chat requests `demo-primary` fails; default 3. */
  failEvery?: number;
  /** Streams: delay between chunks, so streaming is visible; default 40. */
  chunkDelayMs?: number;
}

/**
 * Starts `demo-primary` and `demo-backup` on 127.0.0.1 (free ports). `demo-primary` fails every
 * `failEvery`-th chat request, alternately with a 503 and with a 429 asking for 2 s of rest, so failover
 * to `demo-backup` shows within a few requests, offline.
 */
export async function startDemoProviders(
  options: StartDemoProvidersOptions = {},
): Promise<DemoProviders> {
  const failEvery = options.failEvery ?? 3;
  const chunkDelayMs = options.chunkDelayMs ?? 40;
  const primary = await startMockProviderServer({ recordRequests: false });
  const backup = await startMockProviderServer({ recordRequests: false });
  let chats = 0;
  let failures = 0;
  primary.setDefaultFor("openai.chat", (): MockBehaviour => {
    chats++;
    if (chats % failEvery !== 0) return greeting("demo-primary", chunkDelayMs);
    failures++;
    return failures % 2 === 1
      ? { error: { status: 503, kind: "overloaded", message: "demo-primary: scripted outage" } }
      : {
          error: {
            status: 429,
            kind: "rate_limit",
            message: "demo-primary: scripted rate limit",
            retryAfterSeconds: 2,
          },
        };
  });
  backup.setDefaultFor("openai.chat", greeting("demo-backup", chunkDelayMs));
  return {
    primary,
    backup,
    text: demoConfigText(primary.url, backup.url),
    close: async () => {
      await Promise.all([primary.close(), backup.close()]);
    },
  };
}

/** The demo config: both mocks as OpenAI-compatible providers, `smart` trying the primary first. */
export function demoConfigText(primaryUrl: string, backupUrl: string): string {
  const document = {
    ...commonSections(),
    providers: [
      { name: "demo-primary", type: "openai-compatible", baseUrl: `${primaryUrl}/v1` },
      { name: "demo-backup", type: "openai-compatible", baseUrl: `${backupUrl}/v1` },
    ],
    models: [
      {
        name: "smart",
        strategy: "priority",
        retry: { maxAttempts: 1 },
        targets: [
          { provider: "demo-primary", model: "demo-model", priority: 1 },
          { provider: "demo-backup", model: "demo-model", priority: 2 },
        ],
      },
    ],
  };
  return `# ${DEMO_CONFIG_LABEL}: no API key and no Ollama found\n${stringify(document)}`;
}

function greeting(provider: string, chunkDelayMs: number): MockBehaviour {
  return {
    reply: { text: `Hello from ${provider}, a mock provider running inside Switchyard.` },
    chunkDelayMs,
  };
}
