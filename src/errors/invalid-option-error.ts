import { SwitchyardError } from "./switchyard-error.js";

/** An option was given a value it cannot take. The message names the option, the rule and the value. */
export class InvalidOptionError extends SwitchyardError {
  readonly option: string;

  constructor(option: string, rule: string, value: unknown) {
    super("invalid_option", `${option} must be ${rule} (got ${formatValue(value)})`);
    this.option = option;
  }
}

function formatValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return "a function";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
