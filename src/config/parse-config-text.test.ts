// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about literal ${VAR} text.
import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.js";
import { lines, messageOf, PROVIDERS, problemsOf } from "./config-text.test-helper.js";
import { ENGINE_DEFAULTS } from "./engine-defaults.js";
import { parseConfigText } from "./parse-config-text.js";

describe("parseConfigText: a valid config", () => {
  it("fills in every default", () => {
    const { config, warnings, skippedProviders, file } = parseConfigText(lines(...PROVIDERS), {
      env: {},
    });
    expect(file).toBe("switchyard.yaml");
    expect(config.server).toEqual({
      host: "127.0.0.1",
      port: 8787,
      maxBodyBytes: 33_554_432,
      maxJsonDepth: 100,
      cors: false,
      shutdownGraceMs: 30_000,
    });
    expect(config.defaults).toEqual(ENGINE_DEFAULTS);
    expect(config.defaults.hedge).toBe(false);
    expect(config.providers[0]?.keys).toEqual([{ key: "sk-test-1", id: "key-1", weight: 1 }]);
    expect(config.models).toEqual([]);
    expect(config.clients).toBeUndefined();
    expect(config.pricing).toEqual({});
    expect(config.logging).toEqual({ level: "info" });
    expect(skippedProviders).toEqual([]);
    expect(warnings.map((warning) => warning.path)).toEqual(["clients"]);
  });

  it("merges a partial nested default and keeps model overrides as written", () => {
    const { config } = parseConfigText(
      lines(
        "defaults:",
        "  retry: { maxAttempts: 4 }",
        "  retryBudget: false",
        "  hedge: { maxExtra: 2 }",
        ...PROVIDERS,
        "models:",
        "  - name: smart",
        "    retry: { baseDelayMs: 5 }",
        "    targets: [{ provider: openai-main, model: gpt-4o }]",
      ),
      { env: {} },
    );
    expect(config.defaults.retry).toEqual({ maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 2000 });
    expect(config.defaults.retryBudget).toBe(false);
    expect(config.defaults.hedge).toEqual({ delayMs: 8000, maxExtra: 2 });
    expect(config.models[0]?.retry).toEqual({ baseDelayMs: 5 });
    expect(config.models[0]?.targets[0]).toEqual({
      provider: "openai-main",
      model: "gpt-4o",
      weight: 1,
    });
  });

  it("accepts every section of the brief", () => {
    const { config } = parseConfigText(
      lines(
        "server: { host: 0.0.0.0, port: 9000, adminKey: admin-1, cors: [https://a.example] }",
        "providers:",
        "  - name: local",
        "    type: openai-compatible",
        "    preset: ollama",
        "    headers: { X-Title: switchyard }",
        "    connectTimeoutMs: 1000",
        "    models: [llama3]",
        "clients:",
        `  - { name: web, keyHash: "sha256:${"AB".repeat(32)}", models: [llama3] }`,
        "    ",
        "pricing:",
        "  gpt-4o: { input: 2.5, output: 10, cachedInput: 1.25 }",
        "state: { redis: redis://127.0.0.1:6379 }",
        "database: { url: sqlite:./switchyard.db }",
        "logging: { level: debug }",
      ),
      { env: {} },
    );
    expect(config.server.cors).toEqual(["https://a.example"]);
    expect(config.clients?.[0]?.keyHash).toBe(`sha256:${"ab".repeat(32)}`);
    expect(config.database).toEqual({
      url: "sqlite:./switchyard.db",
      storeContent: false,
      keyPollIntervalMs: 500,
    });
    expect(config.state?.redis).toBe("redis://127.0.0.1:6379");
    expect(config.pricing["gpt-4o"]).toEqual({ input: 2.5, output: 10, cachedInput: 1.25 });
  });

  it("follows YAML anchors and merge keys", () => {
    const { config } = parseConfigText(
      lines(
        ...PROVIDERS,
        "models:",
        "  - name: a",
        "    targets: &targets [{ provider: openai-main, model: gpt-4o }]",
        "  - name: b",
        "    targets: *targets",
        "    <<: { timeoutMs: 5 }",
      ),
      { env: {} },
    );
    expect(config.models[1]?.targets[0]?.model).toBe("gpt-4o");
    expect(config.models[1]?.timeoutMs).toBe(5);
  });
});

