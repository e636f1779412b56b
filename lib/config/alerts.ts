import { BACKUP_INCIDENTS, BACKUP_INCIDENTS_SOURCE } from './backup-incidents';
import type {
  AlarmEvaluation,
  AlertDefinition,
  AlertSignal,
  InternalAlarm,
  LogMetricSpec,
  LogSource,
} from './alert-schema';
import {
  RUNTIME_ALERT_CATALOGUE,
  RUNTIME_INTERNAL_ALARMS,
  type AlarmSignalType,
  type RuntimeAlert,
  type RuntimeInternalAlarm,
  type RuntimeSignal,
} from './alert-runtime';
import { COMPONENT_POLICIES } from './components';
import { PROBE_ALERT_INFRASTRUCTURE, PROBE_INTERNAL_ALARM_INFRASTRUCTURE } from './probes-alerts';
import { EDGE_CATALOGUE_INFRASTRUCTURE } from './edge-blocking-alerts';
import { ROWS_ALERT_INFRASTRUCTURE } from './rows-alerts-infrastructure';
import { TICKETING_ALERT_INFRASTRUCTURE } from './ticketing-alert';
import { TICKETING_FAILURE_ALERT } from './ticketing-names';
import { PREDICTIVE_DISK_ALERT_NAME, PREDICTIVE_DISK_INFRASTRUCTURE } from './forecast-alerts';
import { generationQueueMetric } from './generation-queue';
import { scaleAlertInfrastructure } from './scale-alerts';
import { SCALING_INCIDENTS, SCALING_INCIDENTS_SOURCE } from './scaling-incidents';

/**
 * The alert catalogue: every alert of seed 004 ("Critical Metrics Alerts" and "Project Specific
 * Alerts Config") mapped to the AWS signal that carries it. Two evaluation patterns:
 * - "rate over N minutes" is one period of N minutes (sums of errors and calls over the window);
 * - "X for more than N minutes" is N one-minute periods, all breaching.
 * Application signals come from the workloads' logs through metric filters, one namespace per
 * workload (LOG_METRIC_NAMESPACES), and each filter matches a line the deployed software really
 * writes (see LOG_LINES below).
 * The catalogue is composed of two halves, one entry of each per alert: what the Lambda handlers
 * read (lib/config/alert-runtime.ts, the only half in their bundles) and the infrastructure below
 * (the alarm CatalogAlarms deploys, the seed it comes from), which only the constructs read.
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

/** What this module adds to an alert's entry in lib/config/alert-runtime.ts. */
export interface AlertInfrastructure {
  /**
   * The alarm that raises the alert; absent when events or a workflow raise it, whose signal the
   * runtime entry holds whole (the router matches events against it).
   */
  readonly signal?: AlertSignal;
  /** Where the alert comes from in the seeds, for reviewers. */
  readonly source: string;
}

