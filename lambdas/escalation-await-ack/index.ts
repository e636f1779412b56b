import type { TokenDeps } from '../aws/deps';
import { lazyHandler } from '../aws/lazy-handler';
import { tokenDeps } from '../aws/token-deps';
import { completeWaitingStep } from '../aws/task-tokens';

/** A step starts waiting: its task token goes on the incident. */
export interface AwaitAckEvent {
  readonly phase?: 'wait';
  readonly incidentId: string;
  readonly taskToken: string;
  /** This step's acknowledgement timeout (the workflow enforces it; logged for the operator). */
  readonly waitSeconds?: number;
}

/** A waiting step was woken (SendTaskSuccess): was it by a verified acknowledgement? */
export interface VerifyWakeEvent {
  readonly phase: 'verify';
  readonly incidentId: string;
  readonly stepIndex: number;
  /** The step's whole acknowledgement delay (its remaining part is measured from when it paged). */
  readonly stepWaitSeconds: number;
}

export type VerifyWakeResult =
  | { readonly outcome: 'acknowledged'; readonly by: string }
  | { readonly outcome: 'resolved' | 'closed' }
  /** Woken with the incident still open and unacknowledged: ignored; the wait goes on. */
  | { readonly outcome: 'invalid'; readonly remainingSeconds: number };

/**
 * AwaitAcknowledgement (a `.waitForTaskToken` task) keeps the step's task token on the incident,
 * where an acknowledgement or the resolution finds it; if the incident is no longer open the step
 * completes at once. When the step is woken, `verify` reads the incident: only an acknowledgement
 * the ack function recorded (with the verified acknowledger) or a resolution ends the escalation;
 * a bare SendTaskSuccess with the token is recorded as invalid and the step waits out the rest.
 */
export function makeAwaitAckHandler(deps: TokenDeps) {
  return async (event: AwaitAckEvent | VerifyWakeEvent): Promise<{ waiting: boolean } | VerifyWakeResult> => {
    if (event.phase === 'verify') return verify(deps, event);
    if (await deps.store.storeTaskToken(event.incidentId, event.taskToken)) return { waiting: true };
    const incident = await deps.store.incident(event.incidentId);
    await completeWaitingStep(deps.sfn, event.taskToken, { outcome: incident?.status ?? 'missing' });
    return { waiting: false };
  };
}

async function verify(deps: TokenDeps, event: VerifyWakeEvent): Promise<VerifyWakeResult> {
  const incident = await deps.store.incident(event.incidentId);
  if (!incident) return { outcome: 'closed' };
  if (incident.status === 'acknowledged' && incident.acknowledgedBy)
    return { outcome: 'acknowledged', by: incident.acknowledgedBy };
  if (incident.status === 'resolved') return { outcome: 'resolved' };
  if (incident.status !== 'open') return { outcome: 'closed' };
  const now = deps.now();
  await deps.store.recordInvalidWake(incident.id, { at: now.toISOString(), step: event.stepIndex });
  const plannedAt = incident.stepPlans?.[String(event.stepIndex)]?.at;
  const elapsed = plannedAt ? Math.floor((now.getTime() - Date.parse(plannedAt)) / 1000) : 0;
  const remainingSeconds = Math.max(0, event.stepWaitSeconds - elapsed);
  deps.logger.warn('woken without a verified acknowledgement; still waiting', {
    incident: incident.id,
    step: event.stepIndex,
    remainingSeconds,
  });
  return { outcome: 'invalid', remainingSeconds };
}

export const handler = lazyHandler(tokenDeps, makeAwaitAckHandler);
