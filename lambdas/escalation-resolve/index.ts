import type { ChannelId } from '../../lib/config/schema';
import { catalogueAlert } from '../core/escalation/catalogue';
import { pagedChannels } from '../core/escalation/incident-state';
import { resolutionMessages } from '../core/escalation/messages';
import { incidentLock } from '../aws/incident-registry';
import { invocationKeys, lazyHandler, workflowKeys } from '../aws/lazy-handler';
import { deliverOnce } from '../aws/pager';
import { pagingDeps, type PagingDeps } from '../aws/paging-deps';
import { toPublications } from '../aws/publications';
import { noteTransient } from '../aws/transient-incidents';
import { InvalidInputError } from '../core/invalid-input';
import type { TransientNote } from '../core/escalation/types';
import type { Severity } from '../../lib/config/constants';

export type ResolveEvent =
  | {
      /** Register's decision: `incidentId` is absent when no incident was open. */
      readonly decision: { readonly incidentId?: string };
    }
  | {
      /**
       * The health probe found the service answering before the first page (seed 004 "Alert
       * Validation"): close the incident as a potential transient issue, page nobody.
       */
      readonly phase: 'transient';
      readonly incidentId: string;
      readonly probe: unknown;
    };

export type ResolveResult =
  | { readonly resolved: false; readonly reason: string }
  | { readonly resolved: true; readonly transient: true }
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
  const transient = makeTransientHandler(deps);
  return async (event: ResolveEvent): Promise<ResolveResult> => {
    if ('phase' in event) return transient(event);
    const id = event.decision?.incidentId;
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

/**
 * Closes, under the group lock, an incident the health probe contradicted: only while it is still
 * open and nobody was paged (a page, an acknowledgement or a resolution since wins), with the
 * probe's verdict kept on it and logged. The verdict is written before the incident is closed, so
 * a retry after either write finishes the job: an open incident is (noted again, a no-op, and)
 * closed; a closed one with its verdict is done.
 */
function makeTransientHandler(deps: PagingDeps) {
  return async (event: Extract<ResolveEvent, { phase: 'transient' }>): Promise<ResolveResult> => {
    const note = transientNote(event.probe, deps.now());
    const found = await deps.store.incident(event.incidentId);
    if (!found) throw new InvalidInputError(`incidentId: incident ${event.incidentId} does not exist`);
    return deps.store.lock.withLock(incidentLock(found), async () => {
      const incident = (await deps.store.incident(event.incidentId)) ?? found;
      if (incident.status === 'resolved' && incident.transient) return { resolved: true, transient: true };
      if (incident.status !== 'open' || incident.pages.length > 0)
        return {
          resolved: false,
          reason: `incident is ${incident.status} with ${incident.pages.length} page(s)`,
        };
      await noteTransient(deps.db, deps.config.stateTable, incident.id, note);
      await deps.store.resolve(incident.id, deps.now());
      deps.metrics.emit('incidentsResolved', { severity: incident.severity as Severity });
      deps.logger.warn(
        'potential transient issue: the health probe found the service answering; nobody paged',
        {
          incident: incident.id,
          alert: incident.alertName,
          probe: note,
        },
      );
      return { resolved: true, transient: true };
    });
  };
}

/** The probe's output (lambdas/health-probe), checked: a verdict without a target or url is not one. */
function transientNote(probe: unknown, now: Date): TransientNote {
  const p = (typeof probe === 'object' && probe !== null ? probe : {}) as Record<string, unknown>;
  if (p.status !== 'HEALTHY') throw new InvalidInputError('probe.status: a transient needs a HEALTHY probe');
  if (typeof p.target !== 'string' || typeof p.url !== 'string')
    throw new InvalidInputError('probe: expected target and url');
  return {
    at: now.toISOString(),
    target: p.target,
    url: p.url,
    ...(typeof p.httpStatus === 'number' ? { httpStatus: p.httpStatus } : {}),
    durationMs: typeof p.durationMs === 'number' ? p.durationMs : -1,
    reason: typeof p.reason === 'string' ? p.reason.slice(0, 300) : '',
  };
}

/** The incident is in Register's decision (and the execution at the top, should the task pass it). */
export const handler = lazyHandler(pagingDeps, makeResolveHandler, (event: ResolveEvent) => ({
  ...workflowKeys(event),
  ...invocationKeys({ incidentId: 'phase' in event ? event.incidentId : event.decision?.incidentId }),
}));
