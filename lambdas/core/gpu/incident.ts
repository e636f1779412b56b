import { createHash } from 'node:crypto';
import type { AlertDefinition } from '../../../lib/config/alert-schema';
import { escalationPathOf } from '../escalation/plan';
import type { Incident } from '../escalation/types';

/** The incident of one remediation, derived from its execution so that a re-run finds it again. */
export function remediationIncidentId(executionId: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').slice(0, 13);
  return `INC-${stamp}-${createHash('sha256').update(executionId).digest('hex').slice(0, 6)}`;
}

/**
 * A stall the workflow is remediating: an incident (it holds GPU scale-out, counts later
 * triggers, and resolves when the alarm returns to OK) that pages nobody yet. If remediation
 * fails, the escalation workflow takes it over and pages (lambdas/core/escalation/register.ts).
 */
export function remediatingIncident(
  alert: AlertDefinition,
  subject: string,
  id: string,
  now: Date,
  seen: string,
): Incident {
  const at = now.toISOString();
  return {
    id,
    alertName: alert.name,
    component: alert.component,
    subject,
    severity: alert.severity,
    correlationGroup: alert.correlationGroup,
    acknowledgementRequiresComment: escalationPathOf(alert).acknowledgementRequiresComment,
    status: 'remediating',
    openedAt: at,
    lastSignalAt: at,
    count: 1,
    members: [alert.name],
    pages: [],
    findings: seen,
  };
}
