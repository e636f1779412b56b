import type { RuntimeAlert } from './alert-runtime';

/** Where the backup incidents come from in the seeds (lib/config/alerts.ts gives it each of them). */
export const BACKUP_INCIDENTS_SOURCE =
  'seed 003 RPO 15 min / RTO 4 h, automated backups with tested restores';

/** Raised by the backup-verification workflow itself: a restore test that did not pass (seed 003). */
export const BACKUP_INCIDENTS: RuntimeAlert[] = [
  {
    name: 'Backup_Restore_Test_Failed',
    kind: 'incident',
    component: 'backup',
    severity: 'High',
    description:
      'A scheduled restore test of the Odoo database failed: the restore did not complete, or the restored data does not pass validation.',
    condition:
      'restore job not COMPLETED, Odoo core tables missing, newest write older than the RPO before the recovery point, or restore slower than the RTO',
    signal: { type: 'workflow', raisedBy: 'backup-verification' },
    correlationGroup: 'backup_status',
    security: false,
    suppressedByMaintenance: false,
    confirmation: { count: 1, windowMinutes: 0 },
    runbook: 'runbooks/backup_restore_test_failed.md',
  },
];
