import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import {
  hasControlCharacter,
  MAJOR_REASON_CHARS,
  majorIncidentStateMachineName,
} from '../../lib/config/major-incident-lists';
import type { MajorRequest } from '../../lambdas/core/major-incident/request';
import { waiting, type Ctx } from './command';
import { EXIT, UsageError } from './errors';
import { consoleUrl, follow, unfinished, type FollowOptions, type OpsTarget } from './executions';
import { fields } from './output';

/**
 * `ops declare-major` and `ops end-major`: a run of the major-incident workflow
 * (state-machines/major-incident.asl.json) as the caller STS names, waited for, its result told.
 */

/** `--reason`, checked as the workflow checks it (lambdas/core/major-incident/request.ts). */
export function majorReason(value: unknown, what: string): string {
  const text = typeof value === 'string' ? value.trim() : '';
  const range = `${MAJOR_REASON_CHARS.min} to ${MAJOR_REASON_CHARS.max} characters`;
  if (text.length < MAJOR_REASON_CHARS.min) throw new UsageError(`--reason: required: ${what} (${range})`);
  if (text.length > MAJOR_REASON_CHARS.max)
    throw new UsageError(
      `--reason: at most ${MAJOR_REASON_CHARS.max} characters (it is texted to every stakeholder)`,
    );
  if (hasControlCharacter(text))
    throw new UsageError('--reason: must be one line without control characters');
  return text;
}

/** The workflow's input, as its Record function parses it. */
export type MajorInput = MajorRequest;

/** Who the channels reached, as the workflow's Record function reports it. */
interface ChannelReport {
  readonly outcome?: string;
  readonly majorId?: string | null;
  readonly reached?: string[];
  readonly failed?: Array<{ target: string; error: string }>;
  readonly skipped?: Array<{ target: string; why: string }>;
}

export interface MajorRunResult extends ChannelReport {
  readonly executionArn: string;
  /** The major incident's id when declaring (the execution's name). */
  readonly name: string;
  readonly status: string;
  readonly error?: string;
  readonly summary: string;
  readonly exitCode: number;
}

/** The workflow's result (lambdas/major-record): a report of the channels, or why nothing was sent. */
interface MajorOutput extends ChannelReport {
  readonly status: string;
  readonly summary?: string;
}

/** A name Step Functions accepts (80 characters, no spaces) that reads as a date in an SMS. */
export function majorExecutionName(action: 'declare' | 'end', now: Date, random = Math.random()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${action === 'declare' ? 'major' : 'end'}-${stamp}-${Math.floor(random * 0xffff)
    .toString(16)
    .padStart(4, '0')}`;
}

export async function runMajor(
  sfn: SFNClient,
  target: OpsTarget,
  input: MajorInput,
  options: FollowOptions,
  now: Date = new Date(),
): Promise<MajorRunResult> {
  const name = majorExecutionName(input.action, now);
  const started = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn: `arn:aws:states:${target.region}:${target.account}:stateMachine:${majorIncidentStateMachineName(target.envName)}`,
      name,
      input: JSON.stringify(input),
    }),
  );
  const executionArn = started.executionArn ?? '';
  const end = await follow(sfn, executionArn, options);
  if (!('output' in end))
    return {
      executionArn,
      name,
      status: end.status,
      ...unfinished(end, 'still notifying; follow it in the console'),
    };
  const output = JSON.parse(end.output) as MajorOutput;
  const told = {
    executionArn,
    name,
    status: end.status,
    outcome: output.outcome ?? output.status,
    majorId: output.majorId ?? null,
    ...(output.reached ? { reached: output.reached } : {}),
    ...(output.failed ? { failed: output.failed } : {}),
    ...(output.skipped ? { skipped: output.skipped } : {}),
  };
  if (output.status === 'notified')
    return { ...told, summary: output.summary ?? 'notified', exitCode: EXIT.ok };
  if (output.status === 'nothing-to-send')
    return {
      ...told,
      summary: output.summary ?? 'nothing sent',
      // Ending what is not active is harmless; a declaration that notified nobody is not done.
      exitCode: output.outcome === 'not-active' ? EXIT.ok : EXIT.failed,
    };
  return {
    ...told,
    summary: `${output.status}: ${output.summary ?? 'see the execution'}`,
    exitCode: EXIT.failed,
  };
}

/**
 * What declare-major and end-major share once their own arguments are checked: the confirmation,
 * the run as the caller STS names (`requestedBy`), the wait, and the result with its console link.
 */
export async function runMajorCommand(
  ctx: Ctx,
  env: string,
  question: string,
  input: (requestedBy: string) => MajorInput,
): Promise<number> {
  const { wait, seconds } = waiting(ctx);
  await ctx.confirm(question);
  const aws = await ctx.aws();
  const target = await aws.target(env);
  const { arn } = await aws.identity();
  const request = input(arn);
  if (wait)
    ctx.progress(
      `${request.action === 'declare' ? 'declaring' : 'ending'} (up to ${seconds} s; --no-wait to skip) ...`,
    );
  const result = await runMajor(aws.sfn(), target, request, { wait, timeoutMs: seconds * 1000 });
  const url = consoleUrl(target.region, result.executionArn);
  const { exitCode, ...shown } = result;
  // A declaration's id is its execution's name even before the workflow has told it.
  const id = result.majorId ?? (request.action === 'declare' ? result.name : '-');
  ctx.print(
    { env, ...shown, console: url },
    `${result.summary}\n${fields({ id, status: result.status, execution: result.executionArn, console: url })}`,
  );
  return exitCode;
}
