import { DescribeExecutionCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { controlPlaneNames } from '../../lib/constructs/control-plane/runtime';
import type { ConfirmResult } from '../../lambdas/stall-check';

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
  target: { envName: string; account: string; region: string },
  options: GpuCheckOptions,
  now: Date = new Date(),
): Promise<GpuCheckResult> {
  const name = `${options.dryRun ? 'dry-run' : 'manual'}-gpu-check-${now.getTime()}`;
  const stateMachineArn = `arn:aws:states:${target.region}:${target.account}:stateMachine:${controlPlaneNames(target.envName).stalledGpu}`;
  const started = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn,
      name,
      input: JSON.stringify({ dryRun: options.dryRun, requestedBy: options.by }),
    }),
  );
  const executionArn = started.executionArn ?? '';
  if (!options.dryRun) return { executionArn, name, dryRun: false };

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const status = execution.status ?? 'UNKNOWN';
    if (status === 'SUCCEEDED') {
      const {
        status: verdict,
        checkedAt,
        summary,
        stalled,
        instances,
        queue,
      } = JSON.parse(execution.output ?? '{}') as ConfirmResult;
      return {
        executionArn,
        name,
        dryRun: true,
        status,
        report: { status: verdict, checkedAt, summary, stalled, instances, queue },
      };
    }
    if (status !== 'RUNNING' || Date.now() > deadline)
      return {
        executionArn,
        name,
        dryRun: true,
        status,
        ...(execution.cause || execution.error
          ? { error: `${execution.error ?? ''}: ${execution.cause ?? ''}` }
          : status === 'RUNNING'
            ? { error: 'still running; follow it in the Step Functions console' }
            : {}),
      };
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 2000));
  }
}
