import { isProviderError, type ProviderError } from "../../errors/provider-error.js";

/** The ProviderError a promise rejects with (anything else is rethrown; success fails the test). */
export async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    if (isProviderError(error)) return error;
    throw error;
  }
  throw new Error("expected the call to fail with a ProviderError");
}
