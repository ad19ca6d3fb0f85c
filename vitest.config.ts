import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    pool: "forks",
    setupFiles: ["test/support/load-all-adapters.ts"],
    testTimeout: 20_000,
    // expect.poll: how long a test waits for something another process or server does.
    expect: { poll: { timeout: 5000, interval: 10 } },
    hookTimeout: 60_000,
    reporters: ["default", "json"],
    outputFile: { json: ".vitest/results.json" },
  },
});
