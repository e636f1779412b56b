import type { SFNClient } from '@aws-sdk/client-sfn';
import type { BackupResourceId } from '../../lib/config/constants';
import { EXIT } from './errors';
import { follow, startWorkflow, unfinished, type FollowOptions, type OpsTarget } from './executions';

type BackupCheckResult = {
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

/**
 * `ops backup-check [--resource R]`: a run of the backup-verification workflow by hand, which
 * applies the same one-re-run rule as the hourly check, waited for. Healthy: exit code 0; a
 * resource still failing after its re-run (escalated Critical) or a failed run: 1; a run still
 * re-running a backup when the wait ends: 4, to follow in the console.
 */
export async function backupCheck(
  sfn: SFNClient,
  target: OpsTarget,
  options: FollowOptions & { resource?: BackupResourceId; by: string },
  now: Date = new Date(),
): Promise<BackupCheckResult> {
  const { resource } = options;
  const name = `manual-backup-check-${now.getTime()}`;
  const executionArn = await startWorkflow(sfn, target, 'backup-verification', name, {
    ...(resource ? { resource } : {}),
    requestedBy: options.by,
  });
  const end = await follow(sfn, executionArn, options);
  if (!('output' in end))
    return {
      executionArn,
      name,
      status: end.status,
      ...unfinished(end, 'still running (a re-run is being polled); follow it in the console'),
    };
  const output = JSON.parse(end.output) as { assessment?: { result?: { status: string; summary: string } } };
  const result = output.assessment?.result;
  if (!result) return { executionArn, name, status: end.status, summary: 'succeeded', exitCode: EXIT.ok };
  const healthy = result.status === 'healthy';
  return {
    executionArn,
    name,
    status: end.status,
    assessment: { status: result.status, summary: result.summary },
    summary: healthy ? `healthy: ${result.summary}` : `not healthy, escalated: ${result.summary}`,
    exitCode: healthy ? EXIT.ok : EXIT.failed,
  };
}
