import type { ComponentId, EnvironmentName } from '../../lib/config/constants';
import { ENVIRONMENTS } from '../../lib/config/environments';
import type { LedgerEntry } from '../../lambdas/aws/ledger-store';
import type { ScalingDecision } from '../../lambdas/core/scaling/types';
import { EXIT } from './errors';
import { unfinished, type Followed } from './executions';

/**
 * What a manual scale came to, read from the scale-decision execution's output
 * (state-machines/scale-decision.asl.json: the whole state, with `plan.result` the Plan function's
 * PlanResult and `record.result` the Record function's RecordResult):
 *   scaled      the action ran and was verified (possibly cut by a guardrail: "asked for 4, scaled to 3")
 *   unchanged   the component already runs the count asked for
 *   held        a guardrail held the change (cooldown, database guard, ...)
 *   not-carried-out   another scaling action of the component held the lock
 *   failed      the execution failed (ScalingEventFailed, or the workflow refused the input)
 *   running     still running when the wait ended
 *   started     not waited for (--no-wait)
 */
type ScaleResult = 'scaled' | 'unchanged' | 'held' | 'not-carried-out' | 'failed' | 'running' | 'started';

export interface ScaleOutcome {
  readonly result: ScaleResult;
  /** One line in words: "asked for 4, scaled to 3: odoo's maximum scaling rate in staging (...)". */
  readonly summary: string;
  readonly exitCode: number;
  readonly from?: number;
  readonly to?: number;
  readonly guardrails?: readonly string[];
  readonly timeToScaleSeconds?: number;
  readonly decision?: ScalingDecision;
}

interface ScaleExecutionOutput {
  readonly plan?: { readonly result?: { readonly decision?: ScalingDecision } };
  readonly record?: { readonly result?: { readonly entry?: LedgerEntry } };
  readonly error?: unknown;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A guardrail that cut or held a manual target, in words for this component and environment. */
export function guardrailWords(envName: EnvironmentName, id: ComponentId, guardrail: string): string {
  const env = ENVIRONMENTS[envName];
  switch (guardrail) {
    case 'max-rate': {
      const rate = env.scaling.maxScalingRate?.[id];
      return rate
        ? `${id}'s maximum scaling rate in ${envName} (${plural(rate.instances, 'instance')} per ${rate.perSeconds} s)`
        : `${id}'s maximum scaling rate`;
    }
    case 'max':
      return `${id}'s maximum of ${env.capacity[id].max} in ${envName}`;
    case 'floor':
      return `${id}'s minimum (its floor in force now)`;
    case 'cooldown':
      return `${id}'s cooldown`;
    case 'database':
      return 'the database connection guard';
    case 'stall':
      return 'an open stalled-GPU incident';
    default:
      return `the ${guardrail} guardrail`;
  }
}

const CUTTING_GUARDRAILS = ['max-rate', 'max', 'floor'];

export function scaleOutcome(
  envName: EnvironmentName,
  request: { readonly component: ComponentId; readonly to: number },
  end: Followed,
  waitedSeconds: number,
): ScaleOutcome {
  const asked = `asked for ${request.to}`;
  if (!('output' in end)) {
    const { summary, exitCode } = unfinished(
      end,
      `still running after ${waitedSeconds} s (the workflow verifies the new capacity before it ends); follow it in the console`,
    );
    const refused = 'error' in end && end.error.startsWith('InvalidInput');
    const result = 'started' in end ? 'started' : 'stillRunning' in end ? 'running' : 'failed';
    return {
      result,
      summary: `${asked}: ${refused ? `refused by the workflow: ${end.error}` : summary}`,
      exitCode,
    };
  }
  const output = parseOutput(end.output);
  const decision = output.plan?.result?.decision;
  const entry = output.record?.result?.entry;
  if (!decision)
    return {
      result: 'failed',
      summary: `${asked}: the execution succeeded without a decision`,
      exitCode: EXIT.failed,
    };
  const base = { from: decision.from, to: decision.to, guardrails: decision.guardrails, decision };
  if (decision.action === 'hold') {
    if (decision.guardrails.length === 0 && decision.from === request.to)
      return {
        ...base,
        result: 'unchanged',
        summary: `${asked}: ${request.component} already runs ${decision.from}; nothing to do`,
        exitCode: EXIT.ok,
      };
    return {
      ...base,
      result: 'held',
      summary: `${asked}, held at ${decision.from}: ${decision.reason}${
        decision.escalate ? ` (raised ${decision.escalate.alert})` : ''
      }`,
      exitCode: EXIT.failed,
    };
  }
  if (entry?.outcome !== 'succeeded')
    return {
      ...base,
      result: 'not-carried-out',
      summary: `${asked}, not scaled: ${entry?.error ?? 'the action was not carried out'}`,
      exitCode: EXIT.failed,
    };
  const cut = [...decision.guardrails].reverse().find((g) => CUTTING_GUARDRAILS.includes(g));
  const because =
    decision.to !== request.to
      ? `: ${cut ? guardrailWords(envName, request.component, cut) : decision.reason}`
      : ` (from ${decision.from})`;
  return {
    ...base,
    result: 'scaled',
    summary: `${asked}, scaled to ${decision.to}${because}`,
    exitCode: EXIT.ok,
    ...(entry.timeToScaleSeconds !== undefined ? { timeToScaleSeconds: entry.timeToScaleSeconds } : {}),
  };
}

function parseOutput(output: string): ScaleExecutionOutput {
  try {
    return JSON.parse(output) as ScaleExecutionOutput;
  } catch {
    return {};
  }
}
