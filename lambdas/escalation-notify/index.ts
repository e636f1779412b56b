import { channelsFor } from '../core/escalation/channels';
import { catalogueAlert } from '../core/escalation/catalogue';
import { InvalidInputError } from '../core/invalid-input';
import { pageMessages } from '../core/escalation/messages';
import { escalationSteps } from '../core/escalation/plan';
import type { EscalationStep } from '../core/escalation/types';
import { defaultDeps, type Deps } from '../aws/deps';
import { lazyHandler } from '../aws/lazy-handler';
import { ControlPlaneMetrics } from '../aws/control-plane-metrics';
import type { MetricsSink } from '../core/metrics-sink';
import { toPublications, type Publication } from '../aws/publications';

export interface NotifyEvent {
  readonly incidentId: string;
  readonly stepIndex: number;
}

export type NotifyResult =
  | { readonly stopped: true; readonly reason: string }
  | {
      readonly stopped: false;
      readonly step: EscalationStep;
      readonly channels: readonly string[];
      readonly alreadyPaged: boolean;
      /** The pages the workflow publishes (sns:publish), one per channel. */
      readonly publications: readonly Publication[];
    };

/** Notify: renders one escalation step's pages and records them, once per step; the workflow publishes them. */
type NotifyDeps = Deps & { readonly metrics: MetricsSink };

export function makeNotifyHandler(deps: NotifyDeps) {
  return async (event: NotifyEvent): Promise<NotifyResult> => {
    const incident = await deps.store.incident(event.incidentId);
    if (!incident) throw new InvalidInputError(`incidentId: incident ${event.incidentId} does not exist`);
    if (incident.status !== 'open') return { stopped: true, reason: `incident is ${incident.status}` };
    const alert = catalogueAlert(incident.alertName);
    const step = escalationSteps(alert)[event.stepIndex];
    if (!step) throw new InvalidInputError(`stepIndex: ${event.stepIndex} is beyond the escalation path`);

    const now = deps.now();
    const alreadyPaged = (incident as unknown as Record<string, unknown>)[`pagedStep${step.index}`] === true;
    if (alreadyPaged) return { stopped: false, step, channels: [], alreadyPaged, publications: [] };

    const channels = channelsFor(alert, now);
    const messages = pageMessages(incident, alert, step, channels, {
      environment: deps.config.environment,
      runbookBaseUrl: deps.config.runbookBaseUrl,
      at: now,
    });
    const {
      publications,
      channels: sent,
      missing,
    } = toPublications(messages, deps.config.channelTopics, {
      incidentId: incident.id,
      severity: incident.severity,
      level: String(step.level),
    });
    await deps.store.recordPage(incident.id, {
      step: step.index,
      level: step.level,
      audience: step.audience,
      channels: sent,
      at: now.toISOString(),
    });
    if (sent.length > 0) deps.metrics.emit('pages', { severity: alert.severity });
    if (missing.length > 0) deps.logger.warn('channels without a topic', { missing });
    deps.logger.info('paging', {
      incident: incident.id,
      level: step.level,
      audience: step.audience,
      channels: sent,
    });
    return { stopped: false, step, channels: sent, alreadyPaged: false, publications };
  };
}

export const handler = lazyHandler((): NotifyDeps => {
  const deps = defaultDeps();
  return { ...deps, metrics: new ControlPlaneMetrics(deps.config.environment) };
}, makeNotifyHandler);