/** Seed 004's alerts (SEED_ALERTS in lib/config/alert-runtime.ts), by name. */
const ALERT_INFRASTRUCTURE: Readonly<Record<string, AlertInfrastructure>> = {
  High_Odoo_N8N_API_Error_Rate: {
    signal: errorRate(
      addonCalls('OdooN8nApi', 'n8n_api_call', LOG_LINES.odooN8nCallOk, LOG_LINES.odooN8nCallError),
      5,
      5,
    ),
    source: SEED,
  },
  Odoo_N8N_API_P95_Latency: {
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
    source: SEED_METRICS,
  },
  High_N8N_AI_Service_API_Error_Rate: {
    signal: errorRate(
      generationCalls('N8nAiApi', 'ai_api_call', 'duration_ms', LOG_LINES.aiCallOk, LOG_LINES.aiCallError),
      10,
      10,
    ),
    source: SEED,
  },
  N8N_AI_Service_API_P95_Latency: {
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
    source: SEED_METRICS,
  },
  High_N8N_Odoo_Callback_Error_Rate: {
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
    source: SEED,
  },
  AI_Image_Generation_Failure_Rate: {
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
    source: SEED_METRICS,
  },
  High_AI_Image_Generation_P95_Latency: {
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
    source: SEED,
  },
  N8N_Workflow_Queue_Length: {
    signal: {
      type: 'metric',
      metric: generationQueueMetric('waiting', 'Maximum'),
      comparison: '>',
      threshold: 100,
      evaluation: sustained(10),
    },
    source: SEED_METRICS,
  },
  Odoo_Server_High_CPU: {
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
    source: SEED,
  },
  Odoo_Server_Memory_Utilization: {
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
    source: SEED_METRICS,
  },
  Odoo_Server_Low_Disk_Space: {
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
    source: SEED,
  },
  [PREDICTIVE_DISK_ALERT_NAME]: PREDICTIVE_DISK_INFRASTRUCTURE,
  N8N_Server_CPU_Utilization: {
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
    source: SEED_METRICS,
  },
  AI_Service_Stalled: {
    signal: { type: 'composite', allOf: ['AI_Serving_GPU_Idle', 'AI_Generation_Queue_Waiting'] },
    source: 'seed 004 Compound Conditions (AI_Service_Stalled)',
  },
  PostgreSQL_Unavailable: {
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
    source: 'seed 004 Topology Based Correlation (DB down)',
  },
  Odoo_Database_Connection_Errors: {
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
    source: 'seed 004 Topology Based Correlation (Odoo cannot connect to DB)',
  },
  PostgreSQL_Slow_Queries_Count: {
    signal: {
      type: 'log-metric',
      // log_min_duration_statement is 5000 ms (DataStack), so every duration line is a slow query;
      // PostgreSQL writes it as `<prefix>LOG:  duration: <ms> ms  statement: ...`.
      logMetric: logCount('postgresql', 'SlowQueries', '"LOG:  duration:"', LOG_LINES.slowQuery),
      comparison: '>',
      threshold: 10,
      evaluation: over(5),
    },
    source: SEED_METRICS,
  },
  PostgreSQL_High_Connection_Usage: {
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
    source: SEED,
  },
  KYC_Service_Outage: {
    signal: errorRate(addonCalls('KycApi', 'kyc_call', LOG_LINES.kycCallOk, LOG_LINES.kycCallError), 15, 20),
    source: SEED,
  },
  Payment_Processing_Failure_Rate: {
    signal: errorRate(
      addonCalls('Payment', 'payment_processed', LOG_LINES.paymentDone, LOG_LINES.paymentError),
      60,
      10,
    ),
    source: SEED_METRICS,
  },
  N8N_Critical_Workflow_Failure_Count: {
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
    source: SEED_METRICS,
  },
  Odoo_Backup_Failure: {
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
    source: SEED,
  },
  SSL_Certificate_Expiry_Warning: {
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
    source: SEED_METRICS,
  },
  Admin_Account_Multiple_Failed_Logins: {
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
    source: SEED,
  },
  Odoo_UI_Page_Load_Time_P95_Baseline_Deviation: {
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
    source: 'seed 004 Baseline Deviation Alerts',
  },
  ECS_Service_Task_Placement_Failure: {
    source: 'seed 001 "scaling event failed" alert; ECS service action events',
  },
};

/**
 * The inputs of composite alarms: real alarms with no workflow of their own. Their names and the
 * composite each is an input of are RUNTIME_INTERNAL_ALARMS (the router ignores their state changes).
 */
const INTERNAL_ALARM_INFRASTRUCTURE: Readonly<Record<string, Pick<InternalAlarm, 'description' | 'signal'>>> =
  {
    AI_Serving_GPU_Idle: {
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
    },
    AI_Generation_Queue_Waiting: {
      description: 'Generation jobs have been waiting in the queue for 5 minutes.',
      signal: {
        type: 'metric',
        metric: generationQueueMetric('waiting', 'Minimum'),
        comparison: '>',
        threshold: 0,
        evaluation: sustained(5),
      },
    },
  };

/** Every alert's infrastructure, by name: seed 004's, the workflows' incidents, the scale alarms. */
const INFRASTRUCTURE: Readonly<Record<string, AlertInfrastructure>> = {
  ...ALERT_INFRASTRUCTURE,
  ...ROWS_ALERT_INFRASTRUCTURE,
  ...EDGE_CATALOGUE_INFRASTRUCTURE,
  [TICKETING_FAILURE_ALERT]: TICKETING_ALERT_INFRASTRUCTURE,
  ...Object.fromEntries(SCALING_INCIDENTS.map((a) => [a.name, { source: SCALING_INCIDENTS_SOURCE }])),
  ...Object.fromEntries(BACKUP_INCIDENTS.map((a) => [a.name, { source: BACKUP_INCIDENTS_SOURCE }])),
  ...scaleAlertInfrastructure(COMPONENT_POLICIES),
  ...PROBE_ALERT_INFRASTRUCTURE,
};

