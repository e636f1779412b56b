import { Logger } from '@aws-lambda-powertools/logger';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { makeFilestoreValidateHandler } from '../../lambdas/filestore-restore-validate';
import { readRestoredFilestore } from '../../lambdas/filestore-restore-validate/restored-filestore';
import { makeRestoreValidateHandler } from '../../lambdas/restore-validate';
import { filestoreTree } from '../workflows/backup-filestore-tree';

/**
 * The restore tests publish what the "projected RTO miss" alarm reads: each validation of a
 * restore that completed writes one EMF document with the measured restore and the projected
 * recovery (restore + 95 minutes of the DRP's other steps), by Resource and without dimensions.
 * A restore that did not complete has no duration and publishes nothing.
 */
const POINT = new Date('2026-11-23T04:00:00.000Z');
const NOW = new Date('2026-11-23T07:00:00.000Z');
const job = (minutes: number, over: Record<string, unknown> = {}) => ({
  RestoreJobId: 'job-1',
  Status: 'COMPLETED',
  CreationDate: '2026-11-23T05:00:00Z',
  CompletionDate: new Date(Date.parse('2026-11-23T05:00:00Z') + minutes * 60_000).toISOString(),
  RecoveryPointCreationDate: POINT.toISOString(),
  ...over,
});
const published = (documents: Array<Record<string, unknown>>) =>
  documents.map((d) => ({
    namespace: (d._aws as { CloudWatchMetrics: Array<{ Namespace: string }> }).CloudWatchMetrics[0]
      ?.Namespace,
    resource: d.Resource,
    restore: d.RestoreMinutes,
    projected: d.ProjectedRecoveryMinutes,
  }));

describe('the database restore test', () => {
  const secrets = mockClient(SecretsManagerClient);
  beforeEach(() => {
    secrets.reset();
    secrets.on(GetSecretValueCommand).resolves({ SecretString: '{"username":"odoo","password":"p"}' });
  });
  const run = async (restoreJob: Record<string, unknown>) => {
    const documents: Array<Record<string, unknown>> = [];
    const result = await makeRestoreValidateHandler({
      restore: { secretArn: 'arn:secret', databaseName: 'odoo', objectives: { rpoMinutes: 15, rtoHours: 4 } },
      secrets: new SecretsManagerClient({}),
      readDatabase: async () => ({
        tables: ['res_company', 'res_partner', 'res_users', 'ir_module_module', 'ir_cron'],
        newestWriteAt: new Date(POINT.getTime() - 60_000),
      }),
      logger: new Logger({ logLevel: 'SILENT' }),
      writeMetrics: (d) => documents.push(d),
      now: () => NOW,
    })({ restoreJob, instances: [{ Endpoint: { Address: 'restored.example', Port: 5432 } }] });
    return { result, documents };
  };

  test('a 22-minute restore: published 22 and a projected recovery of 117 minutes', async () => {
    const { result, documents } = await run(job(22));
    expect(result).toMatchObject({ status: 'SUCCESSFUL', restoreMinutes: 22 });
    expect(published(documents)).toEqual([
      { namespace: 'InfluenceGen/Recovery', resource: 'database', restore: 22, projected: 117 },
    ]);
    expect((documents[0]?._aws as { Timestamp: number }).Timestamp).toBe(NOW.getTime());
  });

  test('a 150-minute restore is within the RTO on its own but projects 245 minutes: published for the alarm', async () => {
    const { result, documents } = await run(job(150));
    expect(result).toMatchObject({ status: 'SUCCESSFUL', restoreMinutes: 150 });
    expect(published(documents)).toEqual([
      { namespace: 'InfluenceGen/Recovery', resource: 'database', restore: 150, projected: 245 },
    ]);
  });

  test('a restore job that failed has no duration: nothing is published', async () => {
    const { result, documents } = await run(job(10, { Status: 'FAILED' }));
    expect(result).toMatchObject({ status: 'FAILED', restoreMinutes: null });
    expect(documents).toEqual([]);
  });
});

describe('the filestore restore test', () => {
  test('a 20-minute restore: published under Resource filestore', async () => {
    const tree = filestoreTree({ heartbeatAt: new Date(POINT.getTime() - 60_000) });
    const documents: Array<Record<string, unknown>> = [];
    try {
      const result = await makeFilestoreValidateHandler({
        config: { mountPath: '/mnt/filestore', database: 'odoo', objectiveMinutes: 60, rtoHours: 4 },
        readFilestore: () => readRestoredFilestore(tree.root),
        logger: new Logger({ logLevel: 'SILENT' }),
        writeMetrics: (d) => documents.push(d),
        now: () => NOW,
      })({ restoreJob: job(20) });
      expect(result).toMatchObject({ status: 'SUCCESSFUL', restoreMinutes: 20 });
    } finally {
      tree.remove();
    }
    expect(published(documents)).toEqual([
      { namespace: 'InfluenceGen/Recovery', resource: 'filestore', restore: 20, projected: 115 },
    ]);
  });
});
