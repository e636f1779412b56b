import type { TokenDeps } from '../aws/deps';
import { lazyHandler } from '../aws/lazy-handler';
import { tokenDeps } from '../aws/token-deps';
import { completeWaitingStep } from '../aws/task-tokens';

export interface AwaitAckEvent {
  readonly incidentId: string;
  readonly taskToken: string;
  /** This step's acknowledgement timeout (the workflow enforces it; logged for the operator). */
  readonly waitSeconds?: number;
}

/**
 * AwaitAcknowledgement (a `.waitForTaskToken` task): keeps the step's task token on the incident,
 * where an acknowledgement or the resolution finds it. If the incident is no longer open (it was
 * acknowledged or resolved while the page went out) the step completes at once.
 */
export function makeAwaitAckHandler(deps: TokenDeps) {
  return async (event: AwaitAckEvent): Promise<{ waiting: boolean }> => {
    if (await deps.store.storeTaskToken(event.incidentId, event.taskToken)) return { waiting: true };
    const incident = await deps.store.incident(event.incidentId);
    await completeWaitingStep(deps.sfn, event.taskToken, { outcome: incident?.status ?? 'missing' });
    return { waiting: false };
  };
}

export const handler = lazyHandler(tokenDeps, makeAwaitAckHandler);
