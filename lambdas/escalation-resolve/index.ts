import type { ChannelId } from '../../lib/config/schema';
import { catalogueAlert } from '../core/escalation/input';
import { resolutionMessages } from '../core/escalation/messages';
import { lazyHandler, type Deps } from '../aws/deps';
import { completeWaitingStep } from '../aws/task-tokens';

export interface ResolveEvent {
  /** Register's decision: `incidentId` is absent when no incident was open. */
  readonly decision: { readonly incidentId?: string };
}

export type ResolveResult =
  | { readonly resolved: false; readonly reason: string }
  | { readonly resolved: true; readonly notified: readonly ChannelId[] };

/**
 * Resolve: the alarm is back to OK. Marks the incident resolved, stops its escalation if a step
 * is waiting, and tells every channel that was paged.
 */
export function makeResolveHandler(deps: Deps) {
  return async (event: ResolveEvent): Promise<ResolveResult> => {
    const id = event.decision.incidentId;
    if (!id) return { resolved: false, reason: 'no incident was open' };
    const now = deps.now();
    const before = await deps.store.resolve(id, now);
    if (!before) return { resolved: false, reason: `incident ${id} was already resolved` };
    if (before.taskToken && before.status === 'open') {
      await completeWaitingStep(deps.sfn, before.taskToken, { outcome: 'resolved' });
    }
    const paged = [...new Set(before.pages.flatMap((p) => p.channels))];
    const alert = catalogueAlert(before.alertName);
    const { sent } = await deps.notifier.publish(
      resolutionMessages(before, alert, paged, {
        environment: deps.config.environment,
        runbookBaseUrl: deps.config.runbookBaseUrl,
        at: now,
      }),
      { incidentId: before.id, severity: before.severity, level: 'resolved' },
    );
    deps.logger.info('resolved', { incident: before.id, notified: sent });
    return { resolved: true, notified: sent };
  };
}

export const handler = lazyHandler(makeResolveHandler);
