import type { ProtectedResource } from '../../lambdas/core/backup/types';
import type { JSONValue } from '../workflows/asl';
import { serviceError } from '../aws/answered-client';

/** How a backup job of a resource goes: states it reports on successive polls, then its end. */
export interface JobScript {
  /** Polls that still see it RUNNING. */
  readonly runningPolls: number;
  readonly end: 'COMPLETED' | 'FAILED' | 'ABORTED' | 'EXPIRED';
  readonly statusMessage?: string;
}

interface Job {
  readonly BackupJobId: string;
  readonly ResourceArn: string;
  readonly CreationDate: string;
  State: string;
  StatusMessage?: string;
  CompletionDate?: string;
  BackupSizeInBytes?: string | number;
  polls: number;
  readonly script: JobScript;
}

const MINUTE = 60_000;
const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/data';

/** The twin's two backup plans, as the Data stack deploys them: their ids in GetBackupPlan. */
export const TWIN_BACKUP_PLANS = {
  /** The database and the images: continuous backup, and a daily point kept longer. */
  main: 'twin-backup-plan',
  /** The filestore (EFS, no continuous backup): hourly points, and a daily point kept longer. */
  filestore: 'twin-filestore-backup-plan',
} as const;

/**
 * AWS Backup and RDS as the backup-verification workflow reads and acts on them, for the
 * workflow tests and the simulator: recovery points and jobs per resource (the database on RDS,
 * the filestore on EFS, the images on S3), the vault and the plans, the database's latest
 * restorable time, StartBackupJob / DescribeBackupJob running a scripted re-run, and restore jobs
 * (the restored file systems themselves are ./restored-file-systems.ts). Answers take the SDK
 * integrations' PascalCase parameters and return their shapes.
 */
export class BackupAccount {
  private readonly points = new Map<string, Array<Record<string, JSONValue>>>();
  private readonly jobs: Job[] = [];
  private readonly tokens = new Map<string, string>();
  latestRestorableTime: Date | null;
  vaultKey: string | null = KEY;
  /** Each backup plan's rules as GetBackupPlan returns them (the deployed plans', prod). */
  planRules: Record<string, Array<Record<string, JSONValue>>> = {
    [TWIN_BACKUP_PLANS.main]: [
      {
        RuleName: 'continuous',
        EnableContinuousBackup: true,
        ScheduleExpression: 'cron(0 3 * * ? *)',
        Lifecycle: { DeleteAfterDays: 35 },
      },
      {
        RuleName: 'daily',
        EnableContinuousBackup: false,
        ScheduleExpression: 'cron(0 4 * * ? *)',
        Lifecycle: { DeleteAfterDays: 90 },
      },
    ],
    [TWIN_BACKUP_PLANS.filestore]: [
      {
        RuleName: 'frequent',
        EnableContinuousBackup: false,
        ScheduleExpression: 'cron(0 * * * ? *)',
        Lifecycle: { DeleteAfterDays: 7 },
      },
      {
        RuleName: 'daily',
        EnableContinuousBackup: false,
        ScheduleExpression: 'cron(0 4 * * ? *)',
        Lifecycle: { DeleteAfterDays: 90 },
      },
    ],
  };
  /** How the next started (re-run) jobs go, in order; the last repeats. */
  rerunScripts: JobScript[] = [{ runningPolls: 1, end: 'COMPLETED' }];
  /** Jobs started through StartBackupJob. */
  readonly started: string[] = [];
  /** Restore jobs by id, as DescribeRestoreJob returns them. */
  readonly restoreJobs = new Map<string, Record<string, JSONValue>>();
  /** What PutRestoreValidationResult was told. */
  readonly validations: Array<{
    RestoreJobId: string;
    ValidationStatus: string;
    ValidationStatusMessage: string;
  }> = [];
  private sequence = 0;

  constructor(
    private readonly now: () => Date,
    readonly resources: readonly ProtectedResource[],
  ) {
    this.latestRestorableTime = new Date(now().getTime() - 3 * MINUTE);
  }

  /** A completed recovery point of `resource` `minutesAgo` ago (sizes as AWS gives them). */
  addRecoveryPoint(resourceId: string, minutesAgo: number, encrypted = true): void {
    const resource = this.resource(resourceId);
    const at = new Date(this.now().getTime() - minutesAgo * MINUTE).toISOString();
    const list = this.points.get(resource.arn) ?? [];
    list.push({
      RecoveryPointArn: `arn:aws:backup:eu-west-1:123456789012:recovery-point:${resourceId}-${++this.sequence}`,
      CreationDate: at,
      CompletionDate: at,
      Status: 'COMPLETED',
      BackupSizeBytes: 1024 * 1024,
      ...(encrypted ? { EncryptionKeyArn: KEY } : {}),
    });
    this.points.set(resource.arn, list);
  }

