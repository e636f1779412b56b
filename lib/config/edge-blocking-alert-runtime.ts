import type { RuntimeAlert } from './alert-runtime';

/**
 * The edge-block detector's catalogue entries, as the two halves the catalogue is composed of: the
 * runtime entries (for RUNTIME_ALERT_CATALOGUE, lib/config/alert-runtime.ts) and their alarms (for
 * INFRASTRUCTURE, lib/config/alerts.ts).
 *
 * Multiple_Admin_Failed_Logins_Different_Accounts_Same_IP is the second half of seed 004's
 * Admin_Account_Brute_Force_Suspected (the first, Admin_Account_Multiple_Failed_Logins, is a
 * Contributor Insights rule, which cannot count distinct values): the detector publishes, every
 * run, the most distinct admin accounts any one address failed on in the last 15 minutes, and the
 * alarm fires above 3. Edge_Blocking_Detector_Failing keeps the detector from failing silently.
 */
export const EDGE_RUNTIME_ALERTS: readonly RuntimeAlert[] = [
  {
    name: 'Multiple_Admin_Failed_Logins_Different_Accounts_Same_IP',
    kind: 'incident',
    component: 'security',
    severity: 'Critical',
    description:
      'Failed logins to more than 3 distinct admin accounts from the same IP in 15 minutes (the source is blocked at the WAF).',
    condition: 'distinct admin accounts with failed logins from one IP > 3 in 15 minutes',
    signal: { type: 'metric' },
    correlationGroup: 'security_incidents',
    security: true,
    suppressedByMaintenance: false,
    confirmation: { count: 1, windowMinutes: 0 },
    runbook: 'runbooks/security_admin_failed_logins.md',
  },
  {
    name: 'Edge_Blocking_Detector_Failing',
    kind: 'incident',
    component: 'security',
    severity: 'High',
    description:
      'The brute-force detector could not query the Odoo log or edit the WAF block list on 3 runs in 15 minutes: attacks are neither detected nor blocked.',
    condition: 'edge-block detector failures (query, sweep or block) >= 3 in 15 minutes',
    signal: { type: 'metric' },
    correlationGroup: 'security_incidents',
    security: true,
    suppressedByMaintenance: false,
    confirmation: { count: 1, windowMinutes: 0 },
    runbook: 'runbooks/security_admin_failed_logins.md',
  },
];
