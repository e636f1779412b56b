import * as z from 'zod/mini';
import type { PlanRequirement, RetentionRequirement } from '../core/backup/retention';
import type { ProtectedResource } from '../core/backup/types';
import { BACKUP_RESOURCE_IDS } from '../../lib/config/constants';
import { readJsonVariable } from './json-variable';

/**
 * The environment's backup settings, handed to the backup functions as BACKUP_CONFIG (JSON,
 * validated at synth from lib/config backup; checked again here for shape), with the deployed
 * vault and plans, the role AWS Backup runs re-runs as, the protected resources with their
 * objectives, and where the filestore's restore test mounts a restored copy.
 */
const positive = z.number().check(z.positive());
const name = z.string().check(z.minLength(1));
const BackupConfigSchema = z.object({
  rerunPoll: z.object({ firstSeconds: positive, maxSeconds: positive, giveUpMinutes: positive }),
  vaultName: name,
  plans: z.array(
    z.object({ id: name, label: name, continuous: z.boolean(), everyMinutes: z.nullable(positive) }),
  ),
  retention: z.object({
    continuousRetentionDays: positive,
    dailyRetentionDays: positive,
    frequentRetentionDays: positive,
  }),
  roleArn: z.string().check(z.startsWith('arn:')),
  rerunClaimSlackMinutes: positive,
  jobsLookbackHours: positive,
  resources: z.array(
    z.object({
      id: z.enum(BACKUP_RESOURCE_IDS),
      arn: z.string().check(z.startsWith('arn:')),
      type: z.enum(['RDS', 'S3', 'EFS']),
      name,
      objectiveMinutes: positive,
      alertAfterMinutes: positive,
    }),
  ),
  filestoreRestore: z.object({
    subnetIds: z.array(name).check(z.minLength(1)),
    securityGroupId: name,
    posixUser: z.object({ uid: z.number(), gid: z.number() }),
    accessPointTag: z.object({ key: name, value: name }),
    accessPointRoot: z.string().check(z.startsWith('/')),
    localMountPath: z.string().check(z.startsWith('/mnt/')),
    claimMinutes: positive,
    claimRetrySeconds: positive,
    claimWaitMinutes: positive,
    pollSeconds: positive,
    mountTargetPolls: positive,
    accessPointPolls: positive,
    functionUpdatePolls: positive,
  }),
});

/** Where and how the filestore's restore test mounts a restored copy for the validation function. */
export interface FilestoreRestoreSettings {
  /** The validation function's subnets: one mount target in each. */
  readonly subnetIds: readonly string[];
  /** The restored copy's mount targets' security group: NFS from the validation function only. */
  readonly securityGroupId: string;
  /** Odoo's user on the filestore: the access point acts as it. */
  readonly posixUser: { readonly uid: number; readonly gid: number };
  readonly accessPointTag: { readonly key: string; readonly value: string };
  readonly accessPointRoot: string;
  readonly localMountPath: string;
  readonly claimMinutes: number;
  readonly claimRetrySeconds: number;
  readonly claimWaitMinutes: number;
  readonly pollSeconds: number;
  readonly mountTargetPolls: number;
  readonly accessPointPolls: number;
  readonly functionUpdatePolls: number;
}

export interface BackupConfig {
  readonly rerunPoll: {
    readonly firstSeconds: number;
    readonly maxSeconds: number;
    readonly giveUpMinutes: number;
  };
  readonly vaultName: string;
  /** The backup plans (the continuous one of the database and images, the filestore's hourly one). */
  readonly plans: ReadonlyArray<PlanRequirement & { readonly id: string }>;
  readonly retention: RetentionRequirement;
  readonly roleArn: string;
  readonly rerunClaimSlackMinutes: number;
  readonly jobsLookbackHours: number;
  readonly resources: readonly ProtectedResource[];
  readonly filestoreRestore: FilestoreRestoreSettings;
}

export function readBackupConfig(env: NodeJS.ProcessEnv = process.env): BackupConfig {
  return readJsonVariable(env, 'BACKUP_CONFIG', BackupConfigSchema);
}
