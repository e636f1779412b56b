import { BACKUP_INCIDENTS } from './backup-incidents';
import type {
  AlarmEvaluation,
  AlertDefinition,
  InternalAlarm,
  LogMetricSpec,
  LogSource,
} from './alert-schema';
import { COMPONENT_POLICIES } from './components';
import { generationQueueMetric } from './generation-queue';
import { scaleAlerts } from './scale-alerts';
import { SCALING_INCIDENTS } from './scaling-incidents';

/**
 * The alert catalogue: every alert of seed 004 ("Critical Metrics Alerts" and "Project Specific
 * Alerts Config") mapped to the AWS signal that carries it. Two evaluation patterns:
 * - "rate over N minutes" is one period of N minutes (sums of errors and calls over the window);
 * - "X for more than N minutes" is N one-minute periods, all breaching.
 * Application signals come from the workloads' JSON logs through metric filters, one namespace per
 * workload (LOG_METRIC_NAMESPACES); each filter documents the log line it expects.
 * Scale alarms are not listed here: they are generated from lib/config/components.ts.
 */

export const LOG_METRIC_NAMESPACES: Readonly<Record<LogSource, string>> = {
  odoo: 'InfluenceGen/Odoo',
  n8n: 'InfluenceGen/N8n',
  'flux-gpu': 'InfluenceGen/Generation',
  postgresql: 'InfluenceGen/PostgreSQL',
};

/** `rate over N minutes`: one N-minute period. */
const over = (minutes: number): AlarmEvaluation => ({
  periodSeconds: minutes * 60,
  evaluationPeriods: 1,
  datapointsToAlarm: 1,
  treatMissingData: 'notBreaching',
});
/** `for more than N minutes`: N one-minute periods, all breaching. */
const sustained = (
  minutes: number,
  treatMissingData: AlarmEvaluation['treatMissingData'] = 'missing',
): AlarmEvaluation => ({
  periodSeconds: 60,
  evaluationPeriods: minutes,
  datapointsToAlarm: minutes,
  treatMissingData,
});

function logCount(
  source: LogSource,
  metricName: string,
  filterPattern: string,
  exampleLine: string,
): LogMetricSpec {
  return { source, metricName, filterPattern, value: '1', exampleLine, statistic: 'Sum' };
}
function logValue(
  source: LogSource,
  metricName: string,
  filterPattern: string,
  field: string,
  exampleLine: string,
  statistic: string,
): LogMetricSpec {
  return { source, metricName, filterPattern, value: field, exampleLine, statistic };
}

/** The error-rate pattern: errors / calls over a window, as a percentage. */
function errorRate(
  source: LogSource,
  prefix: string,
  event: string,
  exampleFields: string,
  minutes: number,
  percent: number,
) {
  const calls = logCount(
    source,
    `${prefix}Calls`,
    `{ $.event = "${event}" }`,
    `{"event":"${event}",${exampleFields},"outcome":"ok"}`,
  );
  const errors = logCount(
    source,
    `${prefix}Errors`,
    `{ $.event = "${event}" && $.outcome = "error" }`,
    `{"event":"${event}",${exampleFields},"outcome":"error"}`,
  );
  return {
    type: 'metric-math' as const,
    expression: '100 * errors / MAX([calls, 1])',
    metrics: { errors, calls },
    comparison: '>' as const,
    threshold: percent,
    evaluation: over(minutes),
  };
}

const SEED = 'seed 004 Project Specific Alerts Config';
const SEED_METRICS = 'seed 004 Critical Metrics Alerts';

