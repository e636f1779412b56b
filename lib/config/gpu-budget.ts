import { z } from 'zod';
import { COST_BUDGET_ALERT_PERCENT } from './constants';
import { GPU_ON_DEMAND_USD_PER_HOUR } from './gpu-instance-types';

/**
 * The GPU spend budget (issue 19): an AWS Budgets budget over the spend tagged `component` =
 * `flux-gpu` (the Flux fleet's hosts and volumes: lib/constructs/workloads/flux-gpu-fleet.ts), so
 * GPU spend alerts before the month's bill rather than being only a dashboard estimate.
 *
 * The figure per environment is derived, not guessed:
 *
 *   hosts on average = min + (max - min) x ABOVE_MIN_SHARE
 *   per host-month   = preferred type's on-demand price x 730 h + its root volume (gp3)
 *   budget           = hosts on average x per host-month, rounded up to the next 50 USD
 *
 * ABOVE_MIN_SHARE 0.25: the fleet sits at its minimum at night and scales towards its maximum
 * through the day's generation peaks (seed 001: about 6 busy hours, 25 % of the day); the
 * minimum runs all month. The preferred (first) instance type is the one the fleet asks for first
 * (lib/config/environments.ts `flux.instanceTypes`), priced by GPU_ON_DEMAND_USD_PER_HOUR
 * (us-east-1 Linux list prices; eu-west-1 is about 10 % dearer, inside the 80 % warning's margin).
 *
 *   prod     g5.xlarge  1.006 $/h, 1..5 hosts: 2.00 x (734.38 + 8.00) = 1484.76 -> 1500
 *   staging  g5.xlarge  1.006 $/h, 1..2 hosts: 1.25 x (734.38 + 8.00) =  927.98 ->  950
 *   dev      g4dn.xlarge 0.526 $/h, 1..1 host: 1.00 x (383.98 + 8.00) =  391.98 ->  400
 *
 * The test (test/infra/rows-gpu-budget.test.ts) recomputes these from the environments' own fleet
 * settings, so a change of instance type or capacity that leaves the budget behind fails there.
 */
/** AWS's pricing month: 365 days x 24 h / 12, the hours its monthly prices are computed from. */
const HOURS_PER_MONTH = 730;
/** The share of the month the fleet runs above its minimum (seed 001's busy hours, above). */
const ABOVE_MIN_SHARE = 0.25;
/** gp3 in us-east-1, USD per GiB-month: the hosts' root volumes are gp3 (flux-gpu-fleet.ts). */
const GP3_USD_PER_GIB_MONTH = 0.08;

export interface GpuFleetShape {
  readonly instanceTypes: readonly string[];
  readonly rootVolumeGiB: number;
  readonly capacity: { readonly min: number; readonly max: number };
}

/** The derivation above, for one environment's fleet. */
export function derivedGpuBudgetUsd(fleet: GpuFleetShape): number {
  const [preferred] = fleet.instanceTypes;
  const price = preferred === undefined ? undefined : GPU_ON_DEMAND_USD_PER_HOUR[preferred];
  if (price === undefined)
    throw new Error(`gpuBudget: flux.instanceTypes: ${String(preferred)} has no on-demand price`);
  const hosts = fleet.capacity.min + (fleet.capacity.max - fleet.capacity.min) * ABOVE_MIN_SHARE;
  const perHost = price * HOURS_PER_MONTH + fleet.rootVolumeGiB * GP3_USD_PER_GIB_MONTH;
  return Math.ceil((hosts * perHost) / 50) * 50;
}

export const GpuBudgetSchema = z.object({
  monthlyLimitUsd: z
    .number({ error: 'must be a positive number of US dollars' })
    .positive('must be a positive number of US dollars'),
});
export type GpuBudgetConfig = z.infer<typeof GpuBudgetSchema>;

/** Per environment: the derivation's result, written out (lib/config/environments.ts takes these). */
export const GPU_BUDGET_DEFAULTS = {
  prod: { monthlyLimitUsd: 1500 },
  staging: { monthlyLimitUsd: 950 },
  dev: { monthlyLimitUsd: 400 },
} as const satisfies Record<'prod' | 'staging' | 'dev', GpuBudgetConfig>;

/** Where the budget's runbook is, under alerts.runbookBaseUrl. */
export const GPU_BUDGET_RUNBOOK = 'runbooks/gpu_budget.md';

/**
 * The monthly cost budget's thresholds (COST_BUDGET_ALERT_PERCENT): 80 % of the budget actually
 * spent warns; 100 % forecast for the month (and 100 % reached) is the limit. No 80 % forecast:
 * early in a month a busy day's forecast crosses 80 % and means little for GPUs that scale in.
 */
export const GPU_BUDGET_ALERTS = [
  { percent: COST_BUDGET_ALERT_PERCENT.warning, on: ['ACTUAL'] },
  { percent: COST_BUDGET_ALERT_PERCENT.limit, on: ['FORECASTED', 'ACTUAL'] },
] as const;
