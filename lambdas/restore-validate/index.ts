import { Logger } from '@aws-lambda-powertools/logger';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { judgeRestore, type RestoredDatabase } from '../core/backup/restore-validation';
import { timeOf } from '../core/backup/values';
import { catalogueAlert } from '../core/escalation/input';
import { workflowEscalation, type EscalationStart } from '../core/escalation/workflow-start';
import { BackupStore } from '../aws/backup-store';
import { documentClient } from '../aws/dynamo';
import { lazyHandler } from '../aws/lazy-handler';
import { readRestoreConfig, type RestoreConfig } from '../aws/restore-config';
import { readRestoredDatabase, type DatabaseLogin } from '../aws/restored-database';
import { readRuntimeConfig } from '../aws/runtime-config';

export interface RestoreValidateEvent {
  readonly executionId: string;
  /** DescribeRestoreJob's output. */
  readonly restoreJob: Record<string, unknown>;
  /** DescribeDBInstances' DbInstances for the restored instance (empty when the restore failed). */
  readonly instances: ReadonlyArray<Record<string, unknown>>;
}

export interface RestoreValidateResult {
  readonly status: 'SUCCESSFUL' | 'FAILED';
  readonly message: string;
  /** Whether AWS Backup takes a validation result for this job (only a COMPLETED restore does). */
  readonly report: boolean;
  readonly restoreMinutes: number | null;
  readonly escalation?: EscalationStart;
}

export interface RestoreValidateDeps {
  readonly restore: RestoreConfig;
  readonly secrets: SecretsManagerClient;
  readonly backups: BackupStore;
  readonly readDatabase: (login: DatabaseLogin) => Promise<RestoredDatabase>;
  readonly logger: Logger;
  readonly now: () => Date;
}

/**
 * The restore test's data-level validation: connects to the restored instance with the restored
 * credentials, judges it (lambdas/core/backup/restore-validation.ts), records it; a failure is
 * escalated High (Backup_Restore_Test_Failed). The workflow reports the result to AWS Backup.
 */
export function makeRestoreValidateHandler(deps: RestoreValidateDeps) {
  return async (event: RestoreValidateEvent): Promise<RestoreValidateResult> => {
    const job = event.restoreJob;
    const jobId = String(job.RestoreJobId ?? '?');
    const status = String(job.Status ?? 'UNKNOWN');
    const started = timeOf(job.CreationDate);
    const completed = timeOf(job.CompletionDate);
    const pointAt = timeOf(job.RecoveryPointCreationDate);
    let result: Omit<RestoreValidateResult, 'escalation'>;
    if (status !== 'COMPLETED') {
      result = {
        status: 'FAILED',
        message: `restore job ${jobId} ended ${status}${job.StatusMessage ? `: ${String(job.StatusMessage)}` : ''}`,
        report: false,
        restoreMinutes: null,
      };
    } else if (!started || !completed || !pointAt) {
      result = {
        status: 'FAILED',
        message: `restore job ${jobId} lacks its times`,
        report: true,
        restoreMinutes: null,
      };
    } else {
      const endpoint = (event.instances[0]?.Endpoint ?? {}) as { Address?: string; Port?: number };
      try {
        const secret = await deps.secrets.send(
          new GetSecretValueCommand({ SecretId: deps.restore.secretArn }),
        );
        const credentials = JSON.parse(secret.SecretString ?? '{}') as {
          username?: string;
          password?: string;
        };
        const db = await deps.readDatabase({
          host: endpoint.Address ?? '',
          port: Number(endpoint.Port ?? 5432),
          database: deps.restore.databaseName,
          user: credentials.username ?? '',
          password: credentials.password ?? '',
          ssl: true,
        });
        const verdict = judgeRestore(
          db,
          { recoveryPointCreatedAt: pointAt, restoreStartedAt: started, restoreCompletedAt: completed },
          deps.restore.objectives,
        );
        result = {
          status: verdict.status,
          message: verdict.message,
          report: true,
          restoreMinutes: verdict.restoreMinutes,
        };
      } catch (error) {
        result = {
          status: 'FAILED',
          message:
            `could not read the restored database at ${endpoint.Address ?? '?'}: ${(error as Error).message}`.slice(
              0,
              1000,
            ),
          report: true,
          restoreMinutes: null,
        };
      }
    }
    const now = deps.now();
    await deps.backups.recordCheck({
      executionId: event.executionId,
      at: now.toISOString(),
      phase: 'restore-test',
      trigger: `restore job ${jobId}`,
      outcome: result.status,
      summary: result.message,
      resources: { database: result.status },
    });
    deps.logger.info('restore validated', { jobId, ...result });
    if (result.status === 'SUCCESSFUL') return result;
    return {
      ...result,
      escalation: workflowEscalation({
        alert: catalogueAlert('Backup_Restore_Test_Failed'),
        workflow: 'backup-verification',
        subject: deps.restore.databaseArn,
        state: 'ALARM',
        label: 'restore-test',
        executionId: event.executionId,
        detail: `restore test ${jobId}: ${result.message}`,
        at: now,
      }),
    };
  };
}

export const handler = lazyHandler((): RestoreValidateDeps => {
  const config = readRuntimeConfig();
  return {
    restore: readRestoreConfig(),
    secrets: new SecretsManagerClient({ maxAttempts: 5 }),
    backups: new BackupStore(documentClient(), config.stateTable),
    readDatabase: readRestoredDatabase,
    logger: new Logger(),
    now: () => new Date(),
  };
}, makeRestoreValidateHandler);
