import { invocationKeys, type InvocationKeys } from './lazy-handler';

/**
 * The key a scale decision is recorded under in the ledger (PlanResult.executionId): the
 * execution's id for its first decision, with a suffix for the one it takes again after waiting
 * out a scale-out cooldown.
 */
const AFTER_COOLDOWN = '-after-cooldown';

export function planKeyOf(executionId: string, reconsidered: boolean | undefined): string {
  return reconsidered ? `${executionId}${AFTER_COOLDOWN}` : executionId;
}

/** The execution whose decision a plan key names. */
export function executionOfPlanKey(key: string): string {
  return key.endsWith(AFTER_COOLDOWN) ? key.slice(0, -AFTER_COOLDOWN.length) : key;
}

/** The log keys of Record and Verify, which run for the execution that planned (lazyHandler). */
export function planKeys(event: { readonly plan: { readonly executionId: string } }): InvocationKeys {
  return invocationKeys({ executionId: executionOfPlanKey(event.plan.executionId) });
}
