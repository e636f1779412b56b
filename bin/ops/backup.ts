import type { SFNClient } from '@aws-sdk/client-sfn';
import { BACKUP_RESOURCE_IDS, type BackupResourceId } from '../../lib/config/constants';
import { UsageError } from './errors';
import { follow, startWorkflow, type FollowOptions, type OpsTarget } from './executions';

export type BackupCheckResult = {
  readonly executionArn: string;
  readonly name: string;
  /** The execution's status, `STARTED` when not waited for (`--no-wait`). */
  readonly status: string;
  /** The assessment, when the run finished within the wait (a re-run can take hours). */
  readonly assessment?: { readonly status: string; readonly summary: string };
  readonly error?: string;
  readonly summary: string;
  readonly exitCode: number;
};

/** `--resource`: one of the protected resources, or every one when not given. */
export function backupResource(value: unknown): BackupResourceId | undefined {
  if (value === undefined) return undefined;
  if (!(BACKUP_RESOURCE_IDS as readonly unknown[]).includes(value))
    throw new UsageError(`--resource: ${String(value)} is not one of ${BACKUP_RESOURCE_IDS.join(', ')}`);
  return value as BackupResourceId;
}

/**
 * `ops backup-check [--resource R]`: a run of the backup-verification workflow by hand, which
 * applies the same one-re-run rule as the hourly check, waited for. Healthy: exit code 0; a
 * resource still failing after its re-run (escalated Critical) or a failed run: 1; a run still
 * re-running a backup when the wait ends: 4, to follow in the console.
 */
export async function backupCheck(
  sfn: SFNClient,
  target: OpsTarget,
  options: FollowOptions & { resource?: string; by: string },
  now: Date = new Date(),
): Promise<BackupCheckResult> {
  const resource = backupResource(options.resource);
  const name = `manual-backup-check-${now.getTime()}`;
  const executionArn = await startWorkflow(sfn, target, 'backup-verification', name, {
    ...(resource ? { resource } : {}),
    requestedBy: options.by,
  });
  const end = await follow(sfn, executionArn, options);
  if ('started' in end)
    return {
      executionArn,
      name,
      status: end.status,
      summary: 'started, not waited for (--no-wait)',
      exitCode: 0,
    };
  if ('stillRunning' in end)
    return {
      executionArn,
      name,
      status: end.status,
      summary: 'still running (a re-run is being polled); follow it in the Step Functions console',
      exitCode: 4,
    };
  if ('error' in end)
    return {
      executionArn,
      name,
      status: end.status,
      error: end.error,
      summary: `${end.status.toLowerCase().replace('_', ' ')}: ${end.error}`,
      exitCode: 1,
    };
  const output = JSON.parse(end.output) as { assessment?: { result?: { status: string; summary: string } } };
  const result = output.assessment?.result;
  if (!result) return { executionArn, name, status: end.status, summary: 'succeeded', exitCode: 0 };
  const healthy = result.status === 'healthy';
  return {
    executionArn,
    name,
    status: end.status,
    assessment: { status: result.status, summary: result.summary },
    summary: healthy ? `healthy: ${result.summary}` : `not healthy, escalated: ${result.summary}`,
    exitCode: healthy ? 0 : 1,
  };
}