const ALERTS: AlertDefinition[] = [
  {
    name: 'High_Odoo_N8N_API_Error_Rate',
    kind: 'incident',
    component: 'n8n',
    severity: 'High',
    description: 'Error rate for Odoo to N8N API calls is above 5% for 5 minutes.',
    condition: 'Odoo -> n8n API error rate > 5% over 5 minutes',
    signal: errorRate(
      'odoo',
      'OdooN8nApi',
      'n8n_api_call',
      '"workflow":"ai_generation","duration_ms":182',
      5,
      5,
    ),
    correlationGroup: 'odoo_n8n_integration',
    security: false,
    suppressedByMaintenance: true,
    confirmation: { count: 2, windowMinutes: 2 },
    runbook: 'runbooks/odoo_n8n_api_errors.md',
    source: SEED,
  },
  {
    name: 'Odoo_N8N_API_P95_Latency',
    kind: 'incident',
    component: 'n8n',
    severity: 'Medium',
    description: 'P95 latency of Odoo to N8N API calls is above 1 second over 5 minutes.',
    condition: 'Odoo -> n8n API p95 latency > 1 s over 5 minutes',
    signal: {
      type: 'log-metric',
      logMetric: logValue(
        'odoo',
        'OdooN8nApiLatency',
        '{ $.event = "n8n_api_call" }',
        '$.duration_ms',
        '{"event":"n8n_api_call","workflow":"ai_generation","duration_ms":182,"outcome":"ok"}',
        'p95',
      ),
      comparison: '>',
      threshold: 1000,
      evaluation: over(5),
    },
    correlationGroup: 'odoo_n8n_integration',
    security: false,
    suppressedByMaintenance: true,
    confirmation: { count: 1, windowMinutes: 0 },
    runbook: 'runbooks/odoo_n8n_api_latency.md',
    source: SEED_METRICS,
  },
  {
    name: 'High_N8N_AI_Service_API_Error_Rate',
    kind: 'incident',
    component: 'flux-gpu',
    severity: 'Critical',
    description:
      'Error rate for N8N to AI Service API calls is above 10% for 10 minutes (the AI service is unresponsive).',
    condition: 'n8n -> AI service API error rate > 10% over 10 minutes',
    signal: errorRate('n8n', 'N8nAiApi', 'ai_api_call', '"model":"flux-lora","duration_ms":950', 10, 10),
    correlationGroup: 'n8n_ai_integration',
    security: false,
    suppressedByMaintenance: true,
    confirmation: { count: 3, windowMinutes: 5 },
    runbook: 'runbooks/n8n_ai_api_errors.md',
    source: SEED,
  },
  {
    name: 'N8N_AI_Service_API_P95_Latency',
    kind: 'incident',
    component: 'flux-gpu',
    severity: 'High',
    description:
      'P95 latency of N8N to AI Service API calls (the call, not the generation) is above 15 seconds over 10 minutes.',
    condition: 'n8n -> AI service API p95 latency > 15 s over 10 minutes',
    signal: {
      type: 'log-metric',
      logMetric: logValue(
        'n8n',
        'N8nAiApiLatency',
        '{ $.event = "ai_api_call" }',
        '$.duration_ms',
        '{"event":"ai_api_call","model":"flux-lora","duration_ms":950,"outcome":"ok"}',
        'p95',
      ),
      comparison: '>',
      threshold: 15000,
      evaluation: over(10),
    },
    correlationGroup: 'n8n_ai_integration',
    security: false,
    suppressedByMaintenance: true,
    confirmation: { count: 1, windowMinutes: 0 },
    runbook: 'runbooks/n8n_ai_api_latency.md',
    source: SEED_METRICS,
  },
  {
    name: 'High_N8N_Odoo_Callback_Error_Rate',
    kind: 'incident',
    component: 'odoo',
    severity: 'Critical',
    description: 'Error rate for N8N to Odoo Callback API calls is above 5% for 5 minutes.',
    condition: 'n8n -> Odoo callback error rate > 5% over 5 minutes',
    signal: errorRate(
      'n8n',
      'N8nOdooCallback',
      'odoo_callback',
      '"generation_id":"g-42","duration_ms":120',
      5,
      5,
    ),
    correlationGroup: 'n8n_odoo_integration',
    security: false,
    suppressedByMaintenance: true,
    confirmation: { count: 2, windowMinutes: 2 },
    runbook: 'runbooks/n8n_odoo_callback_errors.md',
    source: SEED,
  },
  {
    name: 'AI_Image_Generation_Failure_Rate',
    kind: 'incident',
    component: 'flux-gpu',
    severity: 'Critical',
    description:
      'Overall AI image generation failure rate (Odoo request to result) is above 15% over 30 minutes.',
    condition: 'generation failure rate > 15% over 30 minutes',
    signal: errorRate(
      'n8n',
      'Generation',
      'generation_finished',
      '"generation_id":"g-42","total_ms":18500',
      30,
      15,
    ),
    correlationGroup: 'ai_generation',
    parent: 'High_N8N_AI_Service_API_Error_Rate',
    security: false,
    suppressedByMaintenance: true,
    confirmation: { count: 1, windowMinutes: 0 },
    runbook: 'runbooks/ai_generation_failure_rate.md',
    source: SEED_METRICS,
  },
  {
    name: 'High_AI_Image_Generation_P95_Latency',
    kind: 'incident',
    component: 'flux-gpu',
    severity: 'High',
    description: 'P95 end-to-end latency for AI image generation exceeds 45 seconds over 15 minutes.',
    condition: 'generation p95 end-to-end latency > 45 s over 15 minutes',
    signal: {
      type: 'log-metric',
      logMetric: logValue(
        'n8n',
        'GenerationLatency',
        '{ $.event = "generation_finished" && $.outcome = "ok" }',
        '$.total_ms',
        '{"event":"generation_finished","generation_id":"g-42","total_ms":18500,"outcome":"ok"}',
        'p95',
      ),
      comparison: '>',
      threshold: 45000,
      evaluation: over(15),
    },
    correlationGroup: 'ai_performance',
    security: false,
    suppressedByMaintenance: true,
    confirmation: { count: 3, windowMinutes: 5 },
    runbook: 'runbooks/ai_gen_latency.md',
    source: SEED,
  },
  {
    name: 'N8N_Workflow_Queue_Length',
    kind: 'incident',
    component: 'flux-gpu',
    severity: 'Medium',
    description: 'More than 100 AI generation requests have been waiting for more than 10 minutes.',
    condition: 'generation queue > 100 messages for > 10 minutes',
    signal: {
      type: 'metric',
      metric: generationQueueMetric('waiting', 'Maximum'),
      comparison: '>',
      threshold: 100,
      evaluation: sustained(10),
    },
    correlationGroup: 'ai_generation',
    parent: 'High_N8N_AI_Service_API_Error_Rate',
    security: false,
    suppressedByMaintenance: true,
    confirmation: { count: 1, windowMinutes: 0 },
    runbook: 'runbooks/generation_queue_length.md',
    source: SEED_METRICS,
  },
  {
    name: 'Odoo_Server_High_CPU',
    kind: 'incident',
    component: 'odoo',
    severity: 'High',
    description: 'Odoo server CPU utilization is above 85% for 15 minutes.',
    condition: 'Odoo service CPU > 85% for > 15 minutes',
    signal: {
      type: 'metric',
      metric: {
        namespace: 'AWS/ECS',
        metricName: 'CPUUtilization',
        dimensions: { ClusterName: 'cluster', ServiceName: 'service:odoo' },
        statistic: 'Average',
      },
      comparison: '>',
      threshold: 85,
      evaluation: sustained(15),
    },
    correlationGroup: 'odoo_resources',
    security: false,
    suppressedByMaintenance: true,
    confirmation: { count: 1, windowMinutes: 0 },
    runbook: 'runbooks/odoo_high_cpu.md',
    source: SEED,
  },
  {
    name: 'Odoo_Server_Memory_Utilization',
    kind: 'incident',
    component: 'odoo',
    severity: 'High',
    description: 'Odoo server memory utilization is above 90% for 15 minutes (risk of OOM kills).',
    condition: 'Odoo service memory > 90% for > 15 minutes',
    signal: {
      type: 'metric',
      metric: {
        namespace: 'AWS/ECS',
        metricName: 'MemoryUtilization',
        dimensions: { ClusterName: 'cluster', ServiceName: 'service:odoo' },
        statistic: 'Average',
      },
      comparison: '>',
      threshold: 90,
      evaluation: sustained(15),
    },
    correlationGroup: 'odoo_resources',
    security: false,
    suppressedByMaintenance: true,
    confirmation: { count: 1, windowMinutes: 0 },
    runbook: 'runbooks/odoo_high_memory.md',
    source: SEED_METRICS,
  },
  {
    name: 'Odoo_Server_Low_Disk_Space',
    kind: 'incident',
    component: 'odoo',
    severity: 'Critical',
    description: "Free space on the Odoo tasks' ephemeral storage is below 10%.",
    condition: 'Odoo ephemeral storage free < 10%',
    signal: {
      type: 'metric-math',
      expression: '100 * (1 - used / MAX([reserved, 1]))',
      metrics: {
        used: {
          namespace: 'ECS/ContainerInsights',
          metricName: 'EphemeralStorageUtilized',
          dimensions: { ClusterName: 'cluster', ServiceName: 'service:odoo' },
          statistic: 'Maximum',
        },
        reserved: {
          namespace: 'ECS/ContainerInsights',
          metricName: 'EphemeralStorageReserved',
          dimensions: { ClusterName: 'cluster', ServiceName: 'service:odoo' },
          statistic: 'Maximum',
        },
      },
      comparison: '<',
      threshold: 10,
      evaluation: sustained(1),
    },
    correlationGroup: 'odoo_resources',
    security: false,
    suppressedByMaintenance: false,
    confirmation: { count: 1, windowMinutes: 0 },
    runbook: 'runbooks/odoo_low_disk.md',
    source: SEED,
  },
  {
    name: 'N8N_Server_CPU_Utilization',
    kind: 'incident',
    component: 'n8n',
    severity: 'High',
    description: 'n8n CPU utilization is above 85% for 15 minutes; the AI generation pipeline slows down.',
    condition: 'n8n service CPU > 85% for > 15 minutes',
    signal: {
      type: 'metric',
      metric: {
        namespace: 'AWS/ECS',
        metricName: 'CPUUtilization',
        dimensions: { ClusterName: 'cluster', ServiceName: 'service:n8n' },
        statistic: 'Average',
      },
      comparison: '>',
      threshold: 85,
      evaluation: sustained(15),
    },
    correlationGroup: 'n8n_resources',
    security: false,
    suppressedByMaintenance: true,
    confirmation: { count: 1, windowMinutes: 0 },
    runbook: 'runbooks/n8n_high_cpu.md',
    source: SEED_METRICS,
  },
  {
    name: 'AI_Service_Stalled',
    kind: 'stall',
    component: 'flux-gpu',
    severity: 'Critical',
    description:
      'GPU utilization has been 0% for 5 minutes while generation jobs wait: AI generation is stalled.',
    condition: 'GPU utilization == 0% for > 5 minutes AND generation queue > 0',
    signal: { type: 'composite', allOf: ['AI_Serving_GPU_Idle', 'AI_Generation_Queue_Waiting'] },
    correlationGroup: 'ai_generation',
    security: false,
    suppressedByMaintenance: true,
    confirmation: { count: 1, windowMinutes: 0 },
    runbook: 'runbooks/ai_service_stalled.md',
    source: 'seed 004 Compound Conditions (AI_Service_Stalled)',
  },
  {
    name: 'PostgreSQL_Unavailable',
    kind: 'incident',
    component: 'postgresql',
    severity: 'Critical',
    description: 'PostgreSQL has published no metrics for 3 minutes: the database is down or unreachable.',
    condition: 'no RDS DatabaseConnections datapoint for 3 minutes',
    signal: {
      type: 'metric',
      metric: {
        namespace: 'AWS/RDS',
        metricName: 'DatabaseConnections',
        dimensions: { DBInstanceIdentifier: 'database' },
        statistic: 'SampleCount',
      },
      comparison: '<',
      threshold: 1,
      evaluation: sustained(3, 'breaching'),
    },
    correlationGroup: 'db_availability',
    security: false,
    suppressedByMaintenance: true,
    confirmation: { count: 1, windowMinutes: 0 },
    runbook: 'runbooks/pgsql_unavailable.md',
    source: 'seed 004 Topology Based Correlation (DB down)',
  },
  {
    name: 'Odoo_Database_Connection_Errors',
    kind: 'incident',
    component: 'odoo',
    severity: 'High',
    description: 'Odoo cannot connect to PostgreSQL (more than 5 connection errors in 5 minutes).',
    condition: 'Odoo database connection errors > 5 over 5 minutes',
    signal: {
      type: 'log-metric',
      logMetric: logCount(
        'odoo',
        'OdooDatabaseConnectionErrors',
        '"OperationalError"',
        '2026-11-23 10:00:00,000 7 ERROR odoo odoo.sql_db: psycopg2.OperationalError: connection to server failed',
      ),
      comparison: '>',
      threshold: 5,
      evaluation: over(5),
    },
    correlationGroup: 'db_availability',
    parent: 'PostgreSQL_Unavailable',
    security: false,
    suppressedByMaintenance: true,
    confirmation: { count: 1, windowMinutes: 0 },
    runbook: 'runbooks/odoo_database_connection_errors.md',
    source: 'seed 004 Topology Based Correlation (Odoo cannot connect to DB)',
  },
  {
    name: 'PostgreSQL_Slow_Queries_Count',
    kind: 'incident',
    component: 'postgresql',
    severity: 'Medium',
    description: 'More than 10 queries took longer than 5 seconds in the last 5 minutes.',
    condition: 'queries > 5 s in the last 5 minutes > 10',
    signal: {
      type: 'log-metric',
      // log_min_duration_statement is 5000 ms (DataStack), so every "duration:" line is a slow query.
      logMetric: logCount(
        'postgresql',
        'SlowQueries',
        '"duration:"',
        '2026-11-23 10:00:00 UTC:10.10.1.5(41234):influencegen_admin@odoo:[812]:LOG:  duration: 5234.118 ms  statement: SELECT ...',
      ),
      comparison: '>',
      threshold: 10,
      evaluation: over(5),
    },
    correlationGroup: 'db_performance',
    security: false,
    suppressedByMaintenance: true,
    confirmation: { count: 1, windowMinutes: 0 },
    runbook: 'runbooks/pgsql_slow_queries.md',
    source: SEED_METRICS,
  },
  {
    name: 'PostgreSQL_High_Connection_Usage',
    kind: 'incident',
    component: 'postgresql',
    severity: 'High',
    description: 'PostgreSQL active connections are above 90% of max_connections for 5 minutes.',
    condition: 'connections > 90% of max_connections for > 5 minutes',
    signal: {
      type: 'metric',
      metric: {
        namespace: 'AWS/RDS',
        metricName: 'DatabaseConnections',
        dimensions: { DBInstanceIdentifier: 'database' },
        statistic: 'Maximum',
      },
      comparison: '>',
      // A percentage of database.maxConnections; CatalogAlarms turns it into a connection count.
      threshold: 90,
      evaluation: sustained(5),
    },
    correlationGroup: 'db_performance',
    security: false,
    suppressedByMaintenance: true,
    confirmation: { count: 1, windowMinutes: 0 },
    runbook: 'runbooks/pgsql_high_connections.md',
    source: SEED,
  },
  {
    name: 'KYC_Service_Outage',
    kind: 'incident',
    component: 'odoo',
    severity: 'High',
    description: 'Error rate for external KYC service calls is above 20% for 15 minutes.',
    condition: 'KYC call error rate > 20% over 15 minutes',
    signal: errorRate('odoo', 'KycApi', 'kyc_call', '"provider":"kyc","duration_ms":640', 15, 20),
    correlationGroup: 'external_services',
    security: false,
    suppressedByMaintenance: true,
    confirmation: { count: 1, windowMinutes: 0 },
    runbook: 'runbooks/kyc_service_outage.md',
    source: SEED,
  },
  {
    name: 'Payment_Processing_Failure_Rate',
    kind: 'incident',
    component: 'odoo',
    severity: 'Critical',
    description: 'Failure rate for payment processing is above 10% over 1 hour; influencers are not paid.',
    condition: 'payment failure rate > 10% over 1 hour',
    signal: errorRate(
      'odoo',
      'Payment',
      'payment_processed',
      '"payout_id":"p-7","amount_cents":12000',
      60,
      10,
    ),
    correlationGroup: 'external_services',
    security: false,
    suppressedByMaintenance: true,
    confirmation: { count: 1, windowMinutes: 0 },
    runbook: 'runbooks/payment_failures.md',
    source: SEED_METRICS,
  },
  {
    name: 'N8N_Critical_Workflow_Failure_Count',
    kind: 'incident',
    component: 'n8n',
    severity: 'High',
    description: 'A critical n8n workflow failed more than 3 times in 1 hour.',
    condition: 'critical workflow execution failures > 3 in 1 hour',
    signal: {
      type: 'log-metric',
      logMetric: logCount(
        'n8n',
        'CriticalWorkflowFailures',
        '{ $.event = "workflow_failed" && $.critical IS TRUE }',
        '{"event":"workflow_failed","workflow":"campaign_status_update","critical":true,"execution_id":"1234"}',
      ),
      comparison: '>',
      threshold: 3,
      evaluation: over(60),
    },
    correlationGroup: 'n8n_workflows',
    security: false,
    suppressedByMaintenance: true,
    confirmation: { count: 1, windowMinutes: 0 },
    runbook: 'runbooks/n8n_critical_workflow_failures.md',
    source: SEED_METRICS,
  },
  {
    name: 'Odoo_Backup_Failure',
    kind: 'backup',
    component: 'backup',
    severity: 'Critical',
    description: 'The last backup job of the Odoo database or filestore failed.',
    condition: 'AWS Backup job state FAILED, ABORTED or EXPIRED',
    signal: {
      type: 'metric',
      metric: {
        namespace: 'AWS/Backup',
        metricName: 'NumberOfBackupJobsFailed',
        dimensions: { BackupVaultName: 'backup-vault' },
        statistic: 'Sum',
      },
      comparison: '>',
      threshold: 0,
      evaluation: over(60),
    },
    alsoFromEvents: {
      source: 'aws.backup',
      detailTypes: ['Backup Job State Change'],
      states: ['FAILED', 'ABORTED', 'EXPIRED'],
    },
    correlationGroup: 'backup_status',
    security: false,
    suppressedByMaintenance: false,
    confirmation: { count: 1, windowMinutes: 0 },
    runbook: 'runbooks/odoo_backup_failure.md',
    source: SEED,
  },
  {
    name: 'SSL_Certificate_Expiry_Warning',
    kind: 'incident',
    component: 'odoo',
    severity: 'High',
    description: 'The certificate of the Odoo endpoint expires in less than 14 days.',
    condition: 'ACM DaysToExpiry < 14',
    signal: {
      type: 'metric',
      metric: {
        namespace: 'AWS/CertificateManager',
        metricName: 'DaysToExpiry',
        dimensions: { CertificateArn: 'certificate:odoo' },
        statistic: 'Minimum',
      },
      comparison: '<',
      threshold: 14,
      evaluation: {
        periodSeconds: 86400,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: 'missing',
      },
    },
    correlationGroup: 'certificates',
    security: false,
    suppressedByMaintenance: false,
    confirmation: { count: 1, windowMinutes: 0 },
    runbook: 'runbooks/ssl_certificate_expiry.md',
    source: SEED_METRICS,
  },
  {
    name: 'Admin_Account_Multiple_Failed_Logins',
    kind: 'incident',
    component: 'security',
    severity: 'Critical',
    description: 'More than 5 failed login attempts for an admin account from the same IP in 15 minutes.',
    condition: 'failed admin logins from one IP for one account > 5 in 15 minutes',
    signal: {
      type: 'contributor',
      source: 'odoo',
      keys: ['$.ip', '$.login'],
      filters: [
        { match: '$.event', in: ['login_failed'] },
        { match: '$.admin', in: [true] },
      ],
      exampleLine:
        '{"event":"login_failed","login":"admin@influencegen.example.com","admin":true,"ip":"203.0.113.7"}',
      comparison: '>',
      threshold: 5,
      evaluation: over(15),
    },
    correlationGroup: 'security_incidents',
    security: true,
    suppressedByMaintenance: false,
    confirmation: { count: 1, windowMinutes: 0 },
    runbook: 'runbooks/security_admin_failed_logins.md',
    source: SEED,
  },
  {
    name: 'Odoo_UI_Page_Load_Time_P95_Baseline_Deviation',
    kind: 'incident',
    component: 'odoo',
    severity: 'Medium',
    description: "Odoo's p95 response time is above its learned baseline band for 10 minutes.",
    condition: 'ALB target response time p95 above its anomaly band for 10 minutes',
    signal: {
      type: 'anomaly',
      metric: {
        namespace: 'AWS/ApplicationELB',
        metricName: 'TargetResponseTime',
        dimensions: { LoadBalancer: 'alb', TargetGroup: 'target-group:odoo' },
        statistic: 'p95',
      },
      bandStandardDeviations: 3,
      evaluation: sustained(10, 'ignore'),
    },
    correlationGroup: 'odoo_performance',
    security: false,
    suppressedByMaintenance: true,
    confirmation: { count: 1, windowMinutes: 0 },
    runbook: 'runbooks/odoo_page_load_baseline.md',
    source: 'seed 004 Baseline Deviation Alerts',
  },
  {
    name: 'ECS_Service_Task_Placement_Failure',
    kind: 'incident',
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
    security: false,
    suppressedByMaintenance: true,
    confirmation: { count: 1, windowMinutes: 0 },
    runbook: 'runbooks/ecs_task_placement_failure.md',
    source: 'seed 001 "scaling event failed" alert; ECS service action events',
  },
];

