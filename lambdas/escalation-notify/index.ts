import type { ChannelId } from '../../lib/config/schema';
import { catalogueAlert } from '../core/escalation/catalogue';
import { channelsFor, fallbackChannelFor } from '../core/escalation/channels';
import { InvalidInputError } from '../core/invalid-input';
import { pageMessages } from '../core/escalation/messages';
import { escalationSteps } from '../core/escalation/plan';
import type { EscalationStep } from '../core/escalation/types';
import { incidentLock } from '../aws/incident-registry';
import { lazyHandler } from '../aws/lazy-handler';
import { deliverOnce } from '../aws/pager';
import { pagingDeps, type PagingDeps } from '../aws/paging-deps';
import { toPublications } from '../aws/publications';

export interface NotifyEvent {
  readonly incidentId: string;
  readonly stepIndex: number;
}

export type NotifyResult =
  | { readonly stopped: true; readonly reason: string }
  | {
      readonly stopped: false;
      readonly step: EscalationStep;
      /** Channels SNS accepted now, and channels an earlier attempt had delivered. */
      readonly channels: readonly ChannelId[];
      readonly alreadyDelivered: readonly ChannelId[];
      /** Channels SNS kept refusing: the fallback channel was paged and the next level comes now. */
      readonly failed: readonly ChannelId[];
      readonly fallback?: ChannelId;
      /** How long to wait for an acknowledgement before the next step (0: go on now). */
      readonly waitSeconds: number;
    };

/**
 * Notify: pages one escalation step, exactly once per channel. Under the incident's group lock (so
 * a resolution Register commits cannot interleave with the publishing) it checks that the incident
 * is still open, fixes the step's channels once (a retry pages the same ones), publishes each
 * channel not yet delivered and records it after SNS accepts it. A channel SNS keeps refusing
 * pages the fallback channel instead and moves the escalation on without waiting.
 */
export function makeNotifyHandler(deps: PagingDeps) {
  return async (event: NotifyEvent): Promise<NotifyResult> => {
    const found = await deps.store.incident(event.incidentId);
    if (!found) throw new InvalidInputError(`incidentId: incident ${event.incidentId} does not exist`);
    const alert = catalogueAlert(found.alertName);
    const step = escalationSteps(alert)[event.stepIndex];
    if (!step) throw new InvalidInputError(`stepIndex: ${event.stepIndex} is beyond the escalation path`);

    return deps.store.lock.withLock(incidentLock(found), async (lease) => {
      const incident = await deps.store.incident(event.incidentId);
      if (!incident || incident.status !== 'open')
        return { stopped: true, reason: `incident is ${incident?.status ?? 'missing'}` };
      const now = deps.now();
      const plan = await deps.store.planStep(incident.id, step.index, {
        channels: channelsFor(alert, now),
        at: now.toISOString(),
      });
      const render = (channels: readonly ChannelId[]) => {
        const rendered = toPublications(
          pageMessages(incident, alert, step, channels, {
            environment: deps.config.environment,
            runbookBaseUrl: deps.config.runbookBaseUrl,
            at: new Date(plan.at),
          }),
          deps.config.channelTopics,
          { incidentId: incident.id, severity: incident.severity, level: String(step.level) },
        );
        if (rendered.missing.length > 0)
          deps.logger.warn('channels without a topic', { missing: rendered.missing });
        return rendered;
      };

      const report = await deliverOnce(deps, incident.id, step.index, render(plan.channels), lease);
      const failed = report.failed.map((f) => f.channel);
      let fallback: ChannelId | undefined;
      const fallbackChannel = fallbackChannelFor(plan.channels);
      if (failed.length > 0 && !failed.includes(fallbackChannel)) {
        const viaFallback = await deliverOnce(
          deps,
          incident.id,
          step.index,
          render([fallbackChannel]),
          lease,
        );
        if (viaFallback.delivered.length + viaFallback.alreadyDelivered.length > 0)
          fallback = fallbackChannel;
      }
      const channels = [...report.delivered, ...report.alreadyDelivered, ...(fallback ? [fallback] : [])];
      if (
        await deps.store.recordPage(incident.id, {
          step: step.index,
          level: step.level,
          audience: step.audience,
          channels: [...new Set(channels)],
          at: plan.at,
        })
      )
        deps.metrics.emit('pages', { severity: alert.severity });
      if (failed.length > 0)
        deps.logger.error('channels failed', { incident: incident.id, failures: report.failed });
      deps.logger.info('paging', {
        incident: incident.id,
        level: step.level,
        audience: step.audience,
        delivered: report.delivered,
        alreadyDelivered: report.alreadyDelivered,
        failed,
        fallback,
      });
      // A taken-over step keeps what is left of its wait; a failed channel escalates now.
      const elapsed = Math.floor((now.getTime() - Date.parse(plan.at)) / 1000);
      const waitSeconds = failed.length > 0 || step.isLast ? 0 : Math.max(0, step.waitSeconds - elapsed);
      return {
        stopped: false,
        step,
        channels: report.delivered,
        alreadyDelivered: report.alreadyDelivered,
        failed,
        ...(fallback ? { fallback } : {}),
        waitSeconds,
      };
    });
  };
}

export const handler = lazyHandler(pagingDeps, makeNotifyHandler);
