import type { BackupResourceId } from '../../../lib/config/constants';

/** The protected resources, what the workflow read of each, and the verdict the Choice reads. */

export type ResourceId = BackupResourceId;

export interface ProtectedResource {
  readonly id: ResourceId;
  readonly arn: string;
  readonly type: 'RDS' | 'S3';
  /** The DB instance identifier or the bucket name. */
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

export interface BackupObjectives {
  readonly rpoMinutes: number;
  readonly alertAfterMinutes: number;
}

/**
 * healthy: restorable within the RPO and the last job did not fail; stale: nothing restorable
 * within the RPO; failed: the newest job failed (ABORTED, FAILED, EXPIRED, PARTIAL);
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
  /** Seed 004's RPO breach: older than the alert threshold. */
  readonly alertThresholdBreached: boolean;
  readonly reason: string;
}