/** The inputs of composite alarms: real alarms with no workflow of their own. */
const INTERNAL_ALARMS: InternalAlarm[] = [
  {
    name: 'AI_Serving_GPU_Idle',
    description: 'Fleet GPU utilization has been 0% for 5 minutes (missing data is not 0%).',
    signal: {
      type: 'metric',
      metric: {
        namespace: 'InfluenceGen/GPU',
        metricName: 'nvidia_smi_utilization_gpu',
        dimensions: { AutoScalingGroupName: 'asg:flux-gpu' },
        statistic: 'Maximum',
      },
      comparison: '<=',
      threshold: 0,
      evaluation: sustained(5, 'missing'),
    },
    inputOf: 'AI_Service_Stalled',
  },
  {
    name: 'AI_Generation_Queue_Waiting',
    description: 'Generation jobs have been waiting in the queue for 5 minutes.',
    signal: {
      type: 'metric',
      metric: generationQueueMetric('waiting', 'Minimum'),
      comparison: '>',
      threshold: 0,
      evaluation: sustained(5),
    },
    inputOf: 'AI_Service_Stalled',
  },
];

/**
 * The entries are typed with the schemas' output types, so every field is present; the schemas
 * themselves run at synth (lib/config/index.ts) and in the tests, not in the Lambda bundles.
 */
