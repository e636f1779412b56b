import { z } from 'zod';
import { ALERT_COMPONENTS, ALERT_KINDS, DIMENSION_TARGETS, LOG_SOURCES, SEVERITIES } from './constants';

export {
  ALERT_COMPONENTS,
  ALERT_KINDS,
  DIMENSION_TARGETS,
  LOG_SOURCES,
  SEVERITIES,
  type AlertComponent,
  type AlertKind,
  type DimensionTarget,
  type LogSource,
  type Severity,
} from './constants';

/**
 * The shape of the alert catalogue. A catalogue entry is the single lookup from an alarm name to
 * everything the control plane needs: the AWS signal that raises it, how severe it is, which
 * workflow handles it, how it correlates, and the runbook an on-call engineer follows.
 */

const Comparison = z.enum(['>', '>=', '<', '<=']);

const MetricSchema = z.object({
  namespace: z.string().min(1),
  metricName: z.string().min(1),
  /** Dimension name -> the deployed resource whose name or id is its value. */
  dimensions: z.record(z.string(), z.enum(DIMENSION_TARGETS)).default({}),
  statistic: z
    .string()
    .regex(/^(Average|Sum|Minimum|Maximum|SampleCount|p\d{1,2}(\.\d+)?)$/, 'must be a statistic'),
});

/**
 * A metric produced from a workload's log lines by a metric filter (a JSON, space-delimited or text
 * pattern). The filter pattern and an example line are the contract between the workload and the
 * alarm; test/fixtures/log-lines records where each example line comes from.
 */
const LogMetricSchema = z.object({
  source: z.enum(LOG_SOURCES),
  metricName: z.string().min(1),
  filterPattern: z.string().min(1),
  /** `1` counts matching lines; `$.field` (JSON) or `$field` (space-delimited) takes a number from it. */
  value: z.string().regex(/^(1|\$\.[A-Za-z0-9_.-]+|\$[A-Za-z0-9_]+)$/, 'must be 1, $.field or $field'),
  /** A log line that matches, exactly as the deployed software writes it. */
  exampleLine: z.string().min(1),
  statistic: z.string().regex(/^(Sum|Average|p\d{1,2})$/, 'must be Sum, Average or a percentile'),
});

const Evaluation = z
  .object({
    periodSeconds: z.number().int().positive(),
    evaluationPeriods: z.number().int().positive(),
    datapointsToAlarm: z.number().int().positive(),
    treatMissingData: z.enum(['breaching', 'notBreaching', 'ignore', 'missing']).default('missing'),
  })
  .refine((e) => e.datapointsToAlarm <= e.evaluationPeriods, {
    message: 'datapointsToAlarm must not exceed evaluationPeriods',
    path: ['datapointsToAlarm'],
  });

export const AlertSignalSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('metric'),
    metric: MetricSchema,
    comparison: Comparison,
    threshold: z.number(),
    evaluation: Evaluation,
  }),
  z.object({
    type: z.literal('log-metric'),
    logMetric: LogMetricSchema,
    comparison: Comparison,
    threshold: z.number(),
    evaluation: Evaluation,
  }),
  z.object({
    type: z.literal('metric-math'),
    /** CloudWatch metric math over the ids below, e.g. `100 * errors / MAX([calls, 1])`. */
    expression: z.string().min(1),
    metrics: z.record(z.string().regex(/^[a-z][a-zA-Z0-9_]*$/), z.union([MetricSchema, LogMetricSchema])),
    comparison: Comparison,
    threshold: z.number(),
    evaluation: Evaluation,
  }),
  z.object({
    type: z.literal('anomaly'),
    metric: MetricSchema,
    /** Width of the expected band in standard deviations; the alarm fires above it. */
    bandStandardDeviations: z.number().positive(),
    evaluation: Evaluation,
  }),
  z.object({
    type: z.literal('contributor'),
    /** A Contributor Insights rule over a workload log: the top contributor's count is the metric. */
    source: z.enum(LOG_SOURCES),
    keys: z.array(z.string().regex(/^\$\./)).min(1).max(4),
    // Contributor Insights' `In` operator takes strings (up to 10).
    filters: z.array(z.object({ match: z.string().regex(/^\$\./), in: z.array(z.string()).min(1).max(10) })),
    exampleLine: z.string().min(1),
    comparison: Comparison,
    threshold: z.number(),
    evaluation: Evaluation,
  }),
  z.object({
    type: z.literal('composite'),
    /** Names of internal alarms (see `inputs`) that must all be in ALARM. */
    allOf: z.array(z.string().min(1)).min(2),
  }),
  z.object({
    type: z.literal('workflow'),
    /** Raised by a control-plane workflow itself (a scaling action failed, the maximum was reached). */
    raisedBy: z.enum(['scale-decision', 'stalled-gpu', 'backup-verification']),
  }),
  z.object({
    type: z.literal('event'),
    /** Raised by an EventBridge event rather than a metric (AWS Backup job states, ECS service actions). */
    source: z.enum(['aws.backup', 'aws.ecs']),
    detailTypes: z.array(z.string().min(1)).min(1),
    /** detail.state / detail.eventName values that raise the alert. */
    states: z.array(z.string().min(1)).min(1),
  }),
]);

export const AlertDefinitionSchema = z.object({
  /** The catalogue key; the deployed alarm is named `influencegen-<env>-<name>`. */
  name: z.string().regex(/^[A-Za-z0-9_]+$/, 'must be letters, digits and underscores'),
  kind: z.enum(ALERT_KINDS),
  component: z.enum(ALERT_COMPONENTS),
  severity: z.enum(SEVERITIES),
  description: z.string().min(1),
  /** The seed's condition in words, shown in notifications. */
  condition: z.string().min(1),
  signal: AlertSignalSchema,
  /** Also raised by these events (besides its alarm), e.g. AWS Backup job failures. */
  alsoFromEvents: z
    .object({
      source: z.enum(['aws.backup', 'aws.ecs']),
      detailTypes: z.array(z.string()),
      states: z.array(z.string()),
    })
    .optional(),
  correlationGroup: z.string().regex(/^[a-z0-9_]+$/),
  /** While an incident of the parent alert is open, this alert is linked to it and pages nobody. */
  parent: z.string().optional(),
  /** Security alerts go to the security channels only and are never suppressed by maintenance. */
  security: z.boolean().default(false),
  suppressedByMaintenance: z.boolean(),
  /** Seed 004 "Validation": the alarm must still be in ALARM on this many checks within the window. */
  confirmation: z.object({ count: z.number().int().min(1), windowMinutes: z.number().int().min(0) }),
  /** Path under the repository root, e.g. runbooks/odoo_high_cpu.md. */
  runbook: z.string().regex(/^runbooks\/[a-z0-9_]+\.md$/, 'must be runbooks/<name>.md'),
  /** Where the alert comes from in the seeds, for reviewers. */
  source: z.string().min(1),
});

export type AlertDefinition = z.infer<typeof AlertDefinitionSchema>;
export type AlertSignal = z.infer<typeof AlertSignalSchema>;
export type MetricSpec = z.infer<typeof MetricSchema>;
export type LogMetricSpec = z.infer<typeof LogMetricSchema>;
export type AlarmEvaluation = z.infer<typeof Evaluation>;

/** An alarm that exists only as an input of a composite alarm; the router ignores its state changes. */
export const InternalAlarmSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9_]+$/),
  description: z.string().min(1),
  signal: AlertSignalSchema,
  inputOf: z.string().min(1),
});
export type InternalAlarm = z.infer<typeof InternalAlarmSchema>;
