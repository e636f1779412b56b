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
