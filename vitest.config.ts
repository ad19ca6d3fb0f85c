import { defineConfig } from "vitest/config";

/** The gateway suites, run a second time with every target translated (pass-through off). */
const BOTH_PATHS = ["test/gateway/**/*.test.ts", "test/observe/**/*.test.ts"];

export default defineConfig({
  test: {
    pool: "forks",
    setupFiles: ["test/support/load-all-adapters.ts"],
    testTimeout: 20_000,
    // expect.poll: how long a test waits for something another process or server does.
    expect: { poll: { timeout: 5000, interval: 10 } },
    hookTimeout: 60_000,
    reporters: ["default", "json"],
    outputFile: { json: ".vitest/results.json" },
    projects: [
      { extends: true, test: { name: "main", include: ["src/**/*.test.ts", "test/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "translated",
          include: BOTH_PATHS,
          // Read by test/gateway/harness.ts: every provider gets `passThrough: false`.
          env: { SWITCHYARD_GATEWAY_PATH: "translated" },
        },
      },
    ],
  },
});
