import { restoreDuration, type RestoreJobTimes } from './restore-job';

export type { RestoreJobTimes } from './restore-job';

/**
 * What a restore test proves at the data level (seed 003: "tested restores"): the restored
 * database holds Odoo's core tables, its newest write is within the RPO of the recovery point it
 * was restored from, and the restore took no longer than the RTO.
 */

/** Odoo's core tables: without them the database is not an Odoo database. */
export const ODOO_CORE_TABLES = [
  'res_company',
  'res_partner',
  'res_users',
  'ir_module_module',
  'ir_cron',
] as const;

/**
 * The database's newest write: the newest `write_date` of the records people change, and the
 * newest `lastcall` of Odoo's scheduled actions. The scheduler stamps `ir_cron.lastcall` each time
 * a job runs (with plain SQL, which leaves `write_date` alone), and some job runs every few
 * minutes even when nobody works, so a quiet night is not a stale backup.
 */
export const WRITE_CLOCK_COLUMN = {
  ir_cron: 'lastcall',
  res_partner: 'write_date',
  res_users: 'write_date',
} as const;
export const WRITE_CLOCK_TABLES = Object.keys(WRITE_CLOCK_COLUMN) as Array<keyof typeof WRITE_CLOCK_COLUMN>;

export interface RestoredDatabase {
  /** Which of the core tables exist. */
  readonly tables: readonly string[];
  /** The newest write_date among the write-clock tables; null when they hold no rows. */
  readonly newestWriteAt: Date | null;
}

export interface RestoreVerdict {
  readonly status: 'SUCCESSFUL' | 'FAILED';
  /** At most 1,000 characters: PutRestoreValidationResult's limit. */
  readonly message: string;
  readonly restoreMinutes: number;
  readonly withinRto: boolean;
}

export function judgeRestore(
  db: RestoredDatabase,
  job: RestoreJobTimes,
  objectives: { readonly rpoMinutes: number; readonly rtoHours: number },
): RestoreVerdict {
  const { restoreMinutes, withinRto, problem: slow } = restoreDuration(job, objectives.rtoHours);
  const problems: string[] = [];
  const missing = ODOO_CORE_TABLES.filter((t) => !db.tables.includes(t));
  if (missing.length > 0) problems.push(`Odoo core tables missing: ${missing.join(', ')}`);
  if (db.newestWriteAt === null) problems.push('no write found in ' + WRITE_CLOCK_TABLES.join(', '));
  else {
    const lagMinutes = Math.round(
      (job.recoveryPointCreatedAt.getTime() - db.newestWriteAt.getTime()) / 60_000,
    );
    if (lagMinutes > objectives.rpoMinutes)
      problems.push(
        `newest write ${db.newestWriteAt.toISOString()} is ${lagMinutes} min before the recovery point (RPO ${objectives.rpoMinutes} min)`,
      );
  }
  if (slow) problems.push(slow);
  const message =
    problems.length > 0
      ? problems.join('; ')
      : `Odoo core tables present; newest write ${db.newestWriteAt?.toISOString()}; restored in ${restoreMinutes} min (RTO ${objectives.rtoHours} h)`;
  return {
    status: problems.length > 0 ? 'FAILED' : 'SUCCESSFUL',
    message: message.slice(0, 1000),
    restoreMinutes,
    withinRto,
  };
}
