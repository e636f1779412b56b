import { DescribeExecutionCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { WorkflowName } from '../../lib/config/naming';
import { controlPlaneNames } from '../../lib/config/naming';

/** Where an `ops` command acts: the environment and the account and region it is deployed to. */
export interface OpsTarget {
  readonly envName: string;
  readonly account: string;
  readonly region: string;
}

const STATE_MACHINE_NAME: Readonly<
  Record<WorkflowName, (names: ReturnType<typeof controlPlaneNames>) => string>
> = {
  escalation: (n) => n.escalation,
  'scale-decision': (n) => n.scaleDecision,
  'stalled-gpu': (n) => n.stalledGpu,
  'backup-verification': (n) => n.backupVerification,
};

/** Starts a workflow of the target environment under `name` (a name that exists starts nothing). */
export async function startWorkflow(
  sfn: SFNClient,
  target: OpsTarget,
  workflow: WorkflowName,
  name: string,
  input: unknown,
): Promise<string> {
  const machine = STATE_MACHINE_NAME[workflow](controlPlaneNames(target.envName));
  const started = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn: `arn:aws:states:${target.region}:${target.account}:stateMachine:${machine}`,
      name,
      input: JSON.stringify(input),
    }),
  );
  return started.executionArn ?? '';
}

/** How an execution stood when `waitForExecution` stopped waiting. */
export type ExecutionEnd =
  | { readonly status: 'SUCCEEDED'; readonly output: string }
  | { readonly status: string; readonly error: string }
  | { readonly status: 'RUNNING'; readonly stillRunning: true };

/** Polls an execution until it ends or `timeoutMs` passes. */
export async function waitForExecution(
  sfn: SFNClient,
  executionArn: string,
  options: { pollMs?: number; timeoutMs?: number } = {},
): Promise<ExecutionEnd> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const status = execution.status ?? 'UNKNOWN';
    if (status === 'SUCCEEDED') return { status, output: execution.output ?? '{}' };
    if (status !== 'RUNNING') return { status, error: `${execution.error ?? ''}: ${execution.cause ?? ''}` };
    if (Date.now() > deadline) return { status: 'RUNNING', stillRunning: true };
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 2000));
  }
}
