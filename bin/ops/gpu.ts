import type { SFNClient } from '@aws-sdk/client-sfn';
import type { ConfirmResult } from '../../lambdas/stall-check';
import type { StallCloseEvent } from '../../lambdas/stall-close';
import { EXIT } from './errors';
import { follow, startWorkflow, unfinished, type FollowOptions, type OpsTarget } from './executions';

export interface GpuCheckOptions extends FollowOptions {
  readonly dryRun: boolean;
  readonly by: string;
}

type GpuReport = Pick<ConfirmResult, 'status' | 'checkedAt' | 'summary' | 'stalled' | 'instances' | 'queue'>;

export interface GpuCheckResult {
  readonly executionArn: string;
  readonly name: string;
  readonly dryRun: boolean;
  /** The execution's status, `STARTED` when not waited for (`--no-wait`). */
  readonly status: string;
  /** What the check saw, host by host (a dry run's report; a real run's first check). */
  readonly report?: GpuReport;
  /** How a real run ended (stall-close's outcome): healthy, no-signal, joined, held, recovered, escalate. */
  readonly outcome?: StallCloseEvent['outcome'];
  readonly incidentId?: string;
  /** In words, for the operator. */
  readonly summary: string;
  readonly error?: string;
  readonly exitCode: number;
}

interface RealRunOutput {
  readonly check?: { readonly result?: ConfirmResult };
  readonly close?: Pick<StallCloseEvent, 'outcome' | 'incidentId' | 'reason'>;
}

/**
 * `ops gpu-check [--dry-run]`: a run of the stalled-GPU workflow by hand, waited for. A dry run
 * confirms host by host and reports, changing nothing (seconds); a real run may remediate for half
 * an hour (a task restart, then a host replacement, each rechecked), so its wait may well end first.
 * Exit code 1 when the run failed, was held or could not repair the stall (escalated).
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
  const base = { executionArn, name, dryRun: options.dryRun };
  const end = await follow(sfn, executionArn, options);
  if (!('output' in end))
    return {
      ...base,
      status: end.status,
      ...unfinished(
        end,
        options.dryRun
          ? 'still running when the wait ended; follow it in the console'
          : 'still running when the wait ended (a remediation restarts tasks and replaces hosts, rechecking each: up to half an hour); follow it in the console',
      ),
    };
  if (options.dryRun) {
    const report = reportOf(JSON.parse(end.output) as ConfirmResult);
    return { ...base, status: end.status, report, summary: `dry run: ${report.status}`, exitCode: EXIT.ok };
  }
  const output = JSON.parse(end.output) as RealRunOutput;
  const report = output.check?.result ? reportOf(output.check.result) : undefined;
  const close = output.close;
  const { summary, exitCode } = realRunWords(close);
  return {
    ...base,
    status: end.status,
    ...(report ? { report } : {}),
    ...(close?.outcome ? { outcome: close.outcome } : {}),
    ...(close?.incidentId ? { incidentId: close.incidentId } : {}),
    summary,
    exitCode,
  };
}

function reportOf(result: ConfirmResult): GpuReport {
  const { status, checkedAt, summary, stalled, instances, queue } = result;
  return { status, checkedAt, summary, stalled, instances, queue };
}

function realRunWords(close: RealRunOutput['close']): { summary: string; exitCode: number } {
  const incident = close?.incidentId ? ` (incident ${close.incidentId})` : '';
  switch (close?.outcome) {
    case 'healthy':
      return { summary: 'every GPU host is healthy: nothing to do', exitCode: EXIT.ok };
    case 'no-signal':
      return {
        summary: `nothing done: ${close.reason ?? 'some hosts could not be judged'}`,
        exitCode: EXIT.ok,
      };
    case 'joined':
      return { summary: `a remediation is already under way${incident}: joined it`, exitCode: EXIT.ok };
    case 'recovered':
      return { summary: `repaired${incident}: the stalled hosts serve again`, exitCode: EXIT.ok };
    case 'held':
      return { summary: `held${incident}: ${close.reason ?? 'no reason given'}`, exitCode: EXIT.failed };
    case 'escalate':
      return {
        summary: `not repaired${incident}: escalated Critical${close.reason ? `: ${close.reason}` : ''}`,
        exitCode: EXIT.failed,
      };
    default:
      return { summary: 'succeeded', exitCode: EXIT.ok };
  }
}
