import type { ProviderContext } from "../engine/provider.js";

/**
 * What one target of a model adds to every request an adapter sends for it, in the target's own wire
 * format: `params` merged into the rendered body (they fill what is absent, objects key by key; with
 * `overrideParams` they win instead) and `headers` set after the provider's static headers and the
 * client headers forwarded on a pass-through. Set by the gateway per target (`targets[].params`,
 * `targets[].headers`); adapters apply them where they send (`applyTargetAdditions`).
 */
export interface TargetAdditions {
  readonly params?: Readonly<Record<string, unknown>>;
  readonly overrideParams?: boolean;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The context of one call to one target: the engine's, with the target's additions. */
export interface TargetCallContext extends ProviderContext {
  readonly target?: TargetAdditions;
}

/**
 * `context` with `target` added; the engine's context stays lazy (its signal is made on demand, its
 * `cancellation` passes as it is).
 */
export function withTargetAdditions(
  context: ProviderContext,
  target: TargetAdditions | undefined,
): TargetCallContext {
  if (target === undefined) return context;
  return {
    get signal() {
      return context.signal;
    },
    attempt: context.attempt,
    targetId: context.targetId,
    ...(context.cancellation === undefined ? {} : { cancellation: context.cancellation }),
    target,
  };
}
