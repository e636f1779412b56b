import * as z from 'zod/mini';
import { InvalidInputError } from '../invalid-input';
import { parseConsoleInput } from '../routing/console-input';
import { BACKUP_RESOURCE_IDS } from '../../../lib/config/constants';
import type { ResourceId } from './types';

/** The catalogue alert this workflow raises (seed 004: Critical after one automatic re-run). */
export const BACKUP_FAILURE_ALERT = 'Odoo_Backup_Failure';

/** The alert a failed restore test raises (High). */
export const RESTORE_TEST_ALERT = 'Backup_Restore_Test_Failed';

/**
 * What starts a backup assessment: the router's input for a failed, aborted or expired backup job
 * (its resource), the hourly schedule `{requestedBy: "schedule"}`, or a console / `ops
 * backup-check` run `{resource?, requestedBy?}`. `resources` are the ids to assess.
 */
export interface BackupRequest {
  readonly trigger: string;
  readonly resources: readonly ResourceId[];
}

const Routed = z.looseObject({
  alert: z.looseObject({ name: z.string() }),
  signal: z.looseObject({
    type: z.string(),
    jobId: z.optional(z.string()),
    state: z.optional(z.string()),
    resourceArn: z.optional(z.string()),
  }),
});
const ByHand = z.strictObject({
  resource: z.optional(z.enum(BACKUP_RESOURCE_IDS)),
  // A string restoreJobId takes the workflow's restore-test branch; here only a wrong type arrives.
  restoreJobId: z.optional(z.string()),
  requestedBy: z.optional(z.string().check(z.trim(), z.minLength(1))),
});

export function parseBackupRequest(raw: unknown, arnOf: Readonly<Record<ResourceId, string>>): BackupRequest {
  const routed = Routed.safeParse(raw);
  if (routed.success) {
    const { alert, signal } = routed.data;
    if (alert.name !== BACKUP_FAILURE_ALERT)
      throw new InvalidInputError(
        `input.alert.name: this workflow handles ${BACKUP_FAILURE_ALERT}, not ${alert.name}`,
      );
    const id = BACKUP_RESOURCE_IDS.find((r) => arnOf[r] === signal.resourceArn);
    return {
      trigger:
        signal.type === 'backup-job'
          ? `backup job ${signal.jobId ?? '?'} ${signal.state ?? ''}`
          : `alarm ${alert.name}`,
      // A job of a resource this environment does not protect: assess everything.
      resources: id ? [id] : BACKUP_RESOURCE_IDS,
    };
  }
  const { resource, requestedBy } = parseConsoleInput(ByHand, raw, 'a backup check', (issue) =>
    issue.code === 'invalid_value' && issue.path[0] === 'resource'
      ? `must be one of ${BACKUP_RESOURCE_IDS.join(', ')}`
      : undefined,
  );
  return {
    trigger: requestedBy === 'schedule' ? 'hourly check' : `manual by ${requestedBy ?? 'console'}`,
    resources: resource ? [resource] : BACKUP_RESOURCE_IDS,
  };
}
