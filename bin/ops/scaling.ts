import type { SFNClient } from '@aws-sdk/client-sfn';
import { COMPONENT_IDS, type ComponentId } from '../../lib/config/constants';
import type { LedgerStore } from '../../lambdas/aws/ledger-store';
import type { StateStore } from '../../lambdas/aws/state-store';
import { catalogueAlert } from '../../lambdas/core/escalation/catalogue';
import { escalationStart } from '../../lambdas/core/scaling/escalation-input';
import { ledgerFigures, type LedgerFigures } from '../../lambdas/core/scaling/ledger-figures';
import { UsageError } from './errors';
import { startWorkflow, type OpsTarget } from './executions';

export function component(value: string | undefined): ComponentId {
  if (!value || !(COMPONENT_IDS as readonly string[]).includes(value)) {
    throw new UsageError(`COMPONENT: ${value ?? '(missing)'} is not one of ${COMPONENT_IDS.join(', ')}`);
  }
  return value as ComponentId;
}

/**
 * `ops scale COMPONENT --to N --reason TEXT`: a manual run of the scale-decision workflow, which
 * applies the same guardrails, lock and ledger as an automatic one (and validates again).
 */
export async function scale(
  sfn: SFNClient,
  target: OpsTarget,
  args: { component: ComponentId; to?: string; reason?: string; by: string },
  now: Date = new Date(),
): Promise<{ executionArn: string; name: string }> {
  const to = Number(args.to);
  if (args.to === undefined || !Number.isInteger(to))
    throw new UsageError(`--to: ${args.to ?? '(missing)'} is not a whole number`);
  if (!args.reason?.trim()) throw new UsageError('--reason: say why you scale by hand');
  const name = `manual-${args.component}-${now.getTime()}`;
  const executionArn = await startWorkflow(sfn, target, 'scale-decision', name, {
    component: args.component,
    to,
    reason: args.reason.trim(),
    requestedBy: args.by,
  });
  return { executionArn, name };
}

export interface LedgerReport {
  readonly component: ComponentId;
  readonly since: string;
  readonly figures: LedgerFigures;
  readonly entries: ReadonlyArray<Record<string, unknown>>;
}

/** `ops ledger COMPONENT [--hours H]`: the recent decisions with their reasons and the figures. */
export async function ledgerReport(
  ledger: LedgerStore,
  componentId: ComponentId,
  hours: number,
  now: Date = new Date(),
): Promise<LedgerReport> {
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 90)
    throw new UsageError('--hours: must be between 1 and 2160 (90 days)');
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
    })),
  };
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
): Promise<{ component: ComponentId; paused: false; resolved: string[] }> {
  await deps.ledger.resume(componentId);
  const resolved: string[] = [];
  if (await deps.store.openIncidentOf(catalogueAlert('Scaling_Runaway_Paused'), componentId)) {
    const start = escalationStart(
      'Scaling_Runaway_Paused',
      componentId,
      `ops:${now.getTime()}`,
      now,
      `automatic scaling resumed by ${by}`,
      'OK',
    );
    await startWorkflow(deps.sfn, target, 'escalation', start.name, start.input);
    resolved.push('Scaling_Runaway_Paused');
  }
  return { component: componentId, paused: false, resolved };
}
