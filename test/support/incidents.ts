import type { Incident } from '../../lambdas/core/escalation/types';
import type { StateStore } from '../../lambdas/aws/state-store';

/**
 * Puts an incident in the state table as Register would have left it: the incident item, its
 * alert's state pointing at it (while unresolved) and the alert's latest-incident pointer.
 */
export async function seedIncident(store: StateStore, incident: Incident, now: Date): Promise<void> {
  await store.putIncident({ activeMembers: [`${incident.alertName}#${incident.subject}`], ...incident }, now);
  await store.pointLatest(incident, now);
  if (incident.status !== 'resolved') {
    await store.registry.updateAlert(
      { name: incident.alertName, correlationGroup: incident.correlationGroup },
      incident.subject,
      (state) => ({
        ...state,
        incidentId: incident.id,
      }),
    );
  }
}
