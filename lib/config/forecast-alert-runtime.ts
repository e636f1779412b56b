import type { RuntimeAlert } from './alert-runtime';

/**
 * The runtime half of seed 004's predictive disk alert (Alert Thresholds > Predictive Alerts): what
 * the handlers read. A module of its own, free of the alarm's definition, so that
 * lib/config/alert-runtime.ts can splice it into SEED_ALERTS without bringing the infrastructure
 * half (lib/config/forecast-alerts.ts) into the Lambda bundles.
 */
export const PREDICTIVE_DISK_ALERT_NAME = 'Odoo_Server_Disk_Space_Free_Predictive';

/**
 * Severity Medium: seed 004 lists no severity for its predictive alerts, and its severity
 * definitions place "early warning of potential issues" at Medium (acknowledge within 2-4 hours,
 * no escalation) - a week's notice is that, while the disk filling itself is the Critical
 * Odoo_Server_Low_Disk_Space. Not held by maintenance windows: a 7-day forecast is not disturbed
 * by an hour of maintenance, and holding it would only delay the week's notice.
 */
export const PREDICTIVE_DISK_RUNTIME_ALERT: RuntimeAlert = {
  name: PREDICTIVE_DISK_ALERT_NAME,
  kind: 'incident',
  component: 'platform',
  severity: 'Medium',
  description:
    "A disk that can fill is forecast to reach 10% free within 7 days (the lower bound of its 90% prediction interval, fitted over 30 days): the database's storage against its storage-autoscaling ceiling, or a GPU host's root volume. The Odoo filestore (EFS) grows elastically and cannot fill.",
  condition: '90% prediction bound of free disk space < 10% within 7 days (30-day linear trend)',
  signal: { type: 'metric' },
  correlationGroup: 'storage_capacity',
  security: false,
  suppressedByMaintenance: false,
  confirmation: { count: 1, windowMinutes: 0 },
  runbook: 'runbooks/disk_space_predictive.md',
};
