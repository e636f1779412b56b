import type { RuntimeAlert } from './alert-runtime';
import { TICKETING_FAILURE_ALERT } from './ticketing-names';

/**
 * The ticketing integration's own alert, the runtime half (lib/config/ticketing-alert.ts has its
 * alarm, kept apart so the Lambda bundles, which read this half, never carry alarm definitions). Raised when a ticket step of the escalation workflow gave up after its
 * retries (lambdas/escalation-ticket publishes TicketingFailures then).
 *
 * Severity Medium: a ticket system that is down loses the paper trail, not the page (the page
 * always went out first), so it is an "issue needing attention in business hours", seed 004's
 * Medium, not a reason to wake anyone; it opens no ticket itself (in the system that is failing,
 * lambdas/core/ticketing/ticket.ts). Not held by maintenance windows: the ticket system's maintenance is not the
 * platform's.
 */
export const TICKETING_RUNTIME_ALERT: RuntimeAlert = {
  name: TICKETING_FAILURE_ALERT,
  kind: 'incident',
  component: 'platform',
  severity: 'Medium',
  description:
    'The escalation workflow could not open or update an incident ticket in the ticket system after its retries: incidents are paged but not ticketed.',
  condition: 'TicketingFailures >= 1 in 5 minutes (a ticket step gave up after its retries)',
  signal: { type: 'metric' },
  correlationGroup: 'ticketing',
  security: false,
  suppressedByMaintenance: false,
  confirmation: { count: 1, windowMinutes: 0 },
  runbook: 'runbooks/ticketing_integration_failing.md',
};