  /** The continuous-backup recovery point of `resource` (point-in-time restore), started `daysAgo`. */
  addContinuousPoint(resourceId: string, daysAgo = 30): void {
    const resource = this.resource(resourceId);
    const list = this.points.get(resource.arn) ?? [];
    list.push({
      RecoveryPointArn: `arn:aws:backup:eu-west-1:123456789012:recovery-point:continuous:${resourceId}-${++this.sequence}`,
      CreationDate: new Date(this.now().getTime() - daysAgo * 1440 * MINUTE).toISOString(),
      Status: 'COMPLETED',
      EncryptionKeyArn: KEY,
    });
    this.points.set(resource.arn, list);
  }

  /** A past job of `resource` that ended `state`. */
  addJob(resourceId: string, state: string, minutesAgo: number, statusMessage?: string): void {
    this.jobs.push({
      BackupJobId: `job-${++this.sequence}`,
      ResourceArn: this.resource(resourceId).arn,
      CreationDate: new Date(this.now().getTime() - minutesAgo * MINUTE).toISOString(),
      State: state,
      BackupSizeInBytes: '0',
      ...(statusMessage ? { StatusMessage: statusMessage } : {}),
      polls: 0,
      script: { runningPolls: 0, end: 'COMPLETED' },
    });
  }

  /**
   * A restore job that ended `status` (COMPLETED by default): a restore test's unless `test` is
   * false; it took `restoreMinutes`, from a recovery point `pointMinutesBefore` (120) before it
   * started. The database's by default; an EFS restore creates the file system `fileSystemId`.
   */
  addRestoreJob(
    id: string,
    options: {
      status?: string;
      test?: boolean;
      restoreMinutes?: number;
      pointMinutesBefore?: number;
      statusMessage?: string;
      fileSystemId?: string;
    } = {},
  ): void {
    const completed = this.now().getTime();
    const started = completed - (options.restoreMinutes ?? 20) * MINUTE;
    this.restoreJobs.set(id, {
      RestoreJobId: id,
      Status: options.status ?? 'COMPLETED',
      ...(options.statusMessage ? { StatusMessage: options.statusMessage } : {}),
      CreationDate: new Date(started).toISOString(),
      CompletionDate: new Date(completed).toISOString(),
      RecoveryPointCreationDate: new Date(
        started - (options.pointMinutesBefore ?? 120) * MINUTE,
      ).toISOString(),
      ...(options.fileSystemId
        ? {
            ResourceType: 'EFS',
            // A restore that did not complete created nothing.
            ...(options.status && options.status !== 'COMPLETED'
              ? {}
              : {
                  CreatedResourceArn: `arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/${options.fileSystemId}`,
                }),
          }
        : {
            ResourceType: 'RDS',
            CreatedResourceArn: `arn:aws:rds:eu-west-1:123456789012:db:awsbackup-restore-test-${id}`,
          }),
      ...(options.test === false
        ? {}
        : {
            RestoreTestingPlanArn:
              'arn:aws:backup:eu-west-1:123456789012:restore-testing-plan:influencegen_prod_restore_test',
          }),
    });
  }

