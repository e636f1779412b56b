/**
 * The service level objectives of seed 004 "Sla Violation Severity" and their numbers, with the
 * derivation of each. Plain data: the catalogue entries (lib/config/probes-alerts.ts), the pure
 * burn-rate maths (lambdas/core/probes/burn-rate.ts) and docs/probes-and-slos.md read them.
 */

/**
 * Availability of Odoo: "Uptime < 99.9 % (calculated monthly)". The month is a rolling 30 days,
 * so the error budget is 0.1 % of 30 days = 43.2 minutes of full outage (or the same share of
 * failed requests and probes).
 */
export const AVAILABILITY_SLO = {
  target: 0.999,
  windowDays: 30,
} as const;

/**
 * The availability SLI is the worse of two ratios over a window:
 * - requests: 5xx answered by Odoo's targets / requests to Odoo's target group (ALB), what users saw;
 * - probes: failed probes / probes made by the three AZ agents, what a user would have seen at any
 *   minute, traffic or not. A total outage (no healthy target: the ALB answers 502/503 itself and
 *   no request reaches the target group's counts) shows here and nowhere in the first ratio.
 * The request ratio's denominator is at least MIN_REQUESTS_PER_MINUTE per minute of the window: at
 * night (a few requests an hour) two 5xx are not an outage, and the probes cover those hours.
 */
export const MIN_REQUESTS_PER_MINUTE = 10;

/** The share of events allowed to fail over the window: 1 - target. */
export const ERROR_BUDGET = Math.round((1 - AVAILABILITY_SLO.target) * 1e6) / 1e6;

export interface BurnRateWindow {
  /** Part of the catalogue name: Odoo_Availability_SLO_<Name>_Burn. */
  readonly name: 'Fast' | 'Slow' | 'Budget';
  readonly severity: 'Critical' | 'High';
  /** The long window: the burn rate must be above `factor` over it... */
  readonly longMinutes: number;
  /** ...and over this short window too, so the alert resets soon after the burn stops. */
  readonly shortMinutes: number;
  /** Burn rate: the error ratio over the window divided by the error budget (1 = exactly on budget). */
  readonly factor: number;
  /** The share of the monthly budget spent when the rate holds for the long window. */
  readonly budgetSpent: number;
}

/**
 * Multi-window, multi-burn-rate alerts (Google SRE workbook, "Alerting on SLOs", table 5-8):
 * - Fast: 14.4x over 1 h (5 min short window). 14.4 = 2 % of the budget spent in 1 h
 *   (0.02 * 30 d * 24 h / 1 h); at that rate the month's budget is gone in about 2 days: Critical,
 *   the seed's "breached for an extended period" is hours away.
 * - Slow: 6x over 6 h (30 min short window). 6 = 5 % of the budget in 6 h (0.05 * 720 h / 6 h);
 *   the budget is gone in 5 days: High, "approaching the SLA limit".
 * - Budget: 1x over 3 days (6 h short window). 1 = 10 % of the budget in 3 days (0.1 * 30 d / 3 d):
 *   at this rate the month ends exactly at 99.9 %, so any more and the SLA is missed: High (the
 *   seed's "projection indicates SLA miss").
 * The short window is 1/12 of the long one, as the workbook recommends.
 */
export const BURN_RATE_WINDOWS: readonly BurnRateWindow[] = [
  { name: 'Fast', severity: 'Critical', longMinutes: 60, shortMinutes: 5, factor: 14.4, budgetSpent: 0.02 },
  { name: 'Slow', severity: 'High', longMinutes: 360, shortMinutes: 30, factor: 6, budgetSpent: 0.05 },
  { name: 'Budget', severity: 'High', longMinutes: 4320, shortMinutes: 360, factor: 1, budgetSpent: 0.1 },
];

/** The burn rate at which `budgetSpent` of the window's budget goes in `longMinutes`. */
export function factorFor(budgetSpent: number, longMinutes: number): number {
  return (budgetSpent * AVAILABILITY_SLO.windowDays * 24 * 60) / longMinutes;
}

/**
 * Seed 003's recovery time objective (SREDRP-004): 4 hours. Seed 004 "Sla Violation Severity" RTO:
 * "recovery estimated or actual > 4 hours" is Critical, "during DRP execution if projected RTO will
 * be missed". backup.rtoHours of every environment must equal it (test/config/probes-slo.test.ts).
 */
export const RTO_HOURS = 4;

export interface RecoveryStep {
  readonly step: string;
  readonly minutes: number;
  readonly why: string;
}

/**
 * What a disaster recovery takes besides the restore itself, in the order the DRP runs it. The
 * restore tests measure the restore (AWS Backup's restore job, CreationDate to CompletionDate); the
 * rest is estimated here, each with its reason. Projected recovery = measured restore + these.
 */
export const NON_RESTORE_STEPS: readonly RecoveryStep[] = [
  {
    step: 'detect and declare',
    minutes: 30,
    why: 'seed 004: a Critical page is acknowledged within 15 minutes; the incident commander then decides to invoke the DRP',
  },
  {
    step: 'repoint and redeploy',
    minutes: 20,
    why: 'the restored instance replaces the database endpoint in the stack (a CloudFormation update of the data and workload stacks) and the ECS services roll',
  },
  {
    step: 'module upgrade and warm-up',
    minutes: 15,
    why: 'the Odoo init task runs against the restored database and new tasks load the registry before the ALB health checks pass (3-minute grace period)',
  },
  {
    step: 'verify and reopen',
    minutes: 30,
    why: 'the DRP checklist: log in, open recent records, run one AI generation end to end, compare the newest writes with the recovery point',
  },
];

export const NON_RESTORE_MINUTES = NON_RESTORE_STEPS.reduce((sum, s) => sum + s.minutes, 0);

/** The longest restore that still meets the RTO: 240 - 95 = 145 minutes. */
export const RESTORE_BUDGET_MINUTES = RTO_HOURS * 60 - NON_RESTORE_MINUTES;

/** Where the restore tests publish their measured durations (EMF), one namespace for every environment. */
export const RECOVERY_METRICS = {
  namespace: 'InfluenceGen/Recovery',
  restore: 'RestoreMinutes',
  projected: 'ProjectedRecoveryMinutes',
} as const;
