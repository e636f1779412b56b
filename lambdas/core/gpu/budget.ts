/** The remediation budget of an environment (lib/config gpuStall). */
export interface RemediationBudget {
  readonly maxReplacementsPerHour: number;
  readonly maxFleetShare: number;
}

export type BudgetVerdict = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/**
 * May the workflow act on `targets` hosts of a fleet of `fleetSize`? Never more than the share of
 * the fleet at once (at least one host is always allowed: a one-host fleet must be repairable),
 * and a remediation starts only if its replacements would fit in the hour's budget, so that it is
 * never cut off half way. A fleet-wide stall is not a host problem: people look at it.
 */
export function checkBudget(
  budget: RemediationBudget,
  targets: number,
  fleetSize: number,
  replacementsInLastHour: number,
): BudgetVerdict {
  const atOnce = Math.max(1, Math.floor(budget.maxFleetShare * fleetSize));
  if (targets > atOnce)
    return {
      allowed: false,
      reason: `${targets} of ${fleetSize} GPU hosts stalled: more than ${atOnce} at once (${Math.round(budget.maxFleetShare * 100)} % of the fleet) is not remediated host by host`,
    };
  if (replacementsInLastHour + targets > budget.maxReplacementsPerHour)
    return {
      allowed: false,
      reason: `remediation budget spent: ${replacementsInLastHour} of ${budget.maxReplacementsPerHour} host replacements used in the last hour, ${targets} more could be needed`,
    };
  return { allowed: true };
}
