import type { RuntimeAlert } from '../../../lib/config/alert-runtime';
import {
  TICKETED_SEVERITIES,
  TICKETING_FAILURE_ALERT,
  type TicketedSeverity,
} from '../../../lib/config/ticketing-names';
import type { Incident } from '../escalation/types';

/**
 * What a ticket says and when one is due: pure, the same for every ticket system. The adapters
 * (lambdas/aws/odoo-helpdesk.ts, jira-service-management.ts) turn it into their own requests.
 */

export interface TicketContent {
  /** Also the marker a retry searches for: `[<incident id>]` is in every ticket's title. */
  readonly summary: string;
  readonly description: string;
  readonly severity: TicketedSeverity;
  readonly runbookUrl: string;
  readonly incidentId: string;
}

/** A change pushed to an open ticket: each happens once per ticket. */
export type TicketUpdateKind = 'acknowledged' | 'resolved';

export interface TicketUpdate {
  readonly kind: TicketUpdateKind;
  readonly note: string;
}

type Eligibility =
  | { readonly eligible: true; readonly severity: TicketedSeverity }
  | { readonly eligible: false; readonly reason: string };

/**
 * Seed 004: `Severity IN (Critical, High, Medium) AND IsNewIncident`. New: the escalation opened
 * it (a remediation handing an incident over, or a child linked to its parent, is not new).
 */
export function ticketEligibility(
  incident: Pick<Incident, 'severity' | 'alertName' | 'status'>,
): Eligibility {
  if (incident.alertName === TICKETING_FAILURE_ALERT)
    return { eligible: false, reason: `${TICKETING_FAILURE_ALERT} is about the ticket system itself` };
  if (!(TICKETED_SEVERITIES as readonly string[]).includes(incident.severity))
    return { eligible: false, reason: `severity ${incident.severity} opens no ticket` };
  if (incident.status === 'linked')
    return { eligible: false, reason: 'a child linked to its parent incident' };
  return { eligible: true, severity: incident.severity as TicketedSeverity };
}

/** The marker in a ticket's title that finds it again (an id has no brackets or spaces). */
export function ticketMarker(incidentId: string): string {
  return `[${incidentId}]`;
}

export function ticketContent(
  incident: Incident,
  alert: RuntimeAlert,
  severity: TicketedSeverity,
  ctx: { readonly environment: string; readonly runbookBaseUrl: string },
): TicketContent {
  const runbookUrl = new URL(alert.runbook, ctx.runbookBaseUrl).toString();
  const lines = [
    `${alert.description}`,
    '',
    `Incident: ${incident.id}`,
    `Alert: ${alert.name} (${severity}) on ${incident.subject}`,
    `Condition: ${alert.condition}`,
    `Environment: ${ctx.environment}`,
    `Opened: ${incident.openedAt}`,
    `Runbook: ${runbookUrl}`,
    ...(incident.findings ? [`Seen and tried before paging: ${incident.findings}`] : []),
  ];
  return {
    // The subject (an alarm's name, a host) is in the description: titles stay short and alike.
    summary: `${ticketMarker(incident.id)} ${severity}: ${alert.name} (${ctx.environment})`,
    description: lines.join('\n'),
    severity,
    runbookUrl,
    incidentId: incident.id,
  };
}

/** What the incident has become that its ticket does not say yet, in order. */
export function dueUpdates(incident: Incident, done: ReadonlySet<TicketUpdateKind>): TicketUpdate[] {
  const updates: TicketUpdate[] = [];
  if (incident.acknowledgedBy && !done.has('acknowledged'))
    updates.push({
      kind: 'acknowledged',
      note: `Acknowledged by ${incident.acknowledgedBy} at ${incident.acknowledgedAt ?? 'an unknown time'}${
        incident.acknowledgementComment ? `: ${incident.acknowledgementComment}` : ''
      }`,
    });
  if (incident.status === 'resolved' && !done.has('resolved'))
    updates.push({
      kind: 'resolved',
      note: `Resolved at ${incident.resolvedAt ?? 'an unknown time'}: the alert returned to OK or the control plane repaired it.`,
    });
  return updates;
}