const raisedByAlarm = (signal: RuntimeSignal): signal is { readonly type: AlarmSignalType } =>
  signal.type !== 'event' && signal.type !== 'workflow';

/**
 * The full catalogue entries: each runtime entry with its infrastructure, the alarm's signal in
 * place of the runtime's `{type}`. Problems: an alert with no infrastructure or infrastructure of
 * no alert, an alarm with no signal, a signal where events or a workflow raise the alert, and a
 * signal of another type than the runtime entry says.
 */
export function composeAlerts(
  runtime: readonly RuntimeAlert[],
  infrastructure: Readonly<Record<string, AlertInfrastructure>>,
): { alerts: AlertDefinition[]; problems: string[] } {
  const alerts: AlertDefinition[] = [];
  const problems: string[] = [];
  for (const alert of runtime) {
    const { name, signal: raisedBy } = alert;
    const extra = infrastructure[name];
    const at = (message: string) => problems.push(`${name}.signal: ${message}`);
    if (!extra) {
      problems.push(`${name}: no infrastructure in lib/config/alerts.ts`);
      continue;
    }
    let signal: AlertSignal;
    if (raisedByAlarm(raisedBy)) {
      if (!extra.signal) {
        at(`a ${raisedBy.type} alarm, with no signal in lib/config/alerts.ts`);
        continue;
      }
      if (extra.signal.type !== raisedBy.type) {
        at(`${extra.signal.type} in lib/config/alerts.ts, ${raisedBy.type} in lib/config/alert-runtime.ts`);
        continue;
      }
      signal = extra.signal;
    } else {
      if (extra.signal) {
        at(
          `raised by ${raisedBy.type === 'event' ? 'events' : 'a workflow'}, yet lib/config/alerts.ts gives it an alarm`,
        );
        continue;
      }
      signal = raisedBy;
    }
    alerts.push({ ...alert, signal, source: extra.source });
  }
  for (const name of Object.keys(infrastructure))
    if (!runtime.some((a) => a.name === name))
      problems.push(`${name}: infrastructure of no alert in lib/config/alert-runtime.ts`);
  return { alerts, problems };
}

/** The full internal alarms: each runtime entry with its description and signal. */
export function composeInternalAlarms(
  runtime: readonly RuntimeInternalAlarm[],
  infrastructure: Readonly<Record<string, Pick<InternalAlarm, 'description' | 'signal'>>>,
): { alarms: InternalAlarm[]; problems: string[] } {
  const alarms: InternalAlarm[] = [];
  const problems: string[] = [];
  for (const { name, inputOf } of runtime) {
    const extra = infrastructure[name];
    if (extra) alarms.push({ name, description: extra.description, signal: extra.signal, inputOf });
    else problems.push(`${name}: internal alarm with no signal in lib/config/alerts.ts`);
  }
  for (const name of Object.keys(infrastructure))
    if (!runtime.some((a) => a.name === name))
      problems.push(`${name}: signal of no internal alarm in lib/config/alert-runtime.ts`);
  return { alarms, problems };
}

const composed = composeAlerts(RUNTIME_ALERT_CATALOGUE, INFRASTRUCTURE);

/**
 * The entries are typed with the schemas' output types, so every field is present; the schemas
 * themselves run at synth (lib/config/index.ts) and in the tests, not in the Lambda bundles.
 */
export const ALERT_CATALOGUE: readonly AlertDefinition[] = composed.alerts;
const composedInternal = composeInternalAlarms(RUNTIME_INTERNAL_ALARMS, {
  ...INTERNAL_ALARM_INFRASTRUCTURE,
  ...PROBE_INTERNAL_ALARM_INFRASTRUCTURE,
});
export const INTERNAL_ALARM_CATALOGUE: readonly InternalAlarm[] = composedInternal.alarms;

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

const problems = [
  ...composed.problems,
  ...composedInternal.problems,
  ...catalogueProblems(ALERT_CATALOGUE, INTERNAL_ALARM_CATALOGUE),
];
if (problems.length > 0) throw new Error(`Invalid alert catalogue:\n  ${problems.join('\n  ')}`);
