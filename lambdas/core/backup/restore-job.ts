import type { ResourceId } from './types';
import { timeOf } from './values';

/**
 * A restore test's restore job as DescribeRestoreJob returns it, read the same way for every
 * resource: whether there is anything to validate, and the times the validation judges against.
 */

/** PutRestoreValidationResult's statuses this workflow reports (VALIDATING is never final). */
export type ValidationStatus = 'SUCCESSFUL' | 'FAILED' | 'TIMED_OUT';

/** What a restore test's validation concluded: reported to AWS Backup, recorded, escalated. */
export interface RestoreValidateResult {
  readonly restoreJobId: string;
  /** The protected resource the restore test restored. */
  readonly resourceId: ResourceId;
  readonly status: ValidationStatus;
  /** At most 1,000 characters: PutRestoreValidationResult's limit. */
  readonly message: string;
  /** Whether AWS Backup takes a validation result for this job (only a COMPLETED restore does). */
  readonly report: boolean;
  readonly restoreMinutes: number | null;
  /**
   * What the test could not remove from the restored resource (an EFS file system's mount targets
   * or access points): AWS Backup cannot delete the restored copy until someone does.
   */
  readonly leftBehind?: string;
}

export interface RestoreJobTimes {
  /**
   * The moment the restored data should reach: a snapshot's creation time; for a continuous
   * (point-in-time) recovery point, the start of the restore, which restores to the latest point.
   */
  readonly recoveryPointCreatedAt: Date;
  readonly restoreStartedAt: Date;
  readonly restoreCompletedAt: Date;
}

export type RestoreJobReading =
  | { readonly kind: 'ended'; readonly result: RestoreValidateResult }
  | { readonly kind: 'restored'; readonly jobId: string; readonly times: RestoreJobTimes };

/**
 * `ended`: nothing to read (the job did not complete: AWS Backup takes no validation for it; or it
 * completed without its times: reported FAILED). `restored`: the times to judge the data against.
 */
export function readRestoreJob(job: Record<string, unknown>, resourceId: ResourceId): RestoreJobReading {
  const jobId = String(job.RestoreJobId ?? '?');
  const status = String(job.Status ?? 'UNKNOWN');
  const started = timeOf(job.CreationDate);
  const completed = timeOf(job.CompletionDate);
  // A continuous recovery point restores to the latest restorable time, about the restore's start.
  const continuous = String(job.RecoveryPointArn ?? '').includes(':continuous:');
  const pointAt = continuous ? started : timeOf(job.RecoveryPointCreationDate);
  const ended = (message: string, report: boolean): RestoreJobReading => ({
    kind: 'ended',
    result: { restoreJobId: jobId, resourceId, status: 'FAILED', message, report, restoreMinutes: null },
  });
  if (status !== 'COMPLETED')
    return ended(
      `restore job ${jobId} ended ${status}${job.StatusMessage ? `: ${String(job.StatusMessage)}` : ''}`.slice(
        0,
        1000,
      ),
      false,
    );
  if (!started || !completed || !pointAt) return ended(`restore job ${jobId} lacks its times`, true);
  return {
    kind: 'restored',
    jobId,
    times: { recoveryPointCreatedAt: pointAt, restoreStartedAt: started, restoreCompletedAt: completed },
  };
}

/** The restore's duration against the RTO (seed 003), the same for every resource. */
export function restoreDuration(
  times: RestoreJobTimes,
  rtoHours: number,
): { readonly restoreMinutes: number; readonly withinRto: boolean; readonly problem: string | null } {
  const restoreMinutes = Math.round(
    (times.restoreCompletedAt.getTime() - times.restoreStartedAt.getTime()) / 60_000,
  );
  const withinRto = restoreMinutes <= rtoHours * 60;
  return {
    restoreMinutes,
    withinRto,
    problem: withinRto ? null : `the restore took ${restoreMinutes} min, beyond the ${rtoHours} h RTO`,
  };
}

/** What a data-level check of a restored resource concluded. */
export interface RestoredDataVerdict {
  readonly status: ValidationStatus;
  readonly message: string;
  readonly restoreMinutes: number | null;
}

/**
 * The one shape of every restore test's validation: a job with nothing to read ends as read; a
 * restored one is judged by `judge`, and a restored copy that cannot be read is FAILED, saying
 * `where` it was read from (AWS Backup keeps 1,000 characters of the message).
 */
export async function validateRestoredData(
  reading: RestoreJobReading,
  resourceId: ResourceId,
  where: string,
  judge: (times: RestoreJobTimes) => Promise<RestoredDataVerdict>,
): Promise<RestoreValidateResult> {
  if (reading.kind === 'ended') return reading.result;
  const job = { restoreJobId: reading.jobId, resourceId, report: true };
  try {
    const { status, message, restoreMinutes } = await judge(reading.times);
    return { ...job, status, message, restoreMinutes };
  } catch (error) {
    const message = `could not read the restored ${where}: ${(error as Error).message}`.slice(0, 1000);
    return { ...job, status: 'FAILED', message, restoreMinutes: null };
  }
}
