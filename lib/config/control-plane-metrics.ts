import { BACKUP_RESOURCE_IDS, COMPONENT_IDS, SEVERITIES } from './constants';

/**
 * The control plane's own metrics: what the handlers emit (Embedded Metric Format through
 * Powertools, lambdas/aws/control-plane-metrics.ts) and what the dashboards and their tests read.
 * One definition, so a renamed metric or dimension breaks the build, not a dashboard in silence.
 * Every emission carries exactly the listed dimensions (no `service` dimension), so a dashboard
 * names a metric by these values alone.
 */
export function controlPlaneNamespace(environment: string): string {
  return `InfluenceGen/ControlPlane/${environment}`;
}

/** What stopped a requested change: the last guardrail of a hold (lambdas/core/scaling/decide.ts). */
export const HOLD_REASONS = [
  'environment',
  'paused',
  'maintenance',
  'booting',
  'runaway',
  'cooldown',
  'max-rate',
  'database',
  'stall',
  'max',
  'floor',
] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

/** `none`: nothing asked for a change (no rule breached, or a rule asked for the current size). */
export const DECISION_KINDS = ['scale-out', 'scale-in', 'hold', 'none'] as const;
export const ACTION_OUTCOMES = ['succeeded', 'failed'] as const;

/**
 * Every value a dimension may take: the dashboards draw one line per value. Plain literals (no
 * calls), so a bundle that does not read the table drops it.
 */
export const DIMENSION_VALUES = {
  component: COMPONENT_IDS,
  decision: DECISION_KINDS,
  reason: HOLD_REASONS,
  outcome: ACTION_OUTCOMES,
  severity: SEVERITIES,
  workflow: ['stalled-gpu', 'backup-verification'],
  action: ['restart', 'replace', 'backup-rerun'],
  resource: BACKUP_RESOURCE_IDS,
} as const;
export type MetricDimension = keyof typeof DIMENSION_VALUES;

export interface ControlPlaneMetric {
  readonly name: string;
  readonly unit: 'Count' | 'Seconds';
  readonly dimensions: readonly MetricDimension[];
}

/** What each metric counts is said in comments, not strings: every emitting bundle carries this table. */
export const CONTROL_PLANE_METRICS = {
  /** Every scale decision the scale-decision workflow records, by what it decided. */
  decisions: { name: 'ScalingDecisions', unit: 'Count', dimensions: ['component', 'decision'] },
  /** Changes a rule or an operator asked for that a guardrail held, by the guardrail. */
  holds: { name: 'ScalingHolds', unit: 'Count', dimensions: ['component', 'reason'] },
  /** From the alarm's state change to the scaling action being issued. */
  alarmToAction: { name: 'AlarmToActionSeconds', unit: 'Seconds', dimensions: ['component'] },
  /** Scaling actions completed, by whether the new capacity became stable. */
  scalingActions: { name: 'ScalingActions', unit: 'Count', dimensions: ['component', 'outcome'] },
  /** From the decision to the new capacity being stable (seed 002's KPI: under 5 minutes). */
  timeToScale: { name: 'TimeToScaleSeconds', unit: 'Seconds', dimensions: ['component'] },
  /** Incidents opened (a page or a child linked to its parent), by severity. */
  incidentsOpened: { name: 'IncidentsOpened', unit: 'Count', dimensions: ['severity'] },
  /** Incidents resolved (their alarm back to OK, a workflow's repair, an operator), by severity. */
  incidentsResolved: { name: 'IncidentsResolved', unit: 'Count', dimensions: ['severity'] },
  /** Escalation steps that paged people, by the incident's severity. */
  pages: { name: 'Pages', unit: 'Count', dimensions: ['severity'] },
  /** What the control plane repaired on its own: task restarts, host replacements, backup re-runs. */
  remediations: { name: 'RemediationActions', unit: 'Count', dimensions: ['workflow', 'action'] },
  /** Age of the newest restorable recovery point at each backup check (RPO: 15 minutes). */
  recoveryPointAge: { name: 'RecoveryPointAgeSeconds', unit: 'Seconds', dimensions: ['resource'] },
} as const satisfies Record<string, ControlPlaneMetric>;
export type ControlPlaneMetricKey = keyof typeof CONTROL_PLANE_METRICS;

/** The dimension values an emission of `key` must carry. */
export type DimensionsOf<K extends ControlPlaneMetricKey> = {
  readonly [
    D in (typeof CONTROL_PLANE_METRICS)[K]['dimensions'][number]
  ]: (typeof DIMENSION_VALUES)[D][number];
};
