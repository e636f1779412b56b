import type { AlertDefinition, AlertSignal, InternalAlarm } from './alert-schema';
import { BACKUP_INCIDENTS } from './backup-incidents';
import { EDGE_RUNTIME_ALERTS } from './edge-blocking-alert-runtime';
import { PREDICTIVE_DISK_RUNTIME_ALERT } from './forecast-alert-runtime';
import { PROBE_RUNTIME_ALERTS, PROBE_RUNTIME_INTERNAL_ALARMS } from './probes-alert-runtime';
import { ROWS_RUNTIME_ALERTS } from './rows-alerts';
import { TICKETING_RUNTIME_ALERT } from './ticketing-alert-runtime';
import { COMPONENT_POLICIES } from './components';
import { scaleAlerts } from './scale-alerts';
import { SCALING_INCIDENTS } from './scaling-incidents';

/**
 * The alert catalogue as the Lambda handlers read it: for every alert, what routing, registering,
 * escalating and notifying need (name, kind, component, severity, the words of its notifications,
 * correlation, maintenance, confirmation, runbook) and how it is raised. The infrastructure of an
 * alert raised by an alarm (its metric or log filter, threshold, evaluation, example line) and the
 * seed it comes from are lib/config/alerts.ts's, which composes them with these entries into the
 * full catalogue (ALERT_CATALOGUE) the constructs deploy. The handlers import this module and
 * not that one, so the infrastructure stays out of the Lambda bundles; test/config/runtime-catalogue
 * holds this catalogue to the runtime view of the full one.
 */

/** An alarm's signal types: what raises the alert is an alarm, whose definition the handlers never read. */
export type AlarmSignalType = Exclude<AlertSignal['type'], 'event' | 'workflow'>;

/**
 * How an alert is raised, as the handlers need it: by an alarm (its type only), or by events or a
 * control-plane workflow (the router matches events against the whole signal).
 */
export type RuntimeSignal =
  { readonly type: AlarmSignalType } | Extract<AlertSignal, { readonly type: 'event' | 'workflow' }>;

/** A catalogue entry as the handlers read it; a full AlertDefinition is one too. */
export type RuntimeAlert = Omit<AlertDefinition, 'signal' | 'source'> & { readonly signal: RuntimeSignal };

/** An internal alarm (an input of a composite) as the router reads it: it ignores its state changes. */
export type RuntimeInternalAlarm = Pick<InternalAlarm, 'name' | 'inputOf'>;

/** What most of seed 004's alerts are; an entry below says only where it differs. */
const SEED_DEFAULTS = {
  kind: 'incident',
  security: false,
  suppressedByMaintenance: true,
  confirmation: { count: 1, windowMinutes: 0 },
} as const satisfies Partial<RuntimeAlert>;

type SeedAlert = Omit<RuntimeAlert, keyof typeof SEED_DEFAULTS> &
  Partial<Pick<RuntimeAlert, keyof typeof SEED_DEFAULTS>>;

const seedAlerts = (alerts: readonly SeedAlert[]): RuntimeAlert[] =>
  alerts.map((alert) => ({ ...SEED_DEFAULTS, ...alert }));

