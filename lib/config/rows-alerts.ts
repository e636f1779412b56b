import type { RuntimeAlert } from './alert-runtime';

/**
 * Two of seed 004's catalogue gaps (issue 19), the runtime half (lib/config/alert-runtime.ts
 * SEED_ALERTS); their infrastructure is lib/config/rows-alerts-infrastructure.ts (the half the
 * Lambda bundles never import). Runbooks: runbooks/pgsql_replication_lag.md and
 * runbooks/security_unauthorized_access.md.
 */

export const ROWS_RUNTIME_ALERTS: RuntimeAlert[] = [
  {
    name: 'PostgreSQL_Replication_Lag',
    kind: 'incident',
    component: 'postgresql',
    severity: 'High',
    description:
      'Write-ahead log is piling up on the database instance (over 10 GiB for 10 minutes): the WAL archive that point-in-time recovery replays, or a replication slot, is falling behind, and the backlog is filling the disk.',
    condition: 'RDS TransactionLogsDiskUsage > 10 GiB for > 10 minutes',
    signal: { type: 'metric' },
    correlationGroup: 'db_performance',
    security: false,
    suppressedByMaintenance: true,
    confirmation: { count: 1, windowMinutes: 0 },
    runbook: 'runbooks/pgsql_replication_lag.md',
  },
  {
    name: 'Unauthorized_Access_Attempts',
    kind: 'incident',
    component: 'security',
    severity: 'High',
    description:
      'Odoo refused more than 20 operations in 15 minutes for lack of rights (access rules or record rules): someone is reaching for records or models they may not see.',
    condition: 'Odoo "Access Denied by ACLs / by record rules" > 20 in 15 minutes',
    signal: { type: 'log-metric' },
    correlationGroup: 'security_incidents',
    security: true,
    suppressedByMaintenance: false,
    confirmation: { count: 1, windowMinutes: 0 },
    runbook: 'runbooks/security_unauthorized_access.md',
  },
];
