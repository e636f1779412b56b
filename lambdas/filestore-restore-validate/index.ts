import { Logger } from '@aws-lambda-powertools/logger';
import { judgeRestoredFilestore, type RestoredFilestore } from '../core/backup/filestore-validation';
import { readRestoreJob, validateRestoredData, type RestoreValidateResult } from '../core/backup/restore-job';
import { recoveryDocument } from '../core/probes/recovery';
import { writeEmfDocument } from '../aws/emf-writer';
import { lazyHandler } from '../aws/lazy-handler';
import { readFilestoreRestoreConfig, type FilestoreRestoreConfig } from '../aws/restore-filestore-config';
import { readRestoredFilestore } from './restored-filestore';

export interface FilestoreValidateEvent {
  /** DescribeRestoreJob's output. */
  readonly restoreJob: Record<string, unknown>;
}

export interface FilestoreValidateDeps {
  readonly config: FilestoreRestoreConfig;
  readonly readFilestore: (mountPath: string) => Promise<RestoredFilestore>;
  readonly logger: Logger;
  /**
   * Publishes the measured restore and the projected recovery (EMF log line) for the
   * "projected RTO miss" alarm; absent, nothing is published.
   */
  readonly writeMetrics?: (document: Record<string, unknown>) => void;
  readonly now?: () => Date;
}

/**
 * The filestore restore test's data-level validation: reads the restored file system the workflow
 * mounted at `mountPath` (an access point on the restored copy, set in this function's
 * FileSystemConfigs) and judges it (lambdas/core/backup/filestore-validation.ts). The workflow
 * reports the result to AWS Backup and removes the mount; the Assess function records it and
 * escalates a failure. No AWS client in this bundle: it only reads a directory.
 */
export function makeFilestoreValidateHandler(deps: FilestoreValidateDeps) {
  return async (event: FilestoreValidateEvent): Promise<RestoreValidateResult> => {
    const { config } = deps;
    const result = await validateRestoredData(
      readRestoreJob(event.restoreJob, 'filestore'),
      'filestore',
      `file system at ${config.mountPath}`,
      async (times) => {
        const restored = await deps.readFilestore(config.mountPath);
        return judgeRestoredFilestore(restored, times, {
          objectiveMinutes: config.objectiveMinutes,
          rtoHours: config.rtoHours,
          database: config.database,
        });
      },
    );
    deps.logger.info('filestore restore validated', { ...result });
    if (result.restoreMinutes !== null && deps.writeMetrics)
      deps.writeMetrics(
        recoveryDocument('filestore', result.restoreMinutes, (deps.now ?? (() => new Date()))()),
      );
    return result;
  };
}

export const handler = lazyHandler(
  (): FilestoreValidateDeps => ({
    config: readFilestoreRestoreConfig(),
    readFilestore: readRestoredFilestore,
    logger: new Logger(),
    writeMetrics: (document) => writeEmfDocument(document),
  }),
  makeFilestoreValidateHandler,
);
