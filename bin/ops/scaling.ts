import type { SFNClient } from '@aws-sdk/client-sfn';
import type { ComponentId, EnvironmentName } from '../../lib/config/constants';
import { ENVIRONMENTS } from '../../lib/config/environments';
import type { LedgerStore } from '../../lambdas/aws/ledger-store';
import type { StateStore } from '../../lambdas/aws/state-store';
import { catalogueAlert } from '../../lambdas/core/escalation/catalogue';
import { escalationStart } from '../../lambdas/core/scaling/escalation-input';
import { ledgerFigures, type LedgerFigures } from '../../lambdas/core/scaling/ledger-figures';
import { UsageError } from './errors';
import { startWorkflow, type OpsTarget } from './executions';
import { reason, scaledComponent, wholeNumber } from './validate';

export interface ScaleRequest {
  readonly component: ComponentId;
  readonly to: number;
  readonly reason: string;
}

/**
 * The checks of `ops scale` that need only the configuration, made before anything reaches AWS:
 * the component, a whole-number target within the environment's capacity, and a reason. (The
 * workflow validates again: a deployed configuration may differ from this checkout.)
 */
export function scaleRequest(
  envName: EnvironmentName,
  args: { component?: string; to?: unknown; reason?: unknown },
): ScaleRequest {
  const id = scaledComponent(args.component);
  const to = wholeNumber('--to', args.to);
  const { min, max } = ENVIRONMENTS[envName].capacity[id];
  if (to > max) throw new UsageError(`--to: ${to} is above ${id}'s maximum of ${max} in ${envName}`);
  if (to < min) throw new UsageError(`--to: ${to} is below ${id}'s minimum of ${min} in ${envName}`);
  return { component: id, to, reason: reason(args.reason, 'say why you scale by hand') };
}

/** The state machine input of a manual scale (what `--dry-run` shows and `scale` sends). */
export function scaleInput(request: ScaleRequest, by: string) {
  return { component: request.component, to: request.to, reason: request.reason, requestedBy: by };
}

/**
 * `ops scale COMPONENT --to N --reason TEXT`: a manual run of the scale-decision workflow, which
 * applies the same guardrails, lock and ledger as an automatic one (and validates again).
 */
export async function scale(
  sfn: SFNClient,
  target: OpsTarget,
  request: ScaleRequest & { by: string },
  now: Date = new Date(),
): Promise<{ executionArn: string; name: string }> {
  const name = `manual-${request.component}-${now.getTime()}`;
  const executionArn = await startWorkflow(
    sfn,
    target,
    'scale-decision',
    name,
    scaleInput(request, request.by),
  );
  return { executionArn, name };
}

export interface LedgerReport {
  readonly component: ComponentId;
  readonly since: string;
  readonly figures: LedgerFigures;
  readonly entries: ReadonlyArray<Record<string, unknown>>;
}

/**
 * `ops ledger COMPONENT [--hours H] [--inputs]`: the recent decisions with their reasons and the
 * figures (`hours` checked by the command: validate.ts `hours`); with `inputs`, each decision's
 * rule and what it was decided from, as recorded by the plan (lambdas/scale-plan): the fleet, the
 * metric series, the flags the guardrails read, the environment's profile.
 */
export async function ledgerReport(
  ledger: LedgerStore,
  componentId: ComponentId,
  hours: number,
  now: Date = new Date(),
  options: { readonly inputs?: boolean } = {},
): Promise<LedgerReport> {
  const since = new Date(now.getTime() - hours * 3600_000);
  const entries = await ledger.entries(componentId, since);
  return {
    component: componentId,
    since: since.toISOString(),
    figures: ledgerFigures(entries),
    entries: entries.map((e) => ({
      at: e.decidedAt,
      trigger: e.trigger,
      action: e.decision.action,
      from: e.decision.from,
      to: e.decision.to,
      reason: e.decision.reason,
      guardrails: e.decision.guardrails,
      outcome: e.outcome,
      ...(e.timeToScaleSeconds !== undefined ? { timeToScaleSeconds: e.timeToScaleSeconds } : {}),
      ...(e.error ? { error: e.error } : {}),
      ...(options.inputs
        ? {
            rule: e.decision.rule ?? null,
            ...(e.decision.proposed !== undefined ? { proposed: e.decision.proposed } : {}),
            inputs: e.inputs,
          }
        : {}),
    })),
  };
}

