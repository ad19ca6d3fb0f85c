/** The base of every error Switchyard raises. `code` is stable and machine-readable. */
export class SwitchyardError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

export function isSwitchyardError(error: unknown): error is SwitchyardError {
  return error instanceof SwitchyardError;
}
