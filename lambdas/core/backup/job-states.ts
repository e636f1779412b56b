/**
 * Every state an AWS Backup job reports (BackupJob.State and the "Backup Job State Change" event's
 * detail.state), and what it means for the data: still going, done, or lost. A state AWS adds
 * later is `unknown`, which the assessment treats as not done.
 */
export const JOB_STATES = {
  CREATED: 'in-progress',
  PENDING: 'in-progress',
  RUNNING: 'in-progress',
  ABORTING: 'in-progress',
  COMPLETED: 'completed',
  ABORTED: 'failed',
  FAILED: 'failed',
  EXPIRED: 'failed',
  // Some resources of the job were not backed up (a composite job): treated as a failure.
  PARTIAL: 'failed',
} as const;

export type JobOutcome = (typeof JOB_STATES)[keyof typeof JOB_STATES] | 'unknown';

export function jobOutcome(state: string | undefined): JobOutcome {
  return (state && (JOB_STATES as Record<string, JobOutcome>)[state]) || 'unknown';
}