export const ALERT_CATALOGUE: readonly AlertDefinition[] = [
  ...ALERTS,
  ...SCALING_INCIDENTS,
  ...BACKUP_INCIDENTS,
  ...scaleAlerts(COMPONENT_POLICIES),
];
export const INTERNAL_ALARM_CATALOGUE: readonly InternalAlarm[] = INTERNAL_ALARMS;

/**
 * Cross-entry rules a schema cannot express. Runs at import, so a bad catalogue fails synth, the
 * Lambda bundles' tests and `ops catalog` alike.
 */
export function catalogueProblems(
  alerts: readonly AlertDefinition[],
  internal: readonly InternalAlarm[],
): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const alert of alerts) {
    if (names.has(alert.name)) problems.push(`${alert.name}: duplicate alert name`);
    names.add(alert.name);
  }
  for (const alarm of internal) {
    if (names.has(alarm.name)) problems.push(`${alarm.name}: internal alarm shares a name with an alert`);
  }
  for (const alert of alerts) {
    const at = (field: string, message: string) => problems.push(`${alert.name}.${field}: ${message}`);
    if (alert.parent) {
      const parent = alerts.find((a) => a.name === alert.parent);
      if (!parent) at('parent', `${alert.parent} is not in the catalogue`);
      else if (parent.parent) at('parent', `${alert.parent} has a parent itself; one level of parents only`);
    }
    if ((alert.security || alert.kind === 'backup') && alert.suppressedByMaintenance) {
      at(
        'suppressedByMaintenance',
        'security and backup alerts are never suppressed by a maintenance window',
      );
    }
    if (alert.signal.type === 'composite') {
      for (const input of alert.signal.allOf) {
        if (!internal.some((i) => i.name === input && i.inputOf === alert.name)) {
          at('signal.allOf', `${input} is not an internal alarm declared as an input of ${alert.name}`);
        }
      }
    }
    if (alert.confirmation.count > 1 && alert.confirmation.windowMinutes === 0) {
      at('confirmation.windowMinutes', 'more than one confirmation needs a window');
    }
  }
  return problems;
}

const problems = catalogueProblems(ALERT_CATALOGUE, INTERNAL_ALARM_CATALOGUE);
if (problems.length > 0) throw new Error(`Invalid alert catalogue:\n  ${problems.join('\n  ')}`);
