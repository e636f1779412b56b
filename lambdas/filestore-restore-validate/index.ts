import { Logger } from '@aws-lambda-powertools/logger';
import { judgeRestoredFilestore, type RestoredFilestore } from '../core/backup/filestore-validation';
import { readRestoreJob, type RestoreValidateResult } from '../core/backup/restore-job';
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
    const reading = readRestoreJob(event.restoreJob, 'filestore');
    let result: RestoreValidateResult;
    if (reading.kind === 'ended') result = reading.result;
    else {
      const { config } = deps;
      try {
        const restored = await deps.readFilestore(config.mountPath);
        const verdict = judgeRestoredFilestore(restored, reading.times, {
          objectiveMinutes: config.objectiveMinutes,
          rtoHours: config.rtoHours,
          database: config.database,
        });
        result = {
          restoreJobId: reading.jobId,
          resourceId: 'filestore',
          status: verdict.status,
          message: verdict.message,
          report: true,
          restoreMinutes: verdict.restoreMinutes,
        };
      } catch (error) {
        result = {
          restoreJobId: reading.jobId,
          resourceId: 'filestore',
          status: 'FAILED',
          message:
            `could not read the restored file system at ${config.mountPath}: ${(error as Error).message}`.slice(
              0,
              1000,
            ),
          report: true,
          restoreMinutes: null,
        };
      }
    }
    deps.logger.info('filestore restore validated', { ...result });
    return result;
  };
}

export const handler = lazyHandler(
  (): FilestoreValidateDeps => ({
    config: readFilestoreRestoreConfig(),
    readFilestore: readRestoredFilestore,
    logger: new Logger(),
  }),
  makeFilestoreValidateHandler,
);
