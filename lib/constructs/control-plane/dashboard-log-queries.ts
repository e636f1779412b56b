import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { LogSource } from '../../config/alert-schema';
import { GRID } from './dashboard-grid';

/**
 * The newest errors, as Logs Insights tables: the first thing to read once a graph shows that
 * something fails. Every table is newest first and holds the last NEWEST_ERRORS_LIMIT lines.
 */

/** A Logs Insights query reads at most this many log groups (a CloudWatch Logs quota). */
const LOGS_INSIGHTS_MAX_LOG_GROUPS = 50;

/**
 * Rows per table: enough to tell one failure repeating from many different ones; Logs Insights
 * (linked from the control-plane dashboard's Newest errors heading) reads further back.
 */
const NEWEST_ERRORS_LIMIT = 20;

/** A table's height in grid units (a layout choice); the table scrolls to the rows below. */
const TABLE_HEIGHT = 6;

/**
 * The lines of each workload log that report an error, as the deployed software writes them (the
 * formats of lib/config/alerts.ts's LOG_LINES; test/fixtures/log-lines holds real examples):
 * - Odoo: `<asctime> <pid> ERROR|CRITICAL <db> <logger>: ...`, the first line of a Python
 *   traceback, a failed database connection (which Odoo logs at INFO before re-raising), and the
 *   influencegen_signals addon's failed calls (`"outcome":"error"`).
 * - n8n (N8N_LOG_FORMAT=json): winston's `"level":"error"`, executions that finished without
 *   success (`"success":false`), and the generation workflow's failed signal lines, plain
 *   (`influencegen_signal ai_api_call error 30004`) or quoted by the task runner.
 * - Flux workers: Python logging's ERROR/CRITICAL and tracebacks.
 * - PostgreSQL (log_line_prefix `%t:%r:%u@%d:[%p]:`): ERROR, FATAL and PANIC messages.
 * Written in the regular-expression subset Logs Insights and JavaScript share (no `/`, no flags).
 * test/infra/dashboard-log-queries.test.ts holds them against every fixture line the catalogue's
 * error and failure metrics count, and against the lines of successful calls.
 */
export const WORKLOAD_ERROR_LINES: Readonly<Record<LogSource, RegExp>> = {
  odoo: / (ERROR|CRITICAL) |Traceback \(most recent call last\)|odoo\.sql_db: Connection to the database failed|"outcome":"error"/,
  n8n: /"level":"error"|"success":false|influencegen_signal'? '?[a-z_]+'? '?error'? [0-9]/,
  'flux-gpu': /ERROR|CRITICAL|Traceback \(most recent call last\)/,
  postgresql: /:(ERROR|FATAL|PANIC): /,
};

function table(
  title: string,
  logGroups: readonly logs.ILogGroup[],
  queryLines: string[],
  width: number = GRID.half,
): cloudwatch.LogQueryWidget {
  if (logGroups.length > LOGS_INSIGHTS_MAX_LOG_GROUPS)
    throw new Error(
      `${title}: ${logGroups.length} log groups; one Logs Insights query reads ${LOGS_INSIGHTS_MAX_LOG_GROUPS}`,
    );
  return new cloudwatch.LogQueryWidget({
    title,
    logGroupNames: logGroups.map((g) => g.logGroupName),
    view: cloudwatch.LogQueryVisualizationType.TABLE,
    queryLines: [...queryLines, 'sort @timestamp desc', `limit ${NEWEST_ERRORS_LIMIT}`],
    width,
    height: TABLE_HEIGHT,
  });
}

/**
 * The control-plane functions' errors. They log Powertools Logger JSON (`level`, `message`,
 * `error.message`, lambdas/aws/deps.ts); an uncaught exception is Lambda's own JSON line (level
 * ERROR, `errorMessage`); a timeout is the platform's runtimeDone record with status timeout, where
 * the functions' system log level lets it through.
 */
export function functionErrors(
  title: string,
  logGroups: readonly logs.ILogGroup[],
): cloudwatch.LogQueryWidget {
  return table(title, logGroups, [
    'fields @timestamp, @log, level, message, coalesce(error.message, errorMessage) as errorText',
    "filter level in ['ERROR', 'CRITICAL'] or record.status = 'timeout'",
  ]);
}

/** Workflow executions that failed, timed out or were aborted (the state machines log every event). */
export function workflowFailures(
  title: string,
  logGroups: readonly logs.ILogGroup[],
): cloudwatch.LogQueryWidget {
  return table(title, logGroups, [
    'fields @timestamp, @log, type, execution_arn, details.error as failure, details.cause as failureCause',
    "filter type in ['ExecutionFailed', 'ExecutionTimedOut', 'ExecutionAborted']",
  ]);
}

/**
 * The error lines of workload logs, each log read with its own pattern: one log is filtered by its
 * pattern; several by `(@log like '<its name>' and @message like /<its pattern>/) or ...` (@log is
 * `<account>:<log group name>`, and no workload log group's name contains another's).
 */
export function workloadErrors(
  title: string,
  logGroups: Partial<Readonly<Record<LogSource, logs.ILogGroup>>>,
  width?: number,
): cloudwatch.LogQueryWidget {
  const sources = (Object.keys(logGroups) as LogSource[]).flatMap((source) => {
    const group = logGroups[source];
    return group ? [{ group, pattern: `@message like /${WORKLOAD_ERROR_LINES[source].source}/` }] : [];
  });
  const [only] = sources;
  const filter =
    sources.length === 1 && only
      ? only.pattern
      : sources
          .map(({ group, pattern }) => `(@log like '${group.logGroupName}' and ${pattern})`)
          .join(' or ');
  return table(
    title,
    sources.map((s) => s.group),
    [`fields @timestamp, ${sources.length > 1 ? '@log, ' : ''}@logStream, @message`, `filter ${filter}`],
    width,
  );
}
