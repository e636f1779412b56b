import type { RuntimeAlert } from './alert-runtime';

/** Where the scaling incidents come from in the seeds (lib/config/alerts.ts gives it each of them). */
export const SCALING_INCIDENTS_SOURCE = 'seed 001 Runaway Protection and alerts; seed 002 post-scale alert';

/** Raised by the scale-decision workflow itself (seed 001 "scaling event failed", "max instances reached"). */
const scalingIncident = (
  name: string,
  severity: 'High' | 'Medium',
  description: string,
  runbook: string,
): RuntimeAlert => ({
  name,
  kind: 'incident',
  component: 'platform',
  severity,
  description,
  condition: description,
  signal: { type: 'workflow', raisedBy: 'scale-decision' },
  correlationGroup: 'scaling',
  security: false,
  suppressedByMaintenance: false,
  confirmation: { count: 1, windowMinutes: 0 },
  runbook,
});

export const SCALING_INCIDENTS: RuntimeAlert[] = [
  scalingIncident(
    'Scaling_Event_Failed',
    'High',
    'A scaling action failed or did not reach the new capacity.',
    'runbooks/scaling_event_failed.md',
  ),
  scalingIncident(
    'Max_Instances_Reached',
    'High',
    'A component reached its maximum capacity while its rules still ask for more.',
    'runbooks/max_instances_reached.md',
  ),
  scalingIncident(
    'Scaling_Runaway_Paused',
    'High',
    'Too many scaling actions in one hour: automatic scaling of the component is paused.',
    'runbooks/scaling_runaway_paused.md',
  ),
  scalingIncident(
    'Scaling_Blocked_By_Database',
    'High',
    'An Odoo scale-up was held because PostgreSQL connections are above 80% of their maximum (seed 002 connection-pool trigger).',
    'runbooks/scaling_blocked_by_database.md',
  ),
  scalingIncident(
    'Scale_Up_Ineffective',
    'Medium',
    'After a scale-up, CPU is still above 85% or latency is not improving (seed 002).',
    'runbooks/scale_up_ineffective.md',
  ),
];
