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
 * Application signals come from the workloads' logs through metric filters, one namespace per
 * workload (LOG_METRIC_NAMESPACES), and each filter matches a line the deployed software really
 * writes (see LOG_LINES below).
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

/*
 * The log lines the application alarms read, exactly as their writers print them. Each one's origin
 * (source file and call, or the command that produced it) is in test/fixtures/log-lines/<alert>.json,
 * and test/config/log-signals.test.ts matches every filter below against those lines and near misses.
 * - Stock Odoo 18: its text format `%(asctime)s %(pid)s %(levelname)s %(dbname)s %(name)s:
 *   %(message)s %(perf_info)s` (odoo/netsvc.py; perf_info is empty outside werkzeug's lines).
 * - The influencegen_signals Odoo addon (platform/odoo/addons/influencegen_signals): one JSON object
 *   a line on standard output, apart from Odoo's own handler.
 * - n8n 1.x with N8N_LOG_FORMAT=json: winston JSON lines `{"level","message","metadata"}`.
 * - The generation workflow's Code node (platform/n8n/workflows/generation-signal.js): n8n prints its
 *   console.log as `[Workflow "<id>"][Node "<name>"] influencegen_signal <event> <outcome> <ms>`, with
 *   the strings quoted ('ai_api_call') when Code nodes run in task runners.
 * - RDS PostgreSQL: log_line_prefix `%t:%r:%u@%d:[%p]:`, log_min_duration_statement 5000 ms (the
 *   example was written by a PostgreSQL 15 server started with those settings).
 */
const LOG_LINES = {
  odooN8nCallOk:
    '{"event":"n8n_api_call","method":"POST","host":"n8n.prod.influencegen.internal","path":"/webhook/ai-generation","status":200,"duration_ms":182,"outcome":"ok"}',
  odooN8nCallError:
    '{"event":"n8n_api_call","method":"POST","host":"n8n.prod.influencegen.internal","path":"/webhook/ai-generation","status":502,"duration_ms":1354,"outcome":"error"}',
  kycCallOk:
    '{"event":"kyc_call","method":"POST","host":"api.kyc-provider.example","path":"/v2/verifications","status":201,"duration_ms":640,"outcome":"ok"}',
  kycCallError:
    '{"event":"kyc_call","method":"POST","host":"api.kyc-provider.example","path":"/v2/verifications","status":null,"duration_ms":2500,"outcome":"error","error":"ConnectTimeout"}',
  paymentDone:
    '{"event":"payment_processed","reference":"PAYOUT/2026/00042-1","provider":"stripe","operation":"online_direct","state":"done","outcome":"ok"}',
  paymentError:
    '{"event":"payment_processed","reference":"PAYOUT/2026/00043-1","provider":"stripe","operation":"online_direct","state":"error","outcome":"error"}',
  adminLoginFailed:
    '{"event":"login_failed","db":"influencegen","login":"admin@influencegen.example.com","account":"admin","ip":"203.0.113.7"}',
  aiCallOk: '[Workflow "Wk3pQa9LmZc2XyT1"][Node "Signal ai_api_call"] influencegen_signal ai_api_call ok 950',
  aiCallError:
    "[Workflow \"Wk3pQa9LmZc2XyT1\"][Node \"Signal ai_api_call\"] 'influencegen_signal' 'ai_api_call' 'error' 30004",
  callbackOk:
    '[Workflow "Wk3pQa9LmZc2XyT1"][Node "Signal odoo_callback"] influencegen_signal odoo_callback ok 120',
  callbackError:
    '[Workflow "Wk3pQa9LmZc2XyT1"][Node "Signal odoo_callback"] influencegen_signal odoo_callback error 61',
  generationOk:
    '[Workflow "Wk3pQa9LmZc2XyT1"][Node "Signal generation_finished"] influencegen_signal generation_finished ok 18500',
  generationError:
    "[Workflow \"Wk3pQa9LmZc2XyT1\"][Node \"Signal generation_finished\"] 'influencegen_signal' 'generation_finished' 'error' 31250",
  workflowFailed:
    '{"level":"info","message":"Worker finished execution 48213 (job 5171)","metadata":{"executionId":"48213","file":"job-processor.js","function":"processJob","jobId":"5171","success":false,"timestamp":"2026-12-03T14:50:08.346Z","workflowId":"Wk3pQa9LmZc2XyT1"}}',
  odooDatabaseConnectionFailed:
    '2026-11-23 10:00:00,412 27 INFO influencegen odoo.sql_db: Connection to the database failed ',
  slowQuery:
    '2026-12-03 14:51:18 UTC:127.0.0.1(60222):postgres@postgres:[12800]:LOG:  duration: 5105.287 ms  statement: SELECT pg_sleep(5.1)',
} as const;

/** A count of matching lines. */
function logCount(
  source: LogSource,
  metricName: string,
  filterPattern: string,
  exampleLine: string,
): LogMetricSpec {
  return { source, metricName, filterPattern, value: '1', exampleLine, statistic: 'Sum' };
}
/** A number taken from each matching line: `$.field` (JSON) or `$field` (space-delimited). */
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