/** The columns of `ops ledger --inputs` in a table: one line per decision, what it was decided from. */
export const LEDGER_INPUT_COLUMNS = [
  'at',
  'rule',
  'proposed',
  'guardrails',
  'fleet',
  'metrics',
  'flags',
] as const;

/**
 * One decision's inputs as table cells: the fleet (desired/running/pending), each metric's latest
 * datapoint with how many of the series were present, and the flags the guardrails read.
 */
export function ledgerInputRow(
  entry: Record<string, unknown>,
): Record<(typeof LEDGER_INPUT_COLUMNS)[number], unknown> {
  const inputs = (entry.inputs ?? {}) as Record<string, unknown>;
  const fleet = inputs.fleet as { desired?: number; running?: number; pending?: number } | undefined;
  const metrics = Object.entries((inputs.metrics ?? {}) as Record<string, ReadonlyArray<number | null>>).map(
    ([signal, series]) => {
      const present = series.filter((v): v is number => v !== null);
      const last = present.at(-1);
      return `${signal} ${last === undefined ? 'none' : round(last)} (${present.length}/${series.length})`;
    },
  );
  const flags = [
    inputs.maintenance === true ? 'maintenance' : undefined,
    typeof inputs.paused === 'string' ? `paused: ${inputs.paused}` : undefined,
    inputs.stallOpen === true ? 'stall open' : undefined,
    typeof inputs.databaseConnections === 'number'
      ? `db connections ${inputs.databaseConnections}`
      : undefined,
    typeof inputs.aggressiveness === 'string' ? String(inputs.aggressiveness) : undefined,
    typeof inputs.costPriority === 'string' ? String(inputs.costPriority) : undefined,
  ].filter((f): f is string => f !== undefined);
  return {
    at: entry.at,
    rule: entry.rule,
    proposed: entry.proposed,
    guardrails: entry.guardrails,
    fleet: fleet ? `${fleet.desired}/${fleet.running}/${fleet.pending}` : undefined,
    metrics,
    flags,
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

interface ResumeResult {
  readonly component: ComponentId;
  readonly paused: false;
  /** The incidents resuming resolves (through the escalation workflow). */
  readonly resolved: string[];
  /** The escalation execution that resolves them, when one was started. */
  readonly escalation?: { readonly executionArn: string; readonly name: string };
}

/**
 * `ops resume COMPONENT`: resumes automatic scaling and resolves the component's open runaway
 * incident (through the escalation workflow, so the channels that were paged hear of it).
 */
export async function resume(
  deps: { ledger: LedgerStore; store: StateStore; sfn: SFNClient },
  target: OpsTarget,
  componentId: ComponentId,
  by: string,
  now: Date = new Date(),
): Promise<ResumeResult> {
  await deps.ledger.resume(componentId);
  if (!(await deps.store.openIncidentOf(catalogueAlert('Scaling_Runaway_Paused'), componentId)))
    return { component: componentId, paused: false, resolved: [] };
  const start = escalationStart(
    'Scaling_Runaway_Paused',
    componentId,
    `ops:${now.getTime()}`,
    now,
    `automatic scaling resumed by ${by}`,
    'OK',
  );
  const executionArn = await startWorkflow(deps.sfn, target, 'escalation', start.name, start.input);
  return {
    component: componentId,
    paused: false,
    resolved: ['Scaling_Runaway_Paused'],
    escalation: { executionArn, name: start.name },
  };
}
