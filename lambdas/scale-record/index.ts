import { escalationStart, type EscalationStart } from '../core/scaling/escalation-input';
import { InvalidInputError } from '../core/invalid-input';
import { catalogueAlert } from '../core/escalation/catalogue';
import type { LedgerEntry } from '../aws/ledger-store';
import { Logger } from '@aws-lambda-powertools/logger';
import type { ComponentId } from '../../lib/config/constants';
import { ControlPlaneMetrics } from '../aws/control-plane-metrics';
import { documentClient } from '../aws/dynamo';
import { lazyHandler } from '../aws/lazy-handler';
import { LedgerStore } from '../aws/ledger-store';
import { readRuntimeConfig } from '../aws/runtime-config';
import { StateStore } from '../aws/state-store';
import type { ScalingDeps } from '../aws/scaling-deps';
import type { PlanResult } from '../scale-plan';

export interface RecordEvent {
  readonly plan: PlanResult;
  readonly outcome: 'succeeded' | 'failed';
  /** On failure: the error Step Functions caught ({Error, Cause}) or the verification's detail. */
  readonly error?: { readonly Error?: string; readonly Cause?: string } | string;
  /** The action was never issued: another execution held the component's lock. */
  readonly lockHeldElsewhere?: boolean;
  /** Under the lock the fleet no longer had the count planned from: closed without acting. */
  readonly superseded?: boolean;
}

export interface RecordResult {
  readonly entry: LedgerEntry;
  /** Seed 001 "scaling event failed": raised on every failed action. */
  readonly escalation?: EscalationStart;
  /** Incidents of this component a successful action ends (the workflow resolves them). */
  readonly resolutions: readonly EscalationStart[];
}

/**
 * What a successful action puts right, when open: a failed scaling event, a scale-up held by the
 * database, an ineffective scale-up, and the maximum once the component is back below it.
 */
const RESOLVED_BY_SUCCESS = [
  'Scaling_Event_Failed',
  'Scaling_Blocked_By_Database',
  'Scale_Up_Ineffective',
] as const;

/** Record: closes the ledger entry of an action with its outcome and time to scale. */
type RecordDeps = Pick<ScalingDeps, 'ledger' | 'store' | 'logger' | 'metrics' | 'now'>;

export function makeRecordHandler(deps: RecordDeps) {
  return async (event: RecordEvent): Promise<RecordResult> => {
    const planned = await deps.ledger.plannedBy(event.plan.executionId);
    if (!planned)
      throw new InvalidInputError(`plan.executionId: no decision recorded for ${event.plan.executionId}`);
    const now = deps.now();
    const error =
      typeof event.error === 'string'
        ? event.error
        : event.error
          ? `${event.error.Error ?? 'Error'}: ${event.error.Cause ?? ''}`
          : undefined;
    const { entry, completedNow } = await deps.ledger.complete(planned, event.outcome, now, error);
    deps.logger.info(completedNow ? 'recorded' : 'already recorded', {
      component: entry.component,
      outcome: entry.outcome,
      timeToScaleSeconds: entry.timeToScaleSeconds,
      error,
    });
    if (completedNow && !event.lockHeldElsewhere && !event.superseded)
      countAction(deps.metrics, event.plan, entry);
    // A late or repeated Record reports the outcome that stands, not the one it was sent with.
    if (entry.outcome === 'succeeded')
      return { entry, resolutions: await resolutions(deps, event.plan, now) };
    const reason = `scaling ${entry.component} ${entry.decision.from} -> ${entry.decision.to} failed: ${error ?? 'unknown error'}`;
    return {
      entry,
      escalation: escalationStart('Scaling_Event_Failed', entry.component, entry.executionId, now, reason),
      resolutions: [],
    };
  };
}

/** The action on the dashboards: once, by the Record that closed it, only if it was issued. */
function countAction(metrics: RecordDeps['metrics'], plan: PlanResult, entry: LedgerEntry): void {
  const component = plan.component as ComponentId;
  const outcome = entry.outcome === 'succeeded' ? 'succeeded' : 'failed';
  metrics.emit('scalingActions', { component, outcome });
  if (entry.timeToScaleSeconds !== undefined)
    metrics.emit('timeToScale', { component }, entry.timeToScaleSeconds);
  // The workflow issues the action right after Plan decided it (Lock, Act).
  if (plan.alarmAt)
    metrics.emit(
      'alarmToAction',
      { component },
      Math.max(0, (Date.parse(plan.decidedAt) - Date.parse(plan.alarmAt)) / 1000),
    );
}

async function resolutions(deps: RecordDeps, plan: PlanResult, now: Date): Promise<EscalationStart[]> {
  const candidates: string[] = [...RESOLVED_BY_SUCCESS];
  if (plan.decision.to < plan.decision.from) candidates.push('Max_Instances_Reached');
  const open = await Promise.all(
    candidates.map(async (alert) =>
      (await deps.store.openIncidentOf(catalogueAlert(alert), plan.component)) ? alert : undefined,
    ),
  );
  return open
    .filter((alert): alert is string => alert !== undefined)
    .map((alert) =>
      escalationStart(
        alert,
        plan.component,
        plan.executionId,
        now,
        `${plan.component} scaled ${plan.decision.from} -> ${plan.decision.to}`,
        'OK',
      ),
    );
}

export const handler = lazyHandler((): RecordDeps => {
  const config = readRuntimeConfig();
  const db = documentClient();
  return {
    ledger: new LedgerStore(db, config.stateTable),
    store: new StateStore(db, config.stateTable),
    logger: new Logger(),
    metrics: new ControlPlaneMetrics(config.environment),
    now: () => new Date(),
  };
}, makeRecordHandler);
