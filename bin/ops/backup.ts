import { DescribeExecutionCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { controlPlaneNames } from '../../lib/constructs/control-plane/runtime';
import { BACKUP_RESOURCE_IDS } from '../../lib/config/constants';
import { UsageError } from './errors';

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
  target: { envName: string; account: string; region: string },
  options: { resource?: string; by: string; pollMs?: number; timeoutMs?: number },
  now: Date = new Date(),
): Promise<BackupCheckResult> {
  if (
    options.resource !== undefined &&
    !(BACKUP_RESOURCE_IDS as readonly string[]).includes(options.resource)
  )
    throw new UsageError(`--resource: ${options.resource} is not one of ${BACKUP_RESOURCE_IDS.join(', ')}`);
  const name = `manual-backup-check-${now.getTime()}`;
  const stateMachineArn = `arn:aws:states:${target.region}:${target.account}:stateMachine:${controlPlaneNames(target.envName).backupVerification}`;
  const started = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn,
      name,
      input: JSON.stringify({
        ...(options.resource ? { resource: options.resource } : {}),
        requestedBy: options.by,
      }),
    }),
  );
  const executionArn = started.executionArn ?? '';
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const status = execution.status ?? 'UNKNOWN';
    if (status === 'SUCCEEDED') {
      const output = JSON.parse(execution.output ?? '{}') as {
        assessment?: { result?: { status: string; summary: string } };
      };
      const result = output.assessment?.result;
      return {
        executionArn,
        name,
        status,
        ...(result ? { assessment: { status: result.status, summary: result.summary } } : {}),
      };
    }
    if (status !== 'RUNNING')
      return { executionArn, name, status, error: `${execution.error ?? ''}: ${execution.cause ?? ''}` };
    if (Date.now() > deadline)
      return {
        executionArn,
        name,
        status,
        error: 'still running (a re-run is being polled); follow it in the Step Functions console',
      };
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 2000));
  }
}
