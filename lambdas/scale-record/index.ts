import { escalationStart, type EscalationStart } from '../core/scaling/escalation-input';
import { InvalidInputError } from '../core/escalation/input';
import type { LedgerEntry } from '../aws/ledger-store';
import { Logger } from '@aws-lambda-powertools/logger';
import { documentClient } from '../aws/dynamo';
import { lazyHandler } from '../aws/lazy-handler';
import { LedgerStore } from '../aws/ledger-store';
import { readRuntimeConfig } from '../aws/runtime-config';
import type { ScalingDeps } from '../aws/scaling-deps';
import type { PlanResult } from '../scale-plan';

export interface RecordEvent {
  readonly plan: PlanResult;
  readonly outcome: 'succeeded' | 'failed';
  /** On failure: the error Step Functions caught ({Error, Cause}) or the verification's detail. */
  readonly error?: { readonly Error?: string; readonly Cause?: string } | string;
}

export interface RecordResult {
  readonly entry: LedgerEntry;
  /** Seed 001 "scaling event failed": raised on every failed action. */
  readonly escalation?: EscalationStart;
}

/** Record: closes the ledger entry of an action with its outcome and time to scale. */
type RecordDeps = Pick<ScalingDeps, 'ledger' | 'logger' | 'now'>;

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
    const entry = await deps.ledger.complete(planned, event.outcome, now, error);
    deps.logger.info('recorded', {
      component: entry.component,
      outcome: entry.outcome,
      timeToScaleSeconds: entry.timeToScaleSeconds,
      error,
    });
    if (event.outcome === 'succeeded') return { entry };
    const reason = `scaling ${entry.component} ${entry.decision.from} -> ${entry.decision.to} failed: ${error ?? 'unknown error'}`;
    return {
      entry,
      escalation: escalationStart('Scaling_Event_Failed', entry.component, entry.executionId, now, reason),
    };
  };
}

export const handler = lazyHandler(
  (): RecordDeps => ({
    ledger: new LedgerStore(documentClient(), readRuntimeConfig().stateTable),
    logger: new Logger(),
    now: () => new Date(),
  }),
  makeRecordHandler,
);
