import * as z from 'zod/mini';
import { RUNTIME_ALERT_CATALOGUE } from '../../../lib/config/alert-runtime';
import { isRoutedInput, parseConsoleInput, parseRoutedInput } from '../routing/console-input';
import { BACKUP_RESOURCE_IDS } from '../../../lib/config/constants';
import type { ResourceId } from './types';

/** The catalogue alert this workflow raises (seed 004: Critical after one automatic re-run). */
export const BACKUP_FAILURE_ALERT = 'Odoo_Backup_Failure';

/** The alert a failed restore test raises (High). */
export const RESTORE_TEST_ALERT = 'Backup_Restore_Test_Failed';

/**
 * What starts a backup assessment: the router's input for a backup alert (a failed, aborted or
 * expired backup job names its resource), the hourly schedule `{requestedBy: "schedule"}`, or a
 * console / `ops backup-check` run `{resource?, requestedBy?}`. `resources` are the ids to
 * assess. Both shapes are strict: a misspelt field fails naming it, before anything is read.
 */
export interface BackupRequest {
  readonly trigger: string;
  readonly resources: readonly ResourceId[];
}

const ByHand = z.strictObject({
  resource: z.optional(z.enum(BACKUP_RESOURCE_IDS)),
  // A string restoreJobId takes the workflow's restore-test branch; here only a wrong type arrives.
  restoreJobId: z.optional(z.string()),
  requestedBy: z.optional(z.string().check(z.trim(), z.minLength(1))),
});

const ROUTED = {
  workflow: 'backup-verification',
  kinds: ['backup'],
  states: ['ALARM'],
  alerts: RUNTIME_ALERT_CATALOGUE,
} as const;

export function parseBackupRequest(raw: unknown, arnOf: Readonly<Record<ResourceId, string>>): BackupRequest {
  if (isRoutedInput(raw)) {
    const { input, alert } = parseRoutedInput(raw, ROUTED);
    const { signal } = input;
    const arn = 'resourceArn' in signal ? signal.resourceArn : undefined;
    const id = BACKUP_RESOURCE_IDS.find((r) => arn !== undefined && arnOf[r] === arn);
    return {
      trigger:
        signal.type === 'backup-job' ? `backup job ${signal.jobId} ${signal.state}` : `alarm ${alert.name}`,
      // A job of a resource this environment does not protect: assess everything.
      resources: id ? [id] : BACKUP_RESOURCE_IDS,
    };
  }
  const { resource, requestedBy } = parseConsoleInput(ByHand, raw, 'a backup check');
  return {
    trigger: requestedBy === 'schedule' ? 'hourly check' : `manual by ${requestedBy ?? 'console'}`,
    resources: resource ? [resource] : BACKUP_RESOURCE_IDS,
  };
}
