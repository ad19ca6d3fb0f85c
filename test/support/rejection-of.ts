/**
 * The error a promise rejects with, to inspect several of its fields (vitest's
 * `await expect(promise).rejects` asserts one matcher and hands nothing back). Fails when the
 * promise resolves; with `guard`, a rejection of another kind is rethrown as it came.
 */
export async function rejectionOf<E = unknown>(
  promise: PromiseLike<unknown>,
  guard?: (error: unknown) => error is E,
): Promise<E> {
  try {
    await promise;
  } catch (error) {
    if (guard && !guard(error)) throw error;
    return error as E;
  }
  throw new Error("expected the promise to reject, but it resolved");
}
