import type { RuntimeAlert } from '../../../lib/config/alert-runtime';
import { derivedIncidentId } from '../escalation/ids';
import { newIncident } from '../escalation/new-incident';
import type { Incident } from '../escalation/types';

/** The incident of one remediation, derived from its execution so that a re-run finds it again. */
export function remediationIncidentId(executionId: string, at: Date): string {
  return derivedIncidentId(executionId, at);
}

/**
 * A stall the workflow is remediating: an incident (it holds GPU scale-out, counts later
 * triggers, and resolves when the alarm returns to OK) that pages nobody yet. If remediation
 * fails, the escalation workflow takes it over and pages (lambdas/core/escalation/register.ts).
 */
export function remediatingIncident(
  alert: RuntimeAlert,
  subject: string,
  id: string,
  now: Date,
  seen: string,
): Incident {
  return newIncident(alert, { id, subject, status: 'remediating', now, findings: seen });
}
