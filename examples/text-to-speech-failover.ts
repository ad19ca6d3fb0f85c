// Failover for something that is not an LLM: two text-to-speech voices behind one ProviderFactory.
// The first voice is down (it answers 503); the factory fails over to the second and says so.
//
//   node --import tsx examples/text-to-speech-failover.ts

import { describeAttempt, type Provider, ProviderError, ProviderFactory } from "../src/index.js";

interface SpeechRequest {
  text: string;
  voice: "calm" | "bright";
}

/** A fake voice: "audio" is a small WAV-like header followed by the text's bytes. */
function fakeVoice(name: string, options: { down: boolean }): Provider<SpeechRequest, Uint8Array> {
  return {
    async generate(request, context) {
      context.signal.throwIfAborted();
      if (options.down) {
        throw new ProviderError(`${name} answered 503: voice service unavailable`, {
          kind: "transient",
          status: 503,
          provider: name,
        });
      }
      const header = new TextEncoder().encode(`RIFF${name}:${request.voice}:`);
      const speech = new TextEncoder().encode(request.text);
      const audio = new Uint8Array(header.length + speech.length);
      audio.set(header);
      audio.set(speech, header.length);
      return audio;
    },
  };
}

const factory = new ProviderFactory<SpeechRequest, Uint8Array>({ retry: { maxAttempts: 1 } });
factory
  .register("studio-voice", fakeVoice("studio-voice", { down: true }), { priority: 1 })
  .register("backup-voice", fakeVoice("backup-voice", { down: false }), { priority: 2 });

factory.onFallback((from, to) => console.log(`falling back from ${from} to ${to}`));

const { result, report } = await factory.generateWithReport({
  text: "Your train departs from platform nine.",
  voice: "calm",
});

console.log(`served by : ${result.byteLength} bytes of audio`);
for (const attempt of report.attempts) console.log(`  ${describeAttempt(attempt)}`);
await factory.close();
