import type { ChannelId } from '../../lib/config/schema';
import { catalogueAlert } from '../core/escalation/catalogue';
import { resolutionMessages } from '../core/escalation/messages';
import { defaultDeps, type Deps } from '../aws/deps';
import { lazyHandler } from '../aws/lazy-handler';
import { ControlPlaneMetrics } from '../aws/control-plane-metrics';
import type { MetricsSink } from '../core/metrics-sink';
import { toPublications, type Publication } from '../aws/publications';

export interface ResolveEvent {
  /** Register's decision: `incidentId` is absent when no incident was open. */
  readonly decision: { readonly incidentId?: string };
}

export type ResolveResult =
  | { readonly resolved: false; readonly reason: string; readonly publications: readonly Publication[] }
  | {
      readonly resolved: true;
      readonly notified: readonly ChannelId[];
      /** The resolution notices the workflow publishes to every channel that was paged. */
      readonly publications: readonly Publication[];
      /** The token of an escalation step still waiting: the workflow completes it. */
      readonly taskToken?: string;
    };

/**
 * Resolve: the alarm is back to OK. Marks the incident resolved and renders the notice for every
 * channel that was paged; the workflow publishes it and completes a step still waiting.
 */
type ResolveDeps = Deps & { readonly metrics: MetricsSink };

export function makeResolveHandler(deps: ResolveDeps) {
  return async (event: ResolveEvent): Promise<ResolveResult> => {
    const id = event.decision.incidentId;
    if (!id) return { resolved: false, reason: 'no incident was open', publications: [] };
    const now = deps.now();
    const before = await deps.store.resolve(id, now);
    if (!before) return { resolved: false, reason: `incident ${id} was already resolved`, publications: [] };
    const paged = [...new Set(before.pages.flatMap((p) => p.channels))];
    const alert = catalogueAlert(before.alertName);
    deps.metrics.emit('incidentsResolved', { severity: alert.severity });
    const messages = resolutionMessages(before, alert, paged, {
      environment: deps.config.environment,
      runbookBaseUrl: deps.config.runbookBaseUrl,
      at: now,
    });
    const { publications, channels } = toPublications(messages, deps.config.channelTopics, {
      incidentId: before.id,
      severity: before.severity,
      level: 'resolved',
    });
    deps.logger.info('resolved', { incident: before.id, notified: channels });
    const waiting = before.taskToken && before.status === 'open' ? { taskToken: before.taskToken } : {};
    return { resolved: true, notified: channels, publications, ...waiting };
  };
}

export const handler = lazyHandler((): ResolveDeps => {
  const deps = defaultDeps();
  return { ...deps, metrics: new ControlPlaneMetrics(deps.config.environment) };
}, makeResolveHandler);
