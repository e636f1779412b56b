import type { ChannelId } from '../../../lib/config/schema';
import type { Incident } from './types';

/** Statuses in which an incident still holds its alert: a new ALARM of it joins rather than pages. */
const UNRESOLVED: ReadonlySet<Incident['status']> = new Set([
  'open',
  'acknowledged',
  'linked',
  'remediating',
]);

export function isUnresolved(incident: Pick<Incident, 'status'>): boolean {
  return UNRESOLVED.has(incident.status);
}

/**
 * Where paging of a taken-over incident resumes: the last step it planned (its unsent channels
 * are sent and the rest of that step's wait is kept), or the first step if it never paged.
 */
export function resumeStep(incident: Pick<Incident, 'stepPlans'>): number {
  const planned = Object.keys(incident.stepPlans ?? {}).map(Number);
  return planned.length > 0 ? Math.max(...planned) : 0;
}

/** The delivery key of one channel of one step (`resolved` for the resolution notice). */
export function deliveryKey(step: number | 'resolved', channel: string): string {
  return `${step}#${channel}`;
}

/** The channels any page of the incident reached (what the resolution notice goes to). */
export function pagedChannels(incident: Pick<Incident, 'delivered'>): ChannelId[] {
  const channels = Object.keys(incident.delivered ?? {})
    .filter((key) => !key.startsWith('resolved#'))
    .map((key) => key.slice(key.indexOf('#') + 1) as ChannelId);
  return [...new Set(channels)];
}
