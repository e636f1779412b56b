import { Logger } from '@aws-lambda-powertools/logger';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { readRestoreJob, validateRestoredData, type RestoreValidateResult } from '../core/backup/restore-job';
import { judgeRestore, type RestoredDatabase } from '../core/backup/restore-validation';
import { recoveryDocument } from '../core/probes/recovery';
import { writeEmfDocument } from '../aws/emf-writer';
import { lazyHandler } from '../aws/lazy-handler';
import { readRestoreConfig, type RestoreConfig } from '../aws/restore-config';
import { readRestoredDatabase, type DatabaseLogin } from '../aws/restored-database';

export type { RestoreValidateResult } from '../core/backup/restore-job';

export interface RestoreValidateEvent {
  /** DescribeRestoreJob's output. */
  readonly restoreJob: Record<string, unknown>;
  /** DescribeDBInstances' DbInstances for the restored instance (empty when the restore failed). */
  readonly instances: ReadonlyArray<Record<string, unknown>>;
}

export interface RestoreValidateDeps {
  readonly restore: RestoreConfig;
  readonly secrets: SecretsManagerClient;
  readonly readDatabase: (login: DatabaseLogin) => Promise<RestoredDatabase>;
  readonly logger: Logger;
  /**
   * Publishes the measured restore and the projected recovery (EMF log line) for the
   * "projected RTO miss" alarm; absent, nothing is published.
   */
  readonly writeMetrics?: (document: Record<string, unknown>) => void;
  readonly now?: () => Date;
}

/**
 * The database restore test's data-level validation: connects to the restored instance with the
 * restored credentials and judges it (lambdas/core/backup/restore-validation.ts). The workflow
 * reports the result to AWS Backup, and the Assess function records it and escalates a failure.
 * Only the database client and Secrets Manager in this bundle: it runs in the VPC, on its own.
 */
export function makeRestoreValidateHandler(deps: RestoreValidateDeps) {
  return async (event: RestoreValidateEvent): Promise<RestoreValidateResult> => {
    const endpoint = (event.instances[0]?.Endpoint ?? {}) as { Address?: string; Port?: number };
    const result = await validateRestoredData(
      readRestoreJob(event.restoreJob, 'database'),
      'database',
      `database at ${endpoint.Address ?? '?'}`,
      async (times) => {
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
        return judgeRestore(db, times, deps.restore.objectives);
      },
    );
    deps.logger.info('restore validated', { ...result });
    if (result.restoreMinutes !== null && deps.writeMetrics)
      deps.writeMetrics(
        recoveryDocument('database', result.restoreMinutes, (deps.now ?? (() => new Date()))()),
      );
    return result;
  };
}

export const handler = lazyHandler((): RestoreValidateDeps => {
  return {
    restore: readRestoreConfig(),
    secrets: new SecretsManagerClient({ maxAttempts: 5 }),
    readDatabase: readRestoredDatabase,
    logger: new Logger(),
    writeMetrics: (document) => writeEmfDocument(document),
  };
}, makeRestoreValidateHandler);
