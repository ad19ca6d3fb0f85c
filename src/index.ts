/**
 * switchyard: the failover engine. Dependency-free; usable in-process for any kind of provider.
 * LLM adapters live in `switchyard/providers`, the mock provider server and fake clock in
 * `switchyard/testing`, the gateway in `switchyard/gateway`.
 */
export * from "./engine/index.js";
export * from "./errors/index.js";