describe("parseConfigText: YAML syntax", () => {
  it("reports a syntax error with its line and column", () => {
    const problems = problemsOf(lines("server:", "  port: 1", " host: x", ...PROVIDERS));
    expect(problems[0]).toMatchObject({ path: "", line: 3, column: 1 });
    expect(problems[0]?.message).toMatch(/^YAML: /);
  });

  it("reports a duplicate key", () => {
    expect(problemsOf(lines("server:", "  port: 1", "  port: 2", ...PROVIDERS))).toEqual([
      { path: "", line: 3, column: 3, message: "YAML: map keys must be unique" },
    ]);
  });

  it("hints to quote ${VAR} inside a flow mapping", () => {
    const message = messageOf(lines("server: { adminKey: ${ADMIN} }", ...PROVIDERS));
    expect(message).toMatch(/^switchyard\.yaml:1:\d+ YAML: .*quote a value that uses/);
  });

  it("reports an empty file and a top level that is not a mapping", () => {
    expect(problemsOf("")).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/the file is empty/) }),
    ]);
    expect(problemsOf("# only a comment\n")[0]?.message).toMatch(/empty/);
    expect(problemsOf("- a\n- b\n")[0]).toMatchObject({ line: 1, column: 1 });
    expect(problemsOf("- a\n")[0]?.message).toMatch(/top level must be a mapping/);
  });

  it("reports an alias to a missing anchor", () => {
    expect(problemsOf(lines("server: *nowhere", ...PROVIDERS))[0]?.message).toMatch(/YAML/);
  });
});

