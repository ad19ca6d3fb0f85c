// Every built-in adapter for tests that build a Gateway (or its router) from a config without
// `loadProviderModules`, as a library user importing `switchyard/gateway` can.
import "../../src/providers/create-llm-provider.js";
