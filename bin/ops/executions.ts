import { DescribeExecutionCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { WorkflowName } from '../../lib/config/naming';
import { controlPlaneNames } from '../../lib/config/naming';
import { EXIT } from './errors';

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
type ExecutionEnd =
  | { readonly status: 'SUCCEEDED'; readonly output: string }
  | { readonly status: string; readonly error: string }
  | { readonly status: 'RUNNING'; readonly stillRunning: true };

/**
 * How often a running execution is described: every 2 s: far inside DescribeExecution's request
 * rate quota, and soon enough that the outcome shows without a noticeable delay.
 */
const POLL_MS = 2000;

/** How long `waitForExecution` waits when not told (the commands always tell it: --wait-seconds). */
const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Polls an execution until it ends or `timeoutMs` passes (every `pollMs`, never past the deadline).
 * FAILED, TIMED_OUT and ABORTED come back with the execution's error and cause.
 */
async function waitForExecution(
  sfn: SFNClient,
  executionArn: string,
  options: { pollMs?: number; timeoutMs?: number } = {},
): Promise<ExecutionEnd> {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  for (;;) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const status = execution.status ?? 'UNKNOWN';
    if (status === 'SUCCEEDED') return { status, output: execution.output ?? '{}' };
    if (status !== 'RUNNING' && status !== 'PENDING_REDRIVE')
      return { status, error: [execution.error, execution.cause].filter(Boolean).join(': ') || status };
    const left = deadline - Date.now();
    if (left <= 0) return { status: 'RUNNING', stillRunning: true };
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.pollMs ?? POLL_MS, left)));
  }
}

/** Whether and how long a command waits for the execution it started. */
export interface FollowOptions {
  /** false (`--no-wait`): return as soon as the execution has started. */
  readonly wait?: boolean;
  readonly pollMs?: number;
  readonly timeoutMs?: number;
}

/** The end of an execution, or `STARTED` when the caller did not wait for it. */
export type Followed = ExecutionEnd | { readonly status: 'STARTED'; readonly started: true };

export async function follow(
  sfn: SFNClient,
  executionArn: string,
  options: FollowOptions,
): Promise<Followed> {
  if (options.wait === false) return { status: 'STARTED', started: true };
  return waitForExecution(sfn, executionArn, options);
}

/**
 * An execution that did not (yet) succeed, in words with its exit code: not waited for (0), still
 * running when the wait ended (4: `running` says so), or ended FAILED, TIMED_OUT or ABORTED with its
 * error (1). A succeeded one (`'output' in end`) is told from its output by each command.
 */
export function unfinished(
  end: Exclude<Followed, { readonly output: string }>,
  running: string,
): { readonly summary: string; readonly exitCode: number; readonly error?: string } {
  if ('started' in end) return { summary: 'started, not waited for (--no-wait)', exitCode: EXIT.ok };
  if ('stillRunning' in end) return { summary: running, exitCode: EXIT.running };
  return {
    summary: `${end.status.toLowerCase().replace('_', ' ')}: ${end.error}`,
    error: end.error,
    exitCode: EXIT.failed,
  };
}

/** The execution in the Step Functions console, for the operator to follow or read. */
export function consoleUrl(region: string, executionArn: string): string {
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}
