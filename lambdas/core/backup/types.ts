import type { BackupResourceId } from '../../../lib/config/constants';

/** The protected resources, what the workflow read of each, and the verdict the Choice reads. */

export type ResourceId = BackupResourceId;

/**
 * How AWS Backup protects a resource, which decides what "restorable" means: RDS has point-in-time
 * recovery (its latest restorable time), S3 an active continuous-backup point (restorable to now),
 * EFS only scheduled snapshots (AWS Backup has no continuous backup for EFS).
 */
export type ProtectedResourceType = 'RDS' | 'S3' | 'EFS';

export interface ResourceObjective {
  /**
   * The resource's recovery point objective: how old its newest restorable point may be. The
   * database and the images take seed 003's RPO (continuous backup); the filestore its backup
   * schedule's interval, since EFS is backed up at most hourly.
   */
  readonly objectiveMinutes: number;
  /** Seed 004's "last successful backup too old" threshold for this resource, flagged in the page. */
  readonly alertAfterMinutes: number;
}

export interface ProtectedResource extends ResourceObjective {
  readonly id: ResourceId;
  readonly arn: string;
  readonly type: ProtectedResourceType;
  /** The DB instance identifier, the file system id or the bucket name. */
  readonly name: string;
}

/** What the workflow's SDK integrations returned for one resource (AWS's PascalCase shapes). */
export interface ResourceObservation {
  readonly resource: ProtectedResource;
  /** ListRecoveryPointsByResource's RecoveryPoints. */
  readonly recoveryPoints: ReadonlyArray<Record<string, unknown>>;
  /** ListBackupJobs' BackupJobs (ByResourceArn). */
  readonly jobs: ReadonlyArray<Record<string, unknown>>;
  /** RDS: DescribeDBInstances' DbInstances, whose LatestRestorableTime is point-in-time recovery's. */
  readonly instances?: ReadonlyArray<Record<string, unknown>>;
}

/** DescribeBackupVault. */
export interface VaultObservation {
  readonly BackupVaultName?: unknown;
  readonly EncryptionKeyArn?: unknown;
  readonly NumberOfRecoveryPoints?: unknown;
  readonly MinRetentionDays?: unknown;
}

/**
 * healthy: restorable within its objective and the last job did not fail; stale: nothing restorable
 * within its objective; failed: the newest job failed (ABORTED, FAILED, EXPIRED, PARTIAL);
 * misconfigured: the vault or the newest recovery point is not encrypted with a KMS key (a re-run
 * cannot fix that).
 */
export type ResourceStatus = 'healthy' | 'stale' | 'failed' | 'misconfigured';

export interface ResourceVerdict {
  readonly resource: ProtectedResource;
  readonly status: ResourceStatus;
  /** Minutes since the newest restorable point; null when there is none. */
  readonly ageMinutes: number | null;
  readonly newestRestorableAt: string | null;
  readonly lastJob: {
    readonly id: string;
    readonly state: string;
    readonly statusMessage?: string;
    readonly sizeBytes?: number;
  } | null;
  /** Seed 004's RPO breach: older than the resource's alert threshold. */
  readonly alertThresholdBreached: boolean;
  readonly reason: string;
}
