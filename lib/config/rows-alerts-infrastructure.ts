import type { AlertInfrastructure } from './alerts';

/**
 * The infrastructure half (lib/config/alerts.ts ALERT_INFRASTRUCTURE) of the alerts in
 * lib/config/rows-alerts.ts: the alarm each one is raised by, and where it comes from in the seeds.
 */

/** 10 GiB: five times RDS for PostgreSQL 16's default max_wal_size (2 GiB). */
export const WAL_RETAINED_ALERT_BYTES = 10 * 1024 ** 3;

/**
 * More than 20 refusals in 15 minutes. Seed 004 names the row but gives no figure; its security
 * alerts count over 15 minutes (failed admin logins: more than 5 in 15 minutes), and so does this.
 * A user who opens a menu they may not use causes a few refusals (one per list or read call the
 * screen makes), a user who keeps trying a handful more; 20 is past what mistakes make and well
 * under what a script walking record ids or models makes in 15 minutes.
 */
export const ACCESS_DENIED_ALERT = { refusals: 20, windowSeconds: 15 * 60 } as const;

/** The lines stock Odoo 18 writes, exactly (origins in test/fixtures/log-lines/Unauthorized_Access_Attempts.json). */
export const ACCESS_DENIED_LINES = {
  acl: '2026-11-23 10:00:00,412 27 INFO influencegen odoo.addons.base.models.ir_model: Access Denied by ACLs for operation: write, uid: 7, model: res.users ',
  rule: '2026-11-23 10:00:03,118 27 INFO influencegen odoo.addons.base.models.ir_rule: Access Denied by record rules for operation: read on record ids: [42], uid: 7, model: sale.order ',
} as const;

export const ROWS_ALERT_INFRASTRUCTURE: Readonly<Record<string, AlertInfrastructure>> = {
  PostgreSQL_Replication_Lag: {
    // The database is a Multi-AZ DB *instance* (lib/stacks/data-stack.ts): its standby is written
    // synchronously at the storage level and publishes no ReplicaLag, and there is no read replica.
    // What can lag behind the primary is the WAL leaving it: the 5-minute archive to S3 that
    // point-in-time recovery (the 15-minute RPO) replays, and any replication slot (DMS, a future
    // replica). Either one falling behind keeps WAL on the primary's disk, which
    // TransactionLogsDiskUsage measures for every RDS for PostgreSQL topology. Normal: up to about
    // max_wal_size (2 GiB). Seed 004's causal rule (low disk space -> replication lag) is this.
    signal: {
      type: 'metric',
      metric: {
        namespace: 'AWS/RDS',
        metricName: 'TransactionLogsDiskUsage',
        dimensions: { DBInstanceIdentifier: 'database' },
        statistic: 'Maximum',
      },
      comparison: '>',
      threshold: WAL_RETAINED_ALERT_BYTES,
      // Seed 004's causal detection window: 10 minutes, every one-minute datapoint breaching.
      evaluation: {
        periodSeconds: 60,
        evaluationPeriods: 10,
        datapointsToAlarm: 10,
        treatMissingData: 'missing',
      },
    },
    source:
      'seed 004 Monitoring Needs (Database Performance: Replication Lag); Causal Relationship Detection (PostgreSQL_Replication_Lag, High)',
  },
  Unauthorized_Access_Attempts: {
    signal: {
      type: 'log-metric',
      // Stock Odoo 18 logs every refusal once, at INFO, where it raises the AccessError
      // (ir.model.access for a model, ir.rule._make_access_error for records): one line with the
      // operation, the uid and the model, whatever the channel (web client, JSON-RPC, XML-RPC).
      // Failed logins are Admin_Account_Multiple_Failed_Logins's, not these.
      logMetric: {
        source: 'odoo',
        metricName: 'UnauthorizedAccessAttempts',
        // Both lines, and nothing else Odoo writes: a failed login says "Login failed",
        // AccessDenied's own text is "Access Denied" without "by".
        filterPattern: '"Access Denied by" "for operation:"',
        value: '1',
        exampleLine: ACCESS_DENIED_LINES.rule,
        statistic: 'Sum',
      },
      comparison: '>',
      threshold: ACCESS_DENIED_ALERT.refusals,
      evaluation: {
        periodSeconds: ACCESS_DENIED_ALERT.windowSeconds,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: 'notBreaching',
      },
    },
    source:
      'seed 004 Monitoring Needs (Security Events: Unauthorized Access Attempts); Severity Levels (High: potential security vulnerability)',
  },
};
