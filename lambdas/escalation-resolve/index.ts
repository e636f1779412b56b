import type { ChannelId } from '../../lib/config/schema';
import { catalogueAlert } from '../core/escalation/catalogue';
import { pagedChannels } from '../core/escalation/incident-state';
import { resolutionMessages } from '../core/escalation/messages';
import { incidentLock } from '../aws/incident-registry';
import { invocationKeys, lazyHandler, workflowKeys } from '../aws/lazy-handler';
import { deliverOnce } from '../aws/pager';
import { pagingDeps, type PagingDeps } from '../aws/paging-deps';
import { toPublications } from '../aws/publications';

export interface ResolveEvent {
  /** Register's decision: `incidentId` is absent when no incident was open. */
  readonly decision: { readonly incidentId?: string };
}

export type ResolveResult =
  | { readonly resolved: false; readonly reason: string }
  | {
      readonly resolved: true;
      /** Channels the resolution notice reached (now or by an earlier attempt). */
      readonly notified: readonly ChannelId[];
      readonly failed: readonly ChannelId[];
      /** The token of an escalation step still waiting: the workflow completes it. */
      readonly taskToken?: string;
    };

/**
 * Resolve: Register has resolved the incident (under the group lock); this sends the resolution
 * notice, once per channel, to every channel a page reached, and hands the workflow the token of a
 * step still waiting so it can stop it.
 */
export function makeResolveHandler(deps: PagingDeps) {
  return async (event: ResolveEvent): Promise<ResolveResult> => {
    const id = event.decision.incidentId;
    if (!id) return { resolved: false, reason: 'no incident was open' };
    const found = await deps.store.incident(id);
    if (!found) return { resolved: false, reason: `incident ${id} does not exist` };
    return deps.store.lock.withLock(incidentLock(found), async (lease) => {
      const incident = (await deps.store.incident(id)) ?? found;
      if (incident.status !== 'resolved')
        return { resolved: false, reason: `incident ${id} is ${incident.status}, not resolved` };
      const paged = pagedChannels(incident);
      const alert = catalogueAlert(incident.alertName);
      const rendered = toPublications(
        resolutionMessages(incident, alert, paged, {
          environment: deps.config.environment,
          runbookBaseUrl: deps.config.runbookBaseUrl,
          at: new Date(incident.resolvedAt ?? deps.now().toISOString()),
        }),
        deps.config.channelTopics,
        { incidentId: incident.id, severity: incident.severity, level: 'resolved' },
      );
      const report = await deliverOnce(deps, incident.id, 'resolved', rendered, lease);
      deps.logger.info('resolved', {
        incident: incident.id,
        notified: report.delivered,
        failed: report.failed,
      });
      return {
        resolved: true,
        notified: [...report.delivered, ...report.alreadyDelivered],
        failed: report.failed.map((f) => f.channel),
        ...(incident.taskToken && !incident.acknowledgedBy ? { taskToken: incident.taskToken } : {}),
      };
    });
  };
}

/** The incident is in Register's decision (and the execution at the top, should the task pass it). */
export const handler = lazyHandler(pagingDeps, makeResolveHandler, (event: ResolveEvent) => ({
  ...workflowKeys(event),
  ...invocationKeys({ incidentId: event.decision.incidentId }),
}));