  /** The SDK integrations of the workflow, by resource ARN as in the ASL. */
  integrations(): Record<string, (params: JSONValue) => Promise<JSONValue>> {
    return {
      'arn:aws:states:::aws-sdk:backup:listRecoveryPointsByResource': async (params) => {
        const p = params as { ResourceArn: string };
        return { RecoveryPoints: this.points.get(p.ResourceArn) ?? [] };
      },
      'arn:aws:states:::aws-sdk:backup:listBackupJobs': async (params) => {
        const p = params as { ByResourceArn: string; ByCreatedAfter?: string };
        const after = p.ByCreatedAfter ? Date.parse(p.ByCreatedAfter) : 0;
        return {
          BackupJobs: this.jobs
            .filter((j) => j.ResourceArn === p.ByResourceArn && Date.parse(j.CreationDate) >= after)
            .map((job) => shapeOf(job)),
        };
      },
      'arn:aws:states:::aws-sdk:rds:describeDBInstances': async (params) => {
        const id = (params as { DbInstanceIdentifier: string }).DbInstanceIdentifier;
        // A restore test's instance (named by AWS Backup) or the database itself.
        if (id.includes('restore-test'))
          return {
            DbInstances: [
              {
                DBInstanceIdentifier: id,
                Endpoint: { Address: `${id.split(':').pop()}.rds.example`, Port: 5432 },
              },
            ],
          };
        return {
          DbInstances: [
            {
              LatestRestorableTime: this.latestRestorableTime
                ? this.latestRestorableTime.toISOString()
                : null,
            },
          ],
        };
      },
      'arn:aws:states:::aws-sdk:backup:describeRestoreJob': async (params) => {
        const job = this.restoreJobs.get((params as { RestoreJobId: string }).RestoreJobId);
        if (!job) throw serviceError('Backup.ResourceNotFoundException', 'no such restore job');
        return job;
      },
      'arn:aws:states:::aws-sdk:backup:putRestoreValidationResult': async (params) => {
        const p = params as {
          RestoreJobId: string;
          ValidationStatus: string;
          ValidationStatusMessage: string;
        };
        this.validations.push(p);
        const job = this.restoreJobs.get(p.RestoreJobId);
        if (job) {
          job.ValidationStatus = p.ValidationStatus;
          job.ValidationStatusMessage = p.ValidationStatusMessage;
        }
        return {};
      },
      'arn:aws:states:::aws-sdk:backup:getBackupPlan': async (params) => {
        const id = (params as { BackupPlanId: string }).BackupPlanId;
        const rules = this.planRules[id];
        if (!rules) throw serviceError('Backup.ResourceNotFoundException', `no backup plan ${id}`);
        return { BackupPlanId: id, BackupPlan: { Rules: rules } };
      },
      'arn:aws:states:::aws-sdk:backup:describeBackupVault': async (params) => ({
        BackupVaultName: (params as { BackupVaultName: string }).BackupVaultName,
        NumberOfRecoveryPoints: [...this.points.values()].flat().length,
        ...(this.vaultKey ? { EncryptionKeyArn: this.vaultKey } : {}),
      }),
      'arn:aws:states:::aws-sdk:backup:startBackupJob': async (params): Promise<JSONValue> => {
        const p = params as { ResourceArn: string; IdempotencyToken: string };
        const known = this.tokens.get(p.IdempotencyToken);
        if (known) return { BackupJobId: known };
        const script =
          this.rerunScripts.length > 1 ? (this.rerunScripts.shift() as JobScript) : this.rerunScripts[0];
        if (!script) throw serviceError('Backup.InvalidRequestException', 'no re-run scripted');
        const job: Job = {
          BackupJobId: `rerun-${++this.sequence}`,
          ResourceArn: p.ResourceArn,
          CreationDate: this.now().toISOString(),
          State: 'CREATED',
          polls: 0,
          script,
        };
        this.jobs.push(job);
        this.tokens.set(p.IdempotencyToken, job.BackupJobId);
        this.started.push(job.BackupJobId);
        return { BackupJobId: job.BackupJobId, CreationDate: job.CreationDate };
      },
      'arn:aws:states:::aws-sdk:backup:describeBackupJob': async (params) => {
        const job = this.jobs.find((j) => j.BackupJobId === (params as { BackupJobId: string }).BackupJobId);
        if (!job) throw serviceError('Backup.ResourceNotFoundException', 'no such job');
        this.advance(job);
        return shapeOf(job);
      },
    };
  }

  private advance(job: Job): void {
    if (['COMPLETED', 'FAILED', 'ABORTED', 'EXPIRED'].includes(job.State)) return;
    job.polls += 1;
    if (job.polls <= job.script.runningPolls) {
      job.State = 'RUNNING';
      return;
    }
    job.State = job.script.end;
    job.CompletionDate = this.now().toISOString();
    if (job.script.statusMessage) job.StatusMessage = job.script.statusMessage;
    if (job.State === 'COMPLETED') {
      job.BackupSizeInBytes = 2048;
      const id = this.resources.find((r) => r.arn === job.ResourceArn)?.id ?? 'unknown';
      this.addRecoveryPoint(id, 0);
    }
  }

  private resource(id: string): ProtectedResource {
    const found = this.resources.find((r) => r.id === id);
    if (!found) throw new Error(`no protected resource ${id}`);
    return found;
  }
}

/** A job as AWS Backup describes it (without the twin's script). */
function shapeOf(job: Job): JSONValue {
  return {
    BackupJobId: job.BackupJobId,
    ResourceArn: job.ResourceArn,
    CreationDate: job.CreationDate,
    State: job.State,
    ...(job.StatusMessage ? { StatusMessage: job.StatusMessage } : {}),
    ...(job.CompletionDate ? { CompletionDate: job.CompletionDate } : {}),
    ...(job.BackupSizeInBytes !== undefined ? { BackupSizeInBytes: job.BackupSizeInBytes } : {}),
  };
}
