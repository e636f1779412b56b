import {
  FILESTORE_HEARTBEAT_EVERY_SECONDS,
  FILESTORE_HEARTBEAT_FILE,
  FILESTORE_MARKER_FILE,
  FILESTORE_ROOT_DIRECTORY,
} from '../../../lib/config/filestore';
import { restoreDuration, type RestoreJobTimes } from './restore-job';
import type { RestoreVerdict } from './restore-validation';
import { timeOf } from './values';

/**
 * What a restore test of the Odoo filestore (EFS) proves at the data level: the restored file
 * system holds Odoo's data directory, with the marker the init task wrote (so it is Odoo's, of the
 * right database), its newest file (the heartbeat every Odoo task rewrites each minute) is within the
 * filestore's objective of the recovery point, and the restore took no longer than the RTO.
 */

/** AWS Backup restores a whole EFS file system into a directory of this prefix off the new root. */
export const RESTORE_DIRECTORY_PREFIX = 'aws-backup-restore_';

/** What the validation function read on the mounted copy (lambdas/filestore-restore-validate). */
export interface RestoredFilestore {
  /** Odoo's data directory on the restored file system, relative to its root; null when none was found. */
  readonly dataDir: string | null;
  /** The restored root's entries, named in the message when no data directory is found. */
  readonly topLevel: readonly string[];
  readonly marker:
    | { readonly state: 'missing' }
    | { readonly state: 'unreadable'; readonly reason: string }
    | { readonly state: 'present'; readonly text: string };
  /** The heartbeat file's modification time; null when it is missing. */
  readonly heartbeatAt: Date | null;
}

export interface FilestoreObjectives {
  /** The filestore's recovery point objective (its backup interval). */
  readonly objectiveMinutes: number;
  readonly rtoHours: number;
  /** The Odoo database whose filestore this is: the marker must name it. */
  readonly database: string;
}

/**
 * Where Odoo's data directory may be on a restored copy, most likely first: inside AWS Backup's
 * recovery directories (newest first: their names carry the restore's date and time), then at the
 * root as on the live file system.
 */
export function dataDirCandidates(topLevel: readonly string[]): string[] {
  const root = FILESTORE_ROOT_DIRECTORY.replace(/^\/+/, '');
  const recovery = topLevel
    .filter((name) => name.startsWith(RESTORE_DIRECTORY_PREFIX))
    .sort()
    .reverse();
  return [...recovery.map((dir) => `${dir}/${root}`), root];
}

/** The init task's marker: `{"database": ..., "writtenAt": ISO-8601}`. */
export function parseMarker(
  text: string,
): { readonly database: string; readonly writtenAt: Date } | { readonly problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: 'is not JSON' };
  }
  const marker = parsed as { database?: unknown; writtenAt?: unknown } | null;
  if (typeof marker !== 'object' || marker === null) return { problem: 'is not a JSON object' };
  const writtenAt = typeof marker.writtenAt === 'string' ? timeOf(marker.writtenAt) : undefined;
  if (typeof marker.database !== 'string' || marker.database === '') return { problem: 'names no database' };
  if (!writtenAt) return { problem: 'has no readable writtenAt' };
  return { database: marker.database, writtenAt };
}

export function judgeRestoredFilestore(
  restored: RestoredFilestore,
  job: RestoreJobTimes,
  objectives: FilestoreObjectives,
): RestoreVerdict {
  const { restoreMinutes, withinRto, problem: slow } = restoreDuration(job, objectives.rtoHours);
  const problems: string[] = [];
  const found: string[] = [];
  if (restored.dataDir === null) {
    const entries = restored.topLevel.length > 0 ? restored.topLevel.slice(0, 10).join(', ') : 'nothing';
    problems.push(
      `no Odoo data directory (${FILESTORE_ROOT_DIRECTORY}) on the restored file system; its root holds ${entries}`,
    );
  } else {
    const marker = restored.marker;
    if (marker.state === 'missing')
      problems.push(`marker ${FILESTORE_MARKER_FILE} missing: not Odoo's filestore`);
    else if (marker.state === 'unreadable')
      problems.push(`marker ${FILESTORE_MARKER_FILE} unreadable: ${marker.reason}`);
    else {
      const parsed = parseMarker(marker.text);
      if ('problem' in parsed) problems.push(`marker ${FILESTORE_MARKER_FILE} ${parsed.problem}`);
      else if (parsed.database !== objectives.database)
        problems.push(`marker names database ${parsed.database}, not ${objectives.database}`);
      else found.push(`marker of database ${parsed.database} (written ${parsed.writtenAt.toISOString()})`);
    }
    if (restored.heartbeatAt === null)
      problems.push(
        `heartbeat ${FILESTORE_HEARTBEAT_FILE} missing: no Odoo task wrote to this file system (every task rewrites it each ${FILESTORE_HEARTBEAT_EVERY_SECONDS} s)`,
      );
    else {
      // Negative when the heartbeat was rewritten while the backup ran: the copy is newer still.
      const lagMinutes = Math.max(
        0,
        Math.round((job.recoveryPointCreatedAt.getTime() - restored.heartbeatAt.getTime()) / 60_000),
      );
      if (lagMinutes > objectives.objectiveMinutes)
        problems.push(
          `newest file (heartbeat ${restored.heartbeatAt.toISOString()}) is ${lagMinutes} min before the recovery point (objective ${objectives.objectiveMinutes} min)`,
        );
      else found.push(`heartbeat ${lagMinutes} min before the recovery point`);
    }
  }
  if (slow) problems.push(slow);
  const message =
    problems.length > 0
      ? problems.join('; ')
      : `Odoo filestore in ${restored.dataDir}: ${found.join('; ')}; restored in ${restoreMinutes} min (RTO ${objectives.rtoHours} h)`;
  return {
    status: problems.length > 0 ? 'FAILED' : 'SUCCESSFUL',
    message: message.slice(0, 1000),
    restoreMinutes,
    withinRto,
  };
}
