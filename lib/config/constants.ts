/**
 * The named sets the configuration is made of, free of any validation library so that the Lambda
 * bundles can import them without zod (lib/config/schema.ts and alert-schema.ts validate with it).
 */

export const ENVIRONMENT_NAMES = ['prod', 'staging', 'dev'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

export const COMPONENT_IDS = ['odoo', 'n8n', 'flux-gpu'] as const;
export type ComponentId = (typeof COMPONENT_IDS)[number];

/** Notification channels of seed 004: the four general ones and the security team's three. */
export const CHANNEL_IDS = [
  'email',
  'sms',
  'slack',
  'pagerduty',
  'email-security',
  'slack-security',
  'pagerduty-security',
] as const;
export type ChannelId = (typeof CHANNEL_IDS)[number];

/**
 * The signals a scaling rule can read; lib/config/scale-alerts.ts maps each to its CloudWatch metric
 * and lambdas/core/scaling/queries.ts to the same metric for the plan. `workflow-queue-per-worker`:
 * n8n's jobs waiting plus running, per running worker (queue mode).
 */
export const SCALING_SIGNALS = [
  'cpu-utilization',
  'memory-utilization',
  'api-latency-p95-ms',
  'queue-backlog',
  'active-gpu-tasks-per-node',
  'workflow-queue-per-worker',
] as const;

/** The retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const SEVERITIES = ['Critical', 'High', 'Medium', 'Low'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Which workflow handles the alert: scale-decision, stalled-gpu, backup-verification or escalation. */
export const ALERT_KINDS = ['scale', 'stall', 'backup', 'incident'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Components alerts are raised on; maintenance windows are declared per component. */
export const ALERT_COMPONENTS = [
  'odoo',
  'n8n',
  'flux-gpu',
  'postgresql',
  'backup',
  'security',
  'platform',
] as const;
export type AlertComponent = (typeof ALERT_COMPONENTS)[number];

/**
 * Deployed resources a metric dimension may name. CatalogAlarms resolves each to the real value
 * (cluster name, service name, queue name, ...) of the environment being synthesized.
 */
export const DIMENSION_TARGETS = [
  'cluster',
  'service:odoo',
  'service:n8n',
  'service:flux-gpu',
  'queue:generation',
  'alb',
  'target-group:odoo',
  'database',
  'backup-vault',
  'certificate:odoo',
  'asg:flux-gpu',
  // The health probes (lib/config/probes-alerts.ts): their Target value, and each agent's AZ.
  'probe:odoo',
  'probe-zone:1',
  'probe-zone:2',
  'probe-zone:3',
] as const;
export type DimensionTarget = (typeof DIMENSION_TARGETS)[number];

/** Log groups a metric filter or contributor rule may read. */
export const LOG_SOURCES = ['odoo', 'n8n', 'flux-gpu', 'postgresql'] as const;
export type LogSource = (typeof LOG_SOURCES)[number];

/**
 * How often the schedule re-evaluates each component's scaling while automatic scaling is on
 * (the alarm router's periodic rules, and the twin): the scale-up cooldown of every policy (300 s,
 * seeds 001/002), so a breach that stays in ALARM is acted on again as soon as it may be.
 */
export const PERIODIC_SCALE_EVALUATION_SECONDS = 300;

/** Minutes of metrics the scale decision reads: enough for every window of right-sizing and the rules. */
export const SCALING_METRIC_MINUTES = 30;

/**
 * Watching the watcher: router deliveries ignored in 15 minutes above which something is off (a new
 * event shape, a renamed alarm). Ordinary traffic ignores a few an hour (composite inputs, scale
 * alarms back to OK, ECS steady-state events).
 */
export const ROUTER_IGNORED_PER_15_MINUTES = 30;

/**
 * Watching the watcher (seed 004, "monitor the monitor"): the router is invoked every
 * `everyMinutes`, and the heartbeat alarms after `missedBeatsToAlarm` missed beats (of the router,
 * or of the scheduled stall check) - one missed beat is a hiccup, three are an outage. The
 * control plane's failure alarms count over the same period.
 */
export const CONTROL_PLANE_HEARTBEAT = { everyMinutes: 5, missedBeatsToAlarm: 3 } as const;

/**
 * Seed 003's tested restores: weekly, early Sunday (UTC), within a 4-hour start window; a restored
 * instance runs for its validation window, so a daily test would cost a database a day.
 */
export const RESTORE_TEST_SCHEDULE = {
  scheduleExpression: 'cron(0 5 ? * SUN *)',
  startWindowHours: 4,
} as const;

/**
 * Seed 002's cost guardrail ("Projected monthly cost exceeds threshold: alert administrators"): each
 * environment's monthly budget alerts on actual and forecast spend at 80 % (a warning while a month
 * still leaves time to act) and at 100 % (the organisation's limit itself).
 */
/**
 * What backup verification protects: the Odoo database (RDS), Odoo's filestore (EFS, attachments and
 * sessions) and the Flux workers' generated images (S3).
 */
export const BACKUP_RESOURCE_IDS = ['database', 'filestore', 'images'] as const;
export type BackupResourceId = (typeof BACKUP_RESOURCE_IDS)[number];

export const COST_BUDGET_ALERT_PERCENT = { warning: 80, limit: 100 } as const;

/** Seed 002's KPI: a scaling action should bring the new capacity into service in under 5 minutes. */
export const TIME_TO_SCALE_KPI_SECONDS = 300;

/** The schedule of the control plane's heartbeat (lib/constructs/control-plane/watch.ts). */
export const HEARTBEAT_SCHEDULE = 'heartbeat';

/** Who asked for a stall check: the composite alarm, the periodic per-host check, or a person. */
export const PERIODIC_REQUESTER = 'schedule';

/** The statuses of a Step Functions execution that ended without succeeding. */
export const EXECUTION_FAILURE_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;

/** Memory of a control-plane function unless it asks for more: its handlers are I/O-bound. */
export const DEFAULT_FUNCTION_MEMORY_MB = 256;

/** Seed 001's per-environment scaling profiles: how big a step is, how much headroom is kept. */
export const AGGRESSIVENESS_LEVELS = ['conservative', 'moderate', 'aggressive'] as const;
export const COST_PRIORITIES = ['balanced', 'cost-optimized', 'performance'] as const;
