import type { SFNClient } from '@aws-sdk/client-sfn';
import { BACKUP_RESOURCE_IDS } from '../../lib/config/constants';
import { UsageError } from './errors';
import { startWorkflow, waitForExecution, type OpsTarget } from './executions';

export type BackupCheckResult = {
  readonly executionArn: string;
  readonly name: string;
  readonly status: string;
  /** The assessment, when the run finished within the wait (a re-run can take hours). */
  readonly assessment?: { readonly status: string; readonly summary: string };
  readonly error?: string;
};

/**
 * `ops backup-check [--resource R]`: a run of the backup-verification workflow by hand, which
 * applies the same one-re-run rule as the hourly check. Waits up to a minute for the assessment;
 * a run that is re-running a backup is left to follow in the console.
 */
export async function backupCheck(
  sfn: SFNClient,
  target: OpsTarget,
  options: { resource?: string; by: string; pollMs?: number; timeoutMs?: number },
  now: Date = new Date(),
): Promise<BackupCheckResult> {
  if (
    options.resource !== undefined &&
    !(BACKUP_RESOURCE_IDS as readonly string[]).includes(options.resource)
  )
    throw new UsageError(`--resource: ${options.resource} is not one of ${BACKUP_RESOURCE_IDS.join(', ')}`);
  const name = `manual-backup-check-${now.getTime()}`;
  const executionArn = await startWorkflow(sfn, target, 'backup-verification', name, {
    ...(options.resource ? { resource: options.resource } : {}),
    requestedBy: options.by,
  });
  const end = await waitForExecution(sfn, executionArn, options);
  if ('stillRunning' in end)
    return {
      executionArn,
      name,
      status: end.status,
      error: 'still running (a re-run is being polled); follow it in the Step Functions console',
    };
  if ('error' in end) return { executionArn, name, status: end.status, error: end.error };
  const output = JSON.parse(end.output) as { assessment?: { result?: { status: string; summary: string } } };
  const result = output.assessment?.result;
  return {
    executionArn,
    name,
    status: end.status,
    ...(result ? { assessment: { status: result.status, summary: result.summary } } : {}),
  };
}
