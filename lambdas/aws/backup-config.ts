import * as z from 'zod/mini';
import type { BackupObjectives, ProtectedResource } from '../core/backup/types';
import { BACKUP_RESOURCE_IDS } from '../../lib/config/constants';
import { readJsonVariable } from './json-variable';

/**
 * The environment's backup settings, handed to the backup functions as BACKUP_CONFIG (JSON,
 * validated at synth from lib/config backup; checked again here for shape), with the deployed
 * vault, the role AWS Backup runs re-runs as, and the protected resources.
 */
const positive = z.number().check(z.positive());
const BackupConfigSchema = z.object({
  objectives: z.object({ rpoMinutes: positive, alertAfterMinutes: positive }),
  rerunPoll: z.object({ firstSeconds: positive, maxSeconds: positive, giveUpMinutes: positive }),
  vaultName: z.string().check(z.minLength(1)),
  planId: z.string().check(z.minLength(1)),
  retention: z.object({ continuousRetentionDays: positive, dailyRetentionDays: positive }),
  roleArn: z.string().check(z.startsWith('arn:')),
  rerunClaimSlackMinutes: positive,
  jobsLookbackHours: positive,
  resources: z.array(
    z.object({
      id: z.enum(BACKUP_RESOURCE_IDS),
      arn: z.string().check(z.startsWith('arn:')),
      type: z.enum(['RDS', 'S3']),
      name: z.string().check(z.minLength(1)),
    }),
  ),
});

export interface BackupConfig {
  readonly objectives: BackupObjectives;
  readonly rerunPoll: {
    readonly firstSeconds: number;
    readonly maxSeconds: number;
    readonly giveUpMinutes: number;
  };
  readonly vaultName: string;
  readonly planId: string;
  readonly retention: { readonly continuousRetentionDays: number; readonly dailyRetentionDays: number };
  readonly roleArn: string;
  readonly rerunClaimSlackMinutes: number;
  readonly jobsLookbackHours: number;
  readonly resources: readonly ProtectedResource[];
}

export function readBackupConfig(env: NodeJS.ProcessEnv = process.env): BackupConfig {
  return readJsonVariable(env, 'BACKUP_CONFIG', BackupConfigSchema);
}
