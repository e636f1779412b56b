import { randomUUID } from 'node:crypto';
import { DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ALERT_COMPONENTS, type AlertComponent } from '../../lib/config/constants';
import { queryAll } from '../../lambdas/aws/dynamo';
import type { StateStore } from '../../lambdas/aws/state-store';
import type { MaintenanceWindow } from '../../lambdas/core/escalation/types';
import { parseSignalTime } from '../../lambdas/core/signals/timestamps';
import { UsageError } from './errors';
import { alertComponent, MAX_WINDOW_HOURS, reason } from './validate';

/**
 * Maintenance windows in the state table (lambdas/aws/state-store.ts): one item per window,
 *   MAINTENANCE#<component> / <end>#<id>
 * so that a query from now on finds the windows that have not ended. Alerts of the component, and of
 * the components that depend on it (lib/config/maintenance-scope.ts), are recorded and not paged
 * inside a window, except security and backup alerts; their scaling, remediation and automatic backup
 * re-runs wait.
 */

interface WindowRequest {
  readonly component: AlertComponent;
  readonly start: Date;
  readonly end: Date;
  readonly reason: string;
}

type StoredWindow = MaintenanceWindow & {
  readonly id: string;
  readonly createdBy: string;
  readonly plannedEnd?: string;
  readonly endedBy?: string;
};

const RELATIVE = /^\+(\d+)(m|h)$/;

/**
 * An ISO 8601 date and time with its zone, as strictly as the router reads an alarm's time
 * (lambdas/core/signals/timestamps.ts: every field in range), or `+90m` / `+2h` after `base`.
 */
function time(name: string, value: string, base: Date): Date {
  const relative = RELATIVE.exec(value);
  if (relative)
    return new Date(base.getTime() + Number(relative[1]) * (relative[2] === 'h' ? 3600_000 : 60_000));
  const ms = parseSignalTime(value);
  if (ms !== undefined) return new Date(ms);
  if (parseSignalTime(`${value}Z`) !== undefined)
    throw new UsageError(`${name}: ${value} has no time zone: add Z (UTC) or an offset such as +01:00`);
  throw new UsageError(
    `${name}: ${value} is not a date and time (ISO 8601 such as 2026-11-23T12:00:00Z, or +90m / +2h)`,
  );
}

/**
 * The checks of `ops maintenance declare`, before anything reaches AWS: a component alerts are
 * raised on, an end in the future and after the start (`--from` defaults to now), at most
 * MAX_WINDOW_HOURS long, and a reason.
 */
export function maintenanceWindow(
  args: { component?: unknown; from?: unknown; to?: unknown; reason?: unknown },
  now: Date = new Date(),
): WindowRequest {
  const component = alertComponent(args.component);
  const start = args.from === undefined ? now : time('--from', String(args.from), now);
  if (args.to === undefined) throw new UsageError('--to: required: when the maintenance ends');
  const end = time('--to', String(args.to), start);
  if (end.getTime() <= now.getTime())
    throw new UsageError(`--to: ${String(args.to)} is in the past (${end.toISOString()})`);
  if (end.getTime() <= start.getTime()) throw new UsageError('--to: must be after --from');
  if (end.getTime() - start.getTime() > MAX_WINDOW_HOURS * 3600_000)
    throw new UsageError(`--to: a maintenance window lasts at most ${MAX_WINDOW_HOURS} hours`);
  return { component, start, end, reason: reason(args.reason, 'say what the maintenance is') };
}

/** `ops maintenance declare`: stores the window (the escalation reads it at every alert). */
export async function declareMaintenance(
  store: StateStore,
  window: WindowRequest & { by: string },
): Promise<StoredWindow> {
  const stored = {
    id: randomUUID(),
    component: window.component,
    start: window.start.toISOString(),
    end: window.end.toISOString(),
    reason: window.reason,
    createdBy: window.by,
  };
  await store.putMaintenance(stored);
  return stored;
}

/** Windows not yet ended (active or upcoming) of one component or of every one, soonest first. */
export async function listMaintenance(
  db: DynamoDBDocumentClient,
  table: string,
  now: Date = new Date(),
  component?: AlertComponent,
): Promise<Array<StoredWindow & { state: 'active' | 'upcoming' }>> {
  const iso = now.toISOString();
  const found: StoredWindow[] = [];
  for (const c of component ? [component] : ALERT_COMPONENTS)
    found.push(
      ...(await queryAll<StoredWindow>(db, {
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND sk >= :now',
        ExpressionAttributeValues: { ':pk': `MAINTENANCE#${c}`, ':now': iso },
      })),
    );
  return found
    .filter((w) => w.end > iso && w.start <= w.end)
    .sort((a, b) => a.start.localeCompare(b.start) || a.end.localeCompare(b.end))
    .map(({ id, component: c, start, end, reason: why, createdBy }) => ({
      id,
      component: c,
      state: start <= iso ? ('active' as const) : ('upcoming' as const),
      start,
      end,
      reason: why,
      createdBy,
    }));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function windowId(value: unknown): string {
  if (typeof value !== 'string' || !UUID.test(value))
    throw new UsageError(
      `ID: ${value === undefined ? '(missing)' : String(value)} is not a maintenance window id (ops maintenance list shows them)`,
    );
  return value.toLowerCase();
}

/**
 * `ops maintenance end ID`: ends a window now, keeping its record: the window is stored again
 * with its end set to now (the end is part of its key) and the planned end, who ended it and when
 * beside it, then the old item is deleted. A window that had not started is thereby cancelled.
 * Undefined when no active or upcoming window has that id.
 */
export async function endMaintenance(
  deps: { db: DynamoDBDocumentClient; store: StateStore; table: string },
  id: string,
  by: string,
  now: Date = new Date(),
): Promise<(StoredWindow & { plannedEnd: string; endedBy: string; cancelled: boolean }) | undefined> {
  const iso = now.toISOString();
  const window = (await listMaintenance(deps.db, deps.table, now)).find((w) => w.id === id);
  if (!window) return undefined;
  const { state, ...stored } = window;
  const ended = { ...stored, end: iso, plannedEnd: window.end, endedBy: by };
  await deps.store.putMaintenance(ended);
  await deps.db.send(
    new DeleteCommand({
      TableName: deps.table,
      Key: { pk: `MAINTENANCE#${window.component}`, sk: `${window.end}#${window.id}` },
    }),
  );
  return { ...ended, cancelled: state === 'upcoming' };
}
