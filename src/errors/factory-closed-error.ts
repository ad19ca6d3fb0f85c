import { SwitchyardError } from "./switchyard-error.js";

/** The factory was closed: no new calls are accepted. */
export class FactoryClosedError extends SwitchyardError {
  constructor() {
    super("factory_closed", "the provider factory is closed and accepts no new calls");
  }
}

export function isFactoryClosedError(error: unknown): error is FactoryClosedError {
  return error instanceof FactoryClosedError;
}