/** The alerts of seed 004, in the catalogue's order; lib/config/alerts.ts has their alarms. */
const SEED_ALERTS: RuntimeAlert[] = seedAlerts([
  {
    name: 'High_Odoo_N8N_API_Error_Rate',
    component: 'n8n',
    severity: 'High',
    description: 'Error rate for Odoo to N8N API calls is above 5% for 5 minutes.',
    condition: 'Odoo -> n8n API error rate > 5% over 5 minutes',
    signal: { type: 'metric-math' },
    correlationGroup: 'odoo_n8n_integration',
    confirmation: { count: 2, windowMinutes: 2 },
    runbook: 'runbooks/odoo_n8n_api_errors.md',
  },
  {
    name: 'Odoo_N8N_API_P95_Latency',
    component: 'n8n',
    severity: 'Medium',
    description: 'P95 latency of Odoo to N8N API calls is above 1 second over 5 minutes.',
    condition: 'Odoo -> n8n API p95 latency > 1 s over 5 minutes',
    signal: { type: 'log-metric' },
    correlationGroup: 'odoo_n8n_integration',
    runbook: 'runbooks/odoo_n8n_api_latency.md',
  },
  {
    name: 'High_N8N_AI_Service_API_Error_Rate',
    component: 'flux-gpu',
    severity: 'Critical',
    description:
      'Error rate for N8N to AI Service API calls is above 10% for 10 minutes (the AI service is unresponsive).',
    condition: 'n8n -> AI service API error rate > 10% over 10 minutes',
    signal: { type: 'metric-math' },
    correlationGroup: 'n8n_ai_integration',
    confirmation: { count: 3, windowMinutes: 5 },
    runbook: 'runbooks/n8n_ai_api_errors.md',
  },
  {
    name: 'N8N_AI_Service_API_P95_Latency',
    component: 'flux-gpu',
    severity: 'High',
    description:
      'P95 latency of N8N to AI Service API calls (the call, not the generation) is above 15 seconds over 10 minutes.',
    condition: 'n8n -> AI service API p95 latency > 15 s over 10 minutes',
    signal: { type: 'log-metric' },
    correlationGroup: 'n8n_ai_integration',
    runbook: 'runbooks/n8n_ai_api_latency.md',
  },
  {
    name: 'High_N8N_Odoo_Callback_Error_Rate',
    component: 'odoo',
    severity: 'Critical',
    description: 'Error rate for N8N to Odoo Callback API calls is above 5% for 5 minutes.',
    condition: 'n8n -> Odoo callback error rate > 5% over 5 minutes',
    signal: { type: 'metric-math' },
    correlationGroup: 'n8n_odoo_integration',
    confirmation: { count: 2, windowMinutes: 2 },
    runbook: 'runbooks/n8n_odoo_callback_errors.md',
  },
  {
    name: 'AI_Image_Generation_Failure_Rate',
    component: 'flux-gpu',
    severity: 'Critical',
    description:
      'Overall AI image generation failure rate (Odoo request to result) is above 15% over 30 minutes.',
    condition: 'generation failure rate > 15% over 30 minutes',
    signal: { type: 'metric-math' },
    correlationGroup: 'ai_generation',
    parent: 'High_N8N_AI_Service_API_Error_Rate',
    runbook: 'runbooks/ai_generation_failure_rate.md',
  },
  {
    name: 'High_AI_Image_Generation_P95_Latency',
    component: 'flux-gpu',
    severity: 'High',
    description: 'P95 end-to-end latency for AI image generation exceeds 45 seconds over 15 minutes.',
    condition: 'generation p95 end-to-end latency > 45 s over 15 minutes',
    signal: { type: 'log-metric' },
    correlationGroup: 'ai_performance',
    confirmation: { count: 3, windowMinutes: 5 },
    runbook: 'runbooks/ai_gen_latency.md',
  },
  {
    name: 'N8N_Workflow_Queue_Length',
    component: 'flux-gpu',
    severity: 'Medium',
    description: 'More than 100 AI generation requests have been waiting for more than 10 minutes.',
    condition: 'generation queue > 100 messages for > 10 minutes',
    signal: { type: 'metric' },
    correlationGroup: 'ai_generation',
    parent: 'High_N8N_AI_Service_API_Error_Rate',
    runbook: 'runbooks/generation_queue_length.md',
  },
  {
    name: 'Odoo_Server_High_CPU',
    component: 'odoo',
    severity: 'High',
    description: 'Odoo server CPU utilization is above 85% for 15 minutes.',
    condition: 'Odoo service CPU > 85% for > 15 minutes',
    signal: { type: 'metric' },
    correlationGroup: 'odoo_resources',
    runbook: 'runbooks/odoo_high_cpu.md',
  },
  {
    name: 'Odoo_Server_Memory_Utilization',
    component: 'odoo',
    severity: 'High',
    description: 'Odoo server memory utilization is above 90% for 15 minutes (risk of OOM kills).',
    condition: 'Odoo service memory > 90% for > 15 minutes',
    signal: { type: 'metric' },
    correlationGroup: 'odoo_resources',
    runbook: 'runbooks/odoo_high_memory.md',
  },
  {
    name: 'Odoo_Server_Low_Disk_Space',
    component: 'odoo',
    severity: 'Critical',
    description: "Free space on the Odoo tasks' ephemeral storage is below 10%.",
    condition: 'Odoo ephemeral storage free < 10%',
    signal: { type: 'metric-math' },
    correlationGroup: 'odoo_resources',
    suppressedByMaintenance: false,
    runbook: 'runbooks/odoo_low_disk.md',
  },
  PREDICTIVE_DISK_RUNTIME_ALERT,
  {
    name: 'N8N_Server_CPU_Utilization',
    component: 'n8n',
    severity: 'High',
    description: 'n8n CPU utilization is above 85% for 15 minutes; the AI generation pipeline slows down.',
    condition: 'n8n service CPU > 85% for > 15 minutes',
    signal: { type: 'metric' },
    correlationGroup: 'n8n_resources',
    runbook: 'runbooks/n8n_high_cpu.md',
  },
  {
    name: 'AI_Service_Stalled',
    kind: 'stall',
    component: 'flux-gpu',
    severity: 'Critical',
    description:
      'GPU utilization has been 0% for 5 minutes while generation jobs wait: AI generation is stalled.',
    condition: 'GPU utilization == 0% for > 5 minutes AND generation queue > 0',
    signal: { type: 'composite' },
    correlationGroup: 'ai_generation',
    runbook: 'runbooks/ai_service_stalled.md',
  },
  {
    name: 'PostgreSQL_Unavailable',
    component: 'postgresql',
    severity: 'Critical',
    description: 'PostgreSQL has published no metrics for 3 minutes: the database is down or unreachable.',
    condition: 'no RDS DatabaseConnections datapoint for 3 minutes',
    signal: { type: 'metric' },
    correlationGroup: 'db_availability',
    runbook: 'runbooks/pgsql_unavailable.md',
  },
  {
    name: 'Odoo_Database_Connection_Errors',
    component: 'odoo',
    severity: 'High',
    description: 'Odoo cannot connect to PostgreSQL (more than 5 connection errors in 5 minutes).',
    condition: 'Odoo database connection errors > 5 over 5 minutes',
    signal: { type: 'log-metric' },
    correlationGroup: 'db_availability',
    parent: 'PostgreSQL_Unavailable',
    runbook: 'runbooks/odoo_database_connection_errors.md',
  },
  {
    name: 'PostgreSQL_Slow_Queries_Count',
    component: 'postgresql',
    severity: 'Medium',
    description: 'More than 10 queries took longer than 5 seconds in the last 5 minutes.',
    condition: 'queries > 5 s in the last 5 minutes > 10',
    signal: { type: 'log-metric' },
    correlationGroup: 'db_performance',
    runbook: 'runbooks/pgsql_slow_queries.md',
  },
  {
    name: 'PostgreSQL_High_Connection_Usage',
    component: 'postgresql',
    severity: 'High',
    description: 'PostgreSQL active connections are above 90% of max_connections for 5 minutes.',
    condition: 'connections > 90% of max_connections for > 5 minutes',
    signal: { type: 'metric' },
    correlationGroup: 'db_performance',
    runbook: 'runbooks/pgsql_high_connections.md',
  },
  {
    name: 'KYC_Service_Outage',
    component: 'odoo',
    severity: 'High',
    description: 'Error rate for external KYC service calls is above 20% for 15 minutes.',
    condition: 'KYC call error rate > 20% over 15 minutes',
    signal: { type: 'metric-math' },
    correlationGroup: 'external_services',
    runbook: 'runbooks/kyc_service_outage.md',
  },
  {
    name: 'Payment_Processing_Failure_Rate',
    component: 'odoo',
    severity: 'Critical',
    description: 'Failure rate for payment processing is above 10% over 1 hour; influencers are not paid.',
    condition: 'payment failure rate > 10% over 1 hour',
    signal: { type: 'metric-math' },
    correlationGroup: 'external_services',
    runbook: 'runbooks/payment_failures.md',
  },
  {
    name: 'N8N_Critical_Workflow_Failure_Count',
    component: 'n8n',
    severity: 'High',
    description: 'A critical n8n workflow failed more than 3 times in 1 hour.',
    condition: 'critical workflow execution failures > 3 in 1 hour',
    signal: { type: 'log-metric' },
    correlationGroup: 'n8n_workflows',
    runbook: 'runbooks/n8n_critical_workflow_failures.md',
  },
  {
    name: 'Odoo_Backup_Failure',
    kind: 'backup',
    component: 'backup',
    severity: 'Critical',
    description: 'The last backup job of the Odoo database or filestore failed.',
    condition: 'AWS Backup job state FAILED, ABORTED or EXPIRED',
    signal: { type: 'metric' },
    alsoFromEvents: {
      source: 'aws.backup',
      detailTypes: ['Backup Job State Change'],
      states: ['FAILED', 'ABORTED', 'EXPIRED'],
    },
    correlationGroup: 'backup_status',
    suppressedByMaintenance: false,
    runbook: 'runbooks/odoo_backup_failure.md',
  },
  {
    name: 'SSL_Certificate_Expiry_Warning',
    component: 'odoo',
    severity: 'High',
    description: 'The certificate of the Odoo endpoint expires in less than 14 days.',
    condition: 'ACM DaysToExpiry < 14',
    signal: { type: 'metric' },
    correlationGroup: 'certificates',
    suppressedByMaintenance: false,
    runbook: 'runbooks/ssl_certificate_expiry.md',
  },
  {
    name: 'Admin_Account_Multiple_Failed_Logins',
    component: 'security',
    severity: 'Critical',
    description: 'More than 5 failed login attempts for an admin account from the same IP in 15 minutes.',
    condition: 'failed admin logins from one IP for one account > 5 in 15 minutes',
    signal: { type: 'contributor' },
    correlationGroup: 'security_incidents',
    security: true,
    suppressedByMaintenance: false,
    runbook: 'runbooks/security_admin_failed_logins.md',
  },
  {
    name: 'Odoo_UI_Page_Load_Time_P95_Baseline_Deviation',
    component: 'odoo',
    severity: 'Medium',
    description: "Odoo's p95 response time is above its learned baseline band for 10 minutes.",
    condition: 'ALB target response time p95 above its anomaly band for 10 minutes',
    signal: { type: 'anomaly' },
    correlationGroup: 'odoo_performance',
    runbook: 'runbooks/odoo_page_load_baseline.md',
  },
  {
    name: 'ECS_Service_Task_Placement_Failure',
    component: 'platform',
    severity: 'High',
    description:
      'ECS could not place or start the tasks of a service (capacity, GPU or image problems): a scaling event failed.',
    condition: 'ECS Service Action SERVICE_TASK_PLACEMENT_FAILURE or SERVICE_TASK_START_IMPAIRED',
    signal: {
      type: 'event',
      source: 'aws.ecs',
      detailTypes: ['ECS Service Action'],
      states: ['SERVICE_TASK_PLACEMENT_FAILURE', 'SERVICE_TASK_START_IMPAIRED'],
    },
    correlationGroup: 'platform_capacity',
    runbook: 'runbooks/ecs_task_placement_failure.md',
  },
]);

/** Every alert, in ALERT_CATALOGUE's order: seed 004's, the workflows' incidents, the scale alerts. */
export const RUNTIME_ALERT_CATALOGUE: readonly RuntimeAlert[] = [
  ...SEED_ALERTS,
  ...ROWS_RUNTIME_ALERTS,
  ...EDGE_RUNTIME_ALERTS,
  TICKETING_RUNTIME_ALERT,
  ...SCALING_INCIDENTS,
  ...BACKUP_INCIDENTS,
  ...scaleAlerts(COMPONENT_POLICIES),
  ...PROBE_RUNTIME_ALERTS,
];

/** The inputs of composite alarms (lib/config/alerts.ts has their signals). */
export const RUNTIME_INTERNAL_ALARMS: readonly RuntimeInternalAlarm[] = [
  { name: 'AI_Serving_GPU_Idle', inputOf: 'AI_Service_Stalled' },
  { name: 'AI_Generation_Queue_Waiting', inputOf: 'AI_Service_Stalled' },
  ...PROBE_RUNTIME_INTERNAL_ALARMS,
];
