/**
 * The ticketing integration's plain names and lists (no zod): what the ticket function's bundle
 * reads. lib/config/ticketing.ts holds the schema and re-exports these.
 */
export const TICKETING_SYSTEMS = ['odoo-helpdesk', 'jira-service-management', 'none'] as const;
export type TicketingSystem = (typeof TICKETING_SYSTEMS)[number];

/** Seed 004's trigger: `Severity IN (Critical, High, Medium) AND IsNewIncident`. */
export const TICKETED_SEVERITIES = ['Critical', 'High', 'Medium'] as const;
export type TicketedSeverity = (typeof TICKETED_SEVERITIES)[number];

/**
 * The alert raised when tickets cannot be opened: it never opens a ticket itself (in the system
 * that is failing, it would only fail again and keep its own alarm up).
 */
export const TICKETING_FAILURE_ALERT = 'Ticketing_Integration_Failing';

/** Where the ticket function publishes its failures (lib/config/ticketing-alert.ts alarms on it). */
export const TICKETING_METRICS = {
  namespace: 'InfluenceGen/Ticketing',
  failures: 'TicketingFailures',
} as const;
