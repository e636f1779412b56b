import type { RuntimeAlert, RuntimeInternalAlarm } from './alert-runtime';
import { BURN_RATE_WINDOWS, RTO_HOURS, type BurnRateWindow } from './slo';

/**
 * The runtime half of the probe and SLO alerts (lib/config/probes-alerts.ts has their alarms, kept
 * apart so the Lambda bundles, which read this half, never carry alarm definitions).
 */

/** The name of a burn-rate alert and of its two internal alarms. */
export const burnAlertName = (w: BurnRateWindow) => `Odoo_Availability_SLO_${w.name}_Burn`;
export const burnInputName = (w: BurnRateWindow, which: 'Long' | 'Short') =>
  `Odoo_Availability_SLO_${w.name}_${which}`;

const burnRuntime = (w: BurnRateWindow): RuntimeAlert => ({
  name: burnAlertName(w),
  kind: 'incident',
  component: 'odoo',
  severity: w.severity,
  description:
    `Odoo is spending its monthly error budget (99.9 % availability) ${w.factor}x faster than it lasts: ` +
    `${Math.round(w.budgetSpent * 100)} % of the month's budget in ${w.longMinutes / 60} h.`,
  condition: `availability burn rate > ${w.factor}x over ${w.longMinutes / 60} h and over ${w.shortMinutes} min`,
  signal: { type: 'composite' },
  correlationGroup: 'odoo_availability',
  security: false,
  suppressedByMaintenance: true,
  confirmation: { count: 1, windowMinutes: 0 },
  runbook: 'runbooks/odoo_availability_slo.md',
});

export const PROBE_RUNTIME_ALERTS: readonly RuntimeAlert[] = [
  {
    name: 'Odoo_Cluster_Node_Unhealthy',
    kind: 'incident',
    component: 'odoo',
    severity: 'High',
    description:
      'At least 2 of the 3 health probes (one in each AZ) find the Odoo login page failing: Odoo is unreachable or broken for users.',
    condition: 'Odoo login page probe failing from >= 2 of 3 AZs in 2 of the last 3 minutes',
    signal: { type: 'metric-math' },
    correlationGroup: 'odoo_availability',
    security: false,
    suppressedByMaintenance: true,
    confirmation: { count: 1, windowMinutes: 0 },
    runbook: 'runbooks/odoo_cluster_node_unhealthy.md',
  },
  ...BURN_RATE_WINDOWS.map(burnRuntime),
  {
    name: 'Recovery_Time_Objective_At_Risk',
    // An incident, not a `backup` alert: the router starts the backup-verification workflow for
    // backup alerts, and a slow restore is fixed by people (docs/probes-and-slos.md), not a re-run.
    kind: 'incident',
    component: 'backup',
    severity: 'Critical',
    description: `The last restore test projects a disaster recovery longer than the ${RTO_HOURS} h RTO (measured restore + the DRP's other steps).`,
    condition: `projected recovery (restore test duration + non-restore steps) > ${RTO_HOURS} h`,
    signal: { type: 'metric' },
    correlationGroup: 'backup_status',
    security: false,
    suppressedByMaintenance: false,
    confirmation: { count: 1, windowMinutes: 0 },
    runbook: 'runbooks/recovery_time_objective_at_risk.md',
  },
];

export const PROBE_RUNTIME_INTERNAL_ALARMS: readonly RuntimeInternalAlarm[] = BURN_RATE_WINDOWS.flatMap(
  (w) => [
    { name: burnInputName(w, 'Long'), inputOf: burnAlertName(w) },
    { name: burnInputName(w, 'Short'), inputOf: burnAlertName(w) },
  ],
);