interface CallMetrics {
  readonly calls: LogMetricSpec;
  readonly errors: LogMetricSpec;
}

/** The error-rate pattern: errors / calls over a window, as a percentage. */
function errorRate({ calls, errors }: CallMetrics, minutes: number, percent: number) {
  return {
    type: 'metric-math' as const,
    expression: '100 * errors / MAX([calls, 1])',
    metrics: { errors, calls },
    comparison: '>' as const,
    threshold: percent,
    evaluation: over(minutes),
  };
}

/** Calls the Odoo addon records (`{"event":"<event>",...,"outcome":"ok|error"}`): all, and failed. */
const addonEvent = (event: string) => `{ $.event = "${event}" }`;
function addonCalls(prefix: string, event: string, ok: string, error: string): CallMetrics {
  return {
    calls: logCount('odoo', `${prefix}Calls`, addonEvent(event), ok),
    errors: logCount('odoo', `${prefix}Errors`, `{ $.event = "${event}" && $.outcome = "error" }`, error),
  };
}

/**
 * The generation signal line's last four space-separated fields; the wildcards accept both n8n's
 * plain form (`ai_api_call`) and the task runner's quoted one (`'ai_api_call'`).
 */
function generationSignal(event: string, valueField: string, outcome?: 'ok' | 'error'): string {
  const outcomeField = outcome === undefined ? 'outcome' : `outcome = *${outcome}*`;
  return `[..., marker = *influencegen_signal*, event = *${event}*, ${outcomeField}, ${valueField}]`;
}
function generationCalls(
  prefix: string,
  event: string,
  valueField: string,
  ok: string,
  error: string,
): CallMetrics {
  return {
    calls: logCount('n8n', `${prefix}Calls`, generationSignal(event, valueField), ok),
    errors: logCount('n8n', `${prefix}Errors`, generationSignal(event, valueField, 'error'), error),
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
      addonCalls('OdooN8nApi', 'n8n_api_call', LOG_LINES.odooN8nCallOk, LOG_LINES.odooN8nCallError),
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
        addonEvent('n8n_api_call'),
        '$.duration_ms',
        LOG_LINES.odooN8nCallOk,
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
    signal: errorRate(
      generationCalls('N8nAiApi', 'ai_api_call', 'duration_ms', LOG_LINES.aiCallOk, LOG_LINES.aiCallError),
      10,
      10,
    ),
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
        generationSignal('ai_api_call', 'duration_ms'),
        '$duration_ms',
        LOG_LINES.aiCallOk,
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
      generationCalls(
        'N8nOdooCallback',
        'odoo_callback',
        'duration_ms',
        LOG_LINES.callbackOk,
        LOG_LINES.callbackError,
      ),
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
      generationCalls(
        'Generation',
        'generation_finished',
        'total_ms',
        LOG_LINES.generationOk,
        LOG_LINES.generationError,
      ),
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
      // Successful generations only: a failure's time says nothing about how long images take.
      logMetric: logValue(
        'n8n',
        'GenerationLatency',
        generationSignal('generation_finished', 'total_ms', 'ok'),
        '$total_ms',
        LOG_LINES.generationOk,
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
      // odoo/sql_db.py ConnectionPool.borrow logs this (INFO) for every failed psycopg2.connect, then
      // re-raises; the traceback lines that follow are not counted again.
      logMetric: logCount(
        'odoo',
        'OdooDatabaseConnectionErrors',
        '"odoo.sql_db: Connection to the database failed"',
        LOG_LINES.odooDatabaseConnectionFailed,
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
      // log_min_duration_statement is 5000 ms (DataStack), so every duration line is a slow query;
      // PostgreSQL writes it as `<prefix>LOG:  duration: <ms> ms  statement: ...`.
      logMetric: logCount('postgresql', 'SlowQueries', '"LOG:  duration:"', LOG_LINES.slowQuery),
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
    signal: errorRate(addonCalls('KycApi', 'kyc_call', LOG_LINES.kycCallOk, LOG_LINES.kycCallError), 15, 20),
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
      addonCalls('Payment', 'payment_processed', LOG_LINES.paymentDone, LOG_LINES.paymentError),
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
      // n8n's own queue-mode worker lines (dist/scaling/job-processor.js, scaling.service.js): an
      // execution that finished with errors, or whose job failed. Every production workflow on this
      // platform is an InfluenceGen integration workflow, so every one is critical.
      logMetric: logCount(
        'n8n',
        'CriticalWorkflowFailures',
        '{ ($.message = "Worker finished execution*" && $.metadata.success IS FALSE) || $.message = "Worker errored while running execution*" }',
        LOG_LINES.workflowFailed,
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
      // The addon's JSON line, not Odoo's text line `Login failed for db:... login:... from ...`: only
      // the addon knows whether the login is an administrator's (res.users._is_admin()).
      filters: [
        { match: '$.event', in: ['login_failed'] },
        { match: '$.account', in: ['admin'] },
      ],
      exampleLine: LOG_LINES.adminLoginFailed,
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
