import type { RuntimeAlert } from '../../../lib/config/alert-runtime';
import { escalationPathOf } from './plan';
import type { Incident } from './types';

/** A new incident of `alert`: one signal so far, nobody paged yet, severity and routing from the catalogue. */
export function newIncident(
  alert: RuntimeAlert,
  fields: {
    readonly id: string;
    readonly subject: string;
    readonly status: Incident['status'];
    readonly now: Date;
    readonly parentId?: string;
    readonly findings?: string;
  },
): Incident {
  const at = fields.now.toISOString();
  return {
    id: fields.id,
    alertName: alert.name,
    component: alert.component,
    subject: fields.subject,
    severity: alert.severity,
    correlationGroup: alert.correlationGroup,
    acknowledgementRequiresComment: escalationPathOf(alert).acknowledgementRequiresComment,
    status: fields.status,
    openedAt: at,
    lastSignalAt: at,
    count: 1,
    members: [alert.name],
    ...(fields.parentId ? { parentId: fields.parentId } : {}),
    pages: [],
    ...(fields.findings ? { findings: fields.findings } : {}),
  };
}
