/** A curl command asking `model` a question through the gateway at `url`, headers shown. */
export function curlCommand(url: string, model = "smart"): string {
  const body = JSON.stringify({ model, messages: [{ role: "user", content: "Hello!" }] });
  return `curl -i ${url}/v1/chat/completions -H 'content-type: application/json' -d '${body}'`;
}

/** What a newcomer reads in demo mode: what is running and a command to paste. */
export function demoBanner(url: string): string {
  return [
    "",
    "  Switchyard is running in DEMO MODE: no API key and no local Ollama were found.",
    "  Model `smart` routes to two mock providers on this machine: demo-primary fails every",
    "  3rd request (a 503, then a 429), and demo-backup answers instead. Try it a few times:",
    "",
    `    ${curlCommand(url)}`,
    "",
    "  The x-switchyard-provider header names the provider that answered. For real providers,",
    "  set OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY or GROQ_API_KEY (or write a",
    "  switchyard.yaml) and restart.",
    "",
    "",
  ].join("\n");
}
