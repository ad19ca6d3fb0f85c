import type { LineCounter, YAMLError } from "yaml";
import type { ConfigProblem } from "./config-error.js";

/**
 * A YAML syntax error as a problem. The parser's messages sometimes quote the source (`Unexpected
 * scalar token in YAML stream: "sk-..."`), which could be a secret, so anything after a `: ` is cut.
 * A `${VAR}` inside `{ }` or `[ ]` breaks YAML's flow syntax; such lines get a hint to quote it.
 */
export function yamlErrorToProblem(
  error: YAMLError,
  source: string,
  lineCounter: LineCounter,
): ConfigProblem {
  const position = lineCounter.linePos(error.pos[0]);
  let message =
    error.code === "BAD_DQ_ESCAPE"
      ? "invalid escape sequence in a double-quoted string"
      : (error.message.split("\n")[0]?.replace(/:\s.*$/, "") ?? "invalid YAML");
  message = `YAML: ${message.charAt(0).toLowerCase()}${message.slice(1)}`;
  const lineText = source.split(/\r?\n/)[position.line - 1] ?? "";
  if (/\$\{/.test(lineText) && /[{[]/.test(lineText.replace(/\$\{[^}]*\}/g, ""))) {
    message += ` (inside { } or [ ], quote a value that uses \${...}: "\${VAR}")`;
  }
  return { path: "", line: position.line, column: position.col, message };
}
