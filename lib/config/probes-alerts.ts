import type { AlertInfrastructure } from './alerts';
import type { AlertSignal, DimensionTarget, InternalAlarm, MetricSpec } from './alert-schema';
import { burnAlertName, burnInputName } from './probes-alert-runtime';
import { PROBE_METRICS, PROBE_QUORUM } from './probes';
import { BURN_RATE_WINDOWS, ERROR_BUDGET, MIN_REQUESTS_PER_MINUTE, RECOVERY_METRICS, RTO_HOURS } from './slo';

/**
 * The probe and SLO alerts, as the two halves the catalogue is composed of (lib/config/alerts.ts):
 * the runtime entries (PROBE_RUNTIME_ALERTS, PROBE_RUNTIME_INTERNAL_ALARMS) and their
 * infrastructure (PROBE_ALERT_INFRASTRUCTURE, PROBE_INTERNAL_ALARM_INFRASTRUCTURE). Their metrics
 * name the probes' dimension targets of DIMENSION_TARGETS: the Target `odoo` and each agent's AZ.
 */
type ProbeDimensionTarget = Extract<DimensionTarget, `probe${string}`>;

/** The deployed value of each probe target: `odoo`, and the AZ of each agent (HealthProbes.zones). */
export function probeTargetValues(zones: readonly string[]): Record<ProbeDimensionTarget, string> {
  if (zones.length !== PROBE_QUORUM.size)
    throw new Error(`zones: the quorum needs ${PROBE_QUORUM.size} AZs, got ${zones.length}`);
  return {
    'probe:odoo': 'odoo',
    'probe-zone:1': zones[0] as string,
    'probe-zone:2': zones[1] as string,
    'probe-zone:3': zones[2] as string,
  };
}

type MetricMathSignal = Extract<AlertSignal, { type: 'metric-math' }>;

const SEED_QUORUM = 'seed 004 Quorum Based Alerting (Odoo_Cluster_Node_Unhealthy)';
const SEED_SLA = 'seed 004 Sla Violation Severity';

/**
 * The quorum: each AZ's agent contributes 1 when its probe of Odoo failed in the minute (Minimum
 * of ProbeSuccess: any failed probe in the minute counts). An agent with no datapoint counts as
 * NOT failing (FILL 1): the quorum needs two agents to see the failure, and an agent that is silent
 * has seen nothing; counting it as failing would let one agent's view plus one silent agent page
 * people, which is the single-observer alert the quorum exists to prevent. Two silent agents leave
 * the quorum unreachable: docs/probes-and-slos.md says how that is noticed.
 */
const zone = (n: 1 | 2 | 3): MetricSpec => ({
  namespace: PROBE_METRICS.namespace,
  metricName: PROBE_METRICS.success,
  dimensions: { Target: 'probe:odoo', AvailabilityZone: `probe-zone:${n}` },
  statistic: 'Minimum',
});
export const QUORUM_EXPRESSION = '(1 - FILL(az1, 1)) + (1 - FILL(az2, 1)) + (1 - FILL(az3, 1))';

/**
 * The availability SLI's burn rate over a window of `minutes` (lambdas/core/probes/burn-rate.ts
 * computes the same; lib/config/slo.ts says why the SLI is the worse of the two ratios): 5xx from
 * Odoo's targets over its requests (at least MIN_REQUESTS_PER_MINUTE a minute), and failed probes
 * over probes made, divided by the error budget. ALB metrics are absent when nothing happened (no
 * 5xx in a period has no datapoint), hence FILL(..., 0).
 */
const alb = (metricName: string): MetricSpec => ({
  namespace: 'AWS/ApplicationELB',
  metricName,
  dimensions: { LoadBalancer: 'alb', TargetGroup: 'target-group:odoo' },
  statistic: 'Sum',
});
const probesOfOdoo = (statistic: 'SampleCount' | 'Sum'): MetricSpec => ({
  namespace: PROBE_METRICS.namespace,
  metricName: PROBE_METRICS.success,
  dimensions: { Target: 'probe:odoo' },
  statistic,
});
export const burnRateExpression = (minutes: number): string =>
  `MAX([FILL(errors, 0) / MAX([FILL(requests, 0), ${MIN_REQUESTS_PER_MINUTE * minutes}]), ` +
  `(FILL(probes, 0) - FILL(probesOk, 0)) / MAX([FILL(probes, 0), 1])]) / ${ERROR_BUDGET}`;
const burnSignal = (minutes: number, factor: number): MetricMathSignal => ({
  type: 'metric-math',
  expression: burnRateExpression(minutes),
  metrics: {
    errors: alb('HTTPCode_Target_5XX_Count'),
    requests: alb('RequestCount'),
    probes: probesOfOdoo('SampleCount'),
    probesOk: probesOfOdoo('Sum'),
  },
  comparison: '>',
  threshold: factor,
  // One period the length of the window: its sums are the window's (sliding: re-evaluated every minute).
  evaluation: {
    periodSeconds: minutes * 60,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: 'notBreaching',
  },
});

export const PROBE_ALERT_INFRASTRUCTURE: Readonly<Record<string, AlertInfrastructure>> = {
  Odoo_Cluster_Node_Unhealthy: {
    signal: {
      type: 'metric-math',
      expression: QUORUM_EXPRESSION,
      metrics: { az1: zone(1), az2: zone(2), az3: zone(3) },
      comparison: '>=',
      threshold: PROBE_QUORUM.agreement,
      // 2 of 3 minutes: one round where two agents time out together is not yet an outage.
      evaluation: {
        periodSeconds: 60,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        treatMissingData: 'notBreaching',
      },
    },
    source: SEED_QUORUM,
  },
  ...Object.fromEntries(
    BURN_RATE_WINDOWS.map((w) => [
      burnAlertName(w),
      {
        signal: { type: 'composite', allOf: [burnInputName(w, 'Long'), burnInputName(w, 'Short')] },
        source: `${SEED_SLA} (availability; multi-window burn rate, Google SRE workbook)`,
      },
    ]),
  ),
  Recovery_Time_Objective_At_Risk: {
    signal: {
      type: 'metric',
      metric: {
        namespace: RECOVERY_METRICS.namespace,
        metricName: RECOVERY_METRICS.projected,
        dimensions: {},
        statistic: 'Maximum',
      },
      comparison: '>',
      threshold: RTO_HOURS * 60,
      // A restore test runs weekly: the projection stands (missing data keeps the state) until the
      // next test measures again.
      evaluation: {
        periodSeconds: 3600,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: 'ignore',
      },
    },
    source: `${SEED_SLA} (RTO: projected recovery > 4 h) and seed 003 RTO 4 hours`,
  },
};

export const PROBE_INTERNAL_ALARM_INFRASTRUCTURE: Readonly<
  Record<string, Pick<InternalAlarm, 'description' | 'signal'>>
> = Object.fromEntries(
  BURN_RATE_WINDOWS.flatMap((w) => [
    [
      burnInputName(w, 'Long'),
      {
        description: `Odoo availability burn rate > ${w.factor}x over ${w.longMinutes / 60} h.`,
        signal: burnSignal(w.longMinutes, w.factor),
      },
    ],
    [
      burnInputName(w, 'Short'),
      {
        description: `Odoo availability burn rate > ${w.factor}x over ${w.shortMinutes} min.`,
        signal: burnSignal(w.shortMinutes, w.factor),
      },
    ],
  ]),
);