describe("parseConfigText: schema", () => {
  it("names an unknown key at the key, with a suggestion when one is close", () => {
    expect(problemsOf(lines("server:", "  prot: 8787", ...PROVIDERS))).toEqual([
      {
        path: "server.prot",
        line: 2,
        column: 3,
        message: 'unknown key "prot" (did you mean "port"?)',
      },
    ]);
    const [far] = problemsOf(lines("logging: { level: info, colour: 1 }", ...PROVIDERS));
    expect(far).toMatchObject({ path: "logging.colour", line: 1, column: 25 });
    expect(far?.message).toBe('unknown key "colour" (allowed: level)');
    expect(problemsOf(lines("defaults:", "  timeOutMs: 5", ...PROVIDERS))[0]?.message).toBe(
      'unknown key "timeOutMs" (did you mean "timeoutMs"?)',
    );
  });

  it("says why a call-wide option cannot be set on a target", () => {
    const [problem] = problemsOf(
      lines(
        ...PROVIDERS,
        "models:",
        "  - name: smart",
        "    targets:",
        "      - provider: openai-main",
        "        model: gpt-4o",
        "        hedge: { delayMs: 10 }",
      ),
    );
    expect(problem).toMatchObject({ path: "models[0].targets[0].hedge", line: 11, column: 9 });
    expect(problem?.message).toMatch(
      /cannot be set per target; set it on the model or in defaults/,
    );
  });

  it("reports a wrong type with the value it got", () => {
    expect(problemsOf(lines("server:", "  port: abc", ...PROVIDERS))).toEqual([
      { path: "server.port", line: 2, column: 9, message: 'expected a number, got "abc"' },
    ]);
    expect(problemsOf(lines("server:", "  port: 1.5", ...PROVIDERS))[0]?.message).toBe(
      "expected a whole number, got 1.5",
    );
    expect(problemsOf(lines("logging: [1]", ...PROVIDERS))[0]?.message).toBe(
      "expected a mapping, got a list",
    );
  });

  it("reports a missing key at the mapping it is missing from", () => {
    expect(problemsOf(lines("providers:", "  - name: a", "    keys: []"))).toEqual([
      {
        path: "providers[0].type",
        line: 2,
        column: 5,
        message:
          "required (one of: openai, anthropic, gemini, openai-compatible, azure-openai, bedrock, vertex, module)",
      },
    ]);
    expect(problemsOf(lines("server: {}"))).toEqual([
      { path: "providers", line: 1, column: 1, message: "required" },
    ]);
  });

  it("suggests the closest allowed value", () => {
    const [problem] = problemsOf(lines("defaults:", "  strategy: round-robbin", ...PROVIDERS));
    expect(problem).toMatchObject({ path: "defaults.strategy", line: 2, column: 13 });
    expect(problem?.message).toMatch(/^must be one of: priority, weighted, round-robin/);
    expect(problem?.message).toMatch(/got "round-robbin" \(did you mean "round-robin"\?\)$/);
  });

  it("keeps durations non-negative, ratios in 0..1 and maxAttempts at least 1", () => {
    const problems = problemsOf(
      lines(
        "defaults:",
        "  timeoutMs: -1",
        "  failureRateThreshold: 1.5",
        "  retry: { maxAttempts: 0 }",
        "  retryBudget: { ratio: -0.1 }",
        "  hedge: { delayMs: -5 }",
        ...PROVIDERS,
      ),
    );
    expect(problems.map((problem) => [problem.path, problem.line, problem.message])).toEqual([
      ["defaults.timeoutMs", 2, "must be at least 0, got -1"],
      ["defaults.failureRateThreshold", 3, "must be at most 1, got 1.5"],
      ["defaults.retry.maxAttempts", 4, "must be at least 1, got 0"],
      ["defaults.retryBudget.ratio", 5, "must be at least 0, got -0.1"],
      ["defaults.hedge.delayMs", 6, "must be at least 0, got -5"],
    ]);
  });

  it("keeps each cap at or above its base", () => {
    const problems = problemsOf(
      lines(
        "defaults:",
        "  recoveryTimeoutMs: 900000",
        "  retry: { baseDelayMs: 500, maxDelayMs: 100 }",
        ...PROVIDERS,
      ),
    );
    expect(problems.map((problem) => [problem.path, problem.message])).toEqual([
      ["defaults.maxRecoveryTimeoutMs", "must be at least recoveryTimeoutMs (900000), got 600000"],
      ["defaults.retry.maxDelayMs", "must be at least retry.baseDelayMs (500), got 100"],
    ]);
    expect(problems[1]).toMatchObject({ line: 3, column: 42 });
  });

  it("checks provider types, presets and URLs", () => {
    const problems = problemsOf(
      lines(
        "providers:",
        "  - { name: a, type: openai, preset: groq, keys: [{ key: k }] }",
        "  - { name: b, type: openai-compatible, keys: [{ key: k }] }",
        "  - { name: c, type: openai, baseUrl: ftp://x, keys: [{ key: k }] }",
        "  - { name: bad name, type: openai }",
        "  - { name: d, type: openai-compatible, preset: olama }",
      ),
    );
    expect(problems.map((problem) => [problem.path, problem.line, problem.message])).toEqual([
      [
        "providers[0].preset",
        2,
        "only openai-compatible providers take a preset (this one is openai)",
      ],
      ["providers[1].baseUrl", 3, "an openai-compatible provider needs a preset or a baseUrl"],
      ["providers[2].baseUrl", 4, "must be a http:// or https:// URL"],
      [
        "providers[3].name",
        5,
        "must be letters, digits, '.', '_' or '-', starting with a letter or digit",
      ],
      ["providers[4].preset", 6, expect.stringMatching(/did you mean "ollama"/)],
    ]);
  });

  it("requires distinct key ids within a provider", () => {
    const problems = problemsOf(
      lines(
        "providers:",
        "  - name: a",
        "    type: openai",
        "    keys:",
        "      - { key: k1, id: key-2 }",
        "      - { key: k2 }",
      ),
    );
    expect(problems).toEqual([
      {
        path: "providers[0].keys[1].key",
        line: 6,
        column: 16,
        message: 'duplicate key id "key-2" (also keys[0])',
      },
    ]);
  });

  it("checks the server, state and database sections", () => {
    const problems = problemsOf(
      lines(
        "server: { port: 70000, maxBodyBytes: 0, cors: maybe }",
        "state: { redis: http://127.0.0.1 }",
        "database: { url: mysql://x }",
        "logging: { level: loud }",
        ...PROVIDERS,
      ),
    );
    expect(problems.map((problem) => [problem.path, problem.message])).toEqual([
      ["server.port", "must be at most 65535, got 70000"],
      ["server.maxBodyBytes", "must be at least 1, got 0"],
      ["server.cors", 'expected true, false or a list of origins, got "maybe"'],
      ["state.redis", "must be a redis:// or rediss:// URL"],
      ["database.url", "must be a postgres://, postgresql:// or sqlite:<file> URL"],
      ["logging.level", expect.stringMatching(/^must be one of: fatal, error, warn, info/)],
    ]);
  });

  it("lists every problem, in text order, one per line of the message", () => {
    const error = (() => {
      try {
        parseConfigText(
          lines("server:", "  port: x", "  hots: y", "providers:", "  - { name: a, type: nope }"),
          { path: "conf/gw.yaml", env: {} },
        );
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.code).toBe("config_invalid");
    expect(configError.file).toBe("conf/gw.yaml");
    expect(configError.message.split("\n")).toEqual([
      'conf/gw.yaml:2:9 server.port: expected a number, got "x"',
      'conf/gw.yaml:3:3 server.hots: unknown key "hots" (did you mean "host"?)',
      expect.stringMatching(/^conf\/gw\.yaml:5:22 providers\[0\]\.type: must be one of: /),
    ]);
  });
});
