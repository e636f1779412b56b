import type { SFNClient } from '@aws-sdk/client-sfn';
import type { ConfirmResult } from '../../lambdas/stall-check';
import { startWorkflow, waitForExecution, type OpsTarget } from './executions';

export interface GpuCheckOptions {
  readonly dryRun: boolean;
  readonly by: string;
  /** How often and how long a dry run is polled for its report (it only reads: seconds). */
  readonly pollMs?: number;
  readonly timeoutMs?: number;
}

export type GpuCheckResult =
  | { readonly executionArn: string; readonly name: string; readonly dryRun: false }
  | {
      readonly executionArn: string;
      readonly name: string;
      readonly dryRun: true;
      readonly status: string;
      readonly report?: Pick<
        ConfirmResult,
        'status' | 'checkedAt' | 'summary' | 'stalled' | 'instances' | 'queue'
      >;
      readonly error?: string;
    };

/**
 * `ops gpu-check [--dry-run]`: a run of the stalled-GPU workflow by hand. A dry run confirms host
 * by host and reports, changing nothing, so it waits for the report; a real run may remediate
 * for half an hour, so it returns the execution to follow in the console.
 */
export async function gpuCheck(
  sfn: SFNClient,
  target: OpsTarget,
  options: GpuCheckOptions,
  now: Date = new Date(),
): Promise<GpuCheckResult> {
  const name = `${options.dryRun ? 'dry-run' : 'manual'}-gpu-check-${now.getTime()}`;
  const executionArn = await startWorkflow(sfn, target, 'stalled-gpu', name, {
    dryRun: options.dryRun,
    requestedBy: options.by,
  });
  if (!options.dryRun) return { executionArn, name, dryRun: false };

  const end = await waitForExecution(sfn, executionArn, options);
  if ('stillRunning' in end)
    return {
      executionArn,
      name,
      dryRun: true,
      status: end.status,
      error: 'still running; follow it in the Step Functions console',
    };
  if ('error' in end) return { executionArn, name, dryRun: true, status: end.status, error: end.error };
  const { status, checkedAt, summary, stalled, instances, queue } = JSON.parse(end.output) as ConfirmResult;
  return {
    executionArn,
    name,
    dryRun: true,
    status: end.status,
    report: { status, checkedAt, summary, stalled, instances, queue },
  };
}
