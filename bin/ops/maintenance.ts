import { randomUUID } from 'node:crypto';
import { ALERT_COMPONENTS } from '../../lib/config/constants';
import type { StateStore } from '../../lambdas/aws/state-store';
import type { MaintenanceWindow } from '../../lambdas/core/escalation/types';
import { UsageError } from './errors';

/**
 * `ops maintenance COMPONENT --from T --to T --reason TEXT`: declares a maintenance window. Alerts
 * of that component are recorded and not paged inside it, except security and backup alerts.
 */
export async function declareMaintenance(
  store: StateStore,
  args: { component: string; from?: string; to?: string; reason?: string; by: string },
  now: Date = new Date(),
): Promise<MaintenanceWindow & { id: string }> {
  if (!(ALERT_COMPONENTS as readonly string[]).includes(args.component)) {
    throw new UsageError(`component: ${args.component} is not one of ${ALERT_COMPONENTS.join(', ')}`);
  }
  const start = args.from ? Date.parse(args.from) : now.getTime();
  const end = args.to ? Date.parse(args.to) : Number.NaN;
  if (Number.isNaN(start)) throw new UsageError(`--from: ${args.from} is not a date and time (use ISO 8601)`);
  if (Number.isNaN(end))
    throw new UsageError(`--to: ${args.to ?? '(missing)'} is not a date and time (use ISO 8601)`);
  if (end <= start) throw new UsageError('--to: must be after --from');
  if (end - start > 24 * 3600_000) throw new UsageError('--to: a maintenance window lasts at most 24 hours');
  if (!args.reason?.trim()) throw new UsageError('--reason: say what the maintenance is');
  const window = {
    id: randomUUID(),
    component: args.component,
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    reason: args.reason.trim(),
    createdBy: args.by,
  };
  await store.putMaintenance(window);
  return window;
}
