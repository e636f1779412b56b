import * as path from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { readFilestoreRestoreConfig } from '../../lambdas/aws/restore-filestore-config';
import { makeFilestoreValidateHandler } from '../../lambdas/filestore-restore-validate';
import { readRestoredFilestore } from '../../lambdas/filestore-restore-validate/restored-filestore';
import { filestoreTree, GOOD_MARKER, type FilestoreTreeOptions } from '../workflows/backup-filestore-tree';

/**
 * The filestore's restore validation on local directory trees standing in for a restored EFS file
 * system mounted at the function's mount path: the real reader (node:fs) and the real judgement.
 */
const POINT = new Date('2026-11-23T04:00:00.000Z');
const CONFIG = { mountPath: '/mnt/filestore', database: 'odoo', objectiveMinutes: 60, rtoHours: 4 };
const minutesBeforePoint = (m: number) => new Date(POINT.getTime() - m * 60_000);
const job = (over: Record<string, unknown> = {}) => ({
  RestoreJobId: 'efs-1',
  Status: 'COMPLETED',
  ResourceType: 'EFS',
  CreationDate: '2026-11-23T05:00:00Z',
  CompletionDate: '2026-11-23T05:20:00Z',
  RecoveryPointCreationDate: POINT.toISOString(),
  CreatedResourceArn: 'arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-0aaa1',
  ...over,
});

const trees: Array<{ remove(): void }> = [];
afterEach(() => {
  for (const t of trees.splice(0)) t.remove();
});

/** Validates the restore job against a tree mounted, as far as the function can tell, at its mount path. */
async function validate(tree: FilestoreTreeOptions | null, restoreJob = job()) {
  const made = tree ? filestoreTree(tree) : null;
  if (made) trees.push(made);
  const mounted: string[] = [];
  const handler = makeFilestoreValidateHandler({
    config: CONFIG,
    readFilestore: async (mountPath) => {
      mounted.push(mountPath);
      return readRestoredFilestore(made?.root ?? path.join('/nonexistent', mountPath));
    },
    logger: new Logger({ logLevel: 'SILENT' }),
  });
  return { result: await handler({ restoreJob }), mounted };
}

describe('the filestore restore validation reads a restored file system (local trees)', () => {
  test("healthy: Odoo's directory in AWS Backup's recovery directory, the marker, a heartbeat a minute before the point", async () => {
    const { result, mounted } = await validate({ heartbeatAt: minutesBeforePoint(1) });
    expect(mounted).toEqual(['/mnt/filestore']);
    expect(result).toEqual({
      restoreJobId: 'efs-1',
      resourceId: 'filestore',
      status: 'SUCCESSFUL',
      report: true,
      restoreMinutes: 20,
      message:
        'Odoo filestore in aws-backup-restore_2026-11-23T05-10-00-000Z/odoo: marker of database odoo (written 2026-01-05T09:00:00.000Z); heartbeat 1 min before the recovery point; restored in 20 min (RTO 4 h)',
    });
  });

  test("healthy with Odoo's directory at the root, as on the live file system", async () => {
    const { result } = await validate({ heartbeatAt: minutesBeforePoint(2), layout: 'root' });
    expect(result).toMatchObject({
      status: 'SUCCESSFUL',
      message: expect.stringMatching(/^Odoo filestore in odoo:/),
    });
  });

  test('a heartbeat rewritten while the backup ran (newer than the point) is fresh, not negative', async () => {
    const { result } = await validate({ heartbeatAt: new Date(POINT.getTime() + 3 * 60_000) });
    expect(result).toMatchObject({
      status: 'SUCCESSFUL',
      message: expect.stringContaining('heartbeat 0 min before the recovery point'),
    });
  });

  test("at the filestore's objective: 60 minutes before the point passes, 61 fails with the figures", async () => {
    expect((await validate({ heartbeatAt: minutesBeforePoint(60) })).result.status).toBe('SUCCESSFUL');
    const { result } = await validate({ heartbeatAt: minutesBeforePoint(61) });
    expect(result).toMatchObject({
      status: 'FAILED',
      report: true,
      message:
        'newest file (heartbeat 2026-11-23T02:59:00.000Z) is 61 min before the recovery point (objective 60 min)',
    });
  });

  test('a stale heartbeat (the tasks stopped writing hours before the backup) fails', async () => {
    const { result } = await validate({ heartbeatAt: minutesBeforePoint(6 * 60) });
    expect(result.message).toMatch(/is 360 min before the recovery point \(objective 60 min\)/);
  });

  test("a missing marker fails: it is not Odoo's filestore", async () => {
    const { result } = await validate({ heartbeatAt: minutesBeforePoint(1), marker: null });
    expect(result).toMatchObject({
      status: 'FAILED',
      message: "marker .influencegen/restore-marker.json missing: not Odoo's filestore",
    });
  });

  test('a corrupt marker fails, and one of another database', async () => {
    const corrupt = await validate({ heartbeatAt: minutesBeforePoint(1), marker: '{"database": "od' });
    expect(corrupt.result).toMatchObject({
      status: 'FAILED',
      message: 'marker .influencegen/restore-marker.json is not JSON',
    });
    const other = await validate({
      heartbeatAt: minutesBeforePoint(1),
      marker: GOOD_MARKER.replace('"odoo"', '"staging"'),
    });
    expect(other.result.message).toBe('marker names database staging, not odoo');
  });

  test('a missing heartbeat fails: no Odoo task ever wrote to this file system', async () => {
    const { result } = await validate({ heartbeatAt: null });
    expect(result).toMatchObject({
      status: 'FAILED',
      message: expect.stringMatching(/^heartbeat \.influencegen\/heartbeat missing: no Odoo task wrote/),
    });
  });

  test('an empty file system fails, saying what its root holds', async () => {
    const { result } = await validate({ heartbeatAt: null, layout: 'empty' });
    expect(result).toMatchObject({
      status: 'FAILED',
      report: true,
      message: 'no Odoo data directory (/odoo) on the restored file system; its root holds nothing',
    });
  });

  test('a restore slower than the RTO fails with its time, whatever the data', async () => {
    const { result } = await validate(
      { heartbeatAt: minutesBeforePoint(1) },
      job({ CompletionDate: '2026-11-23T09:01:00Z' }),
    );
    expect(result).toMatchObject({
      status: 'FAILED',
      restoreMinutes: 241,
      message: 'the restore took 241 min, beyond the 4 h RTO',
    });
  });

  test('a restore job that did not complete is FAILED without a report, and nothing is read', async () => {
    const { result, mounted } = await validate(
      { heartbeatAt: minutesBeforePoint(1) },
      job({ Status: 'FAILED', StatusMessage: 'Insufficient throughput', CreatedResourceArn: undefined }),
    );
    expect(result).toMatchObject({
      status: 'FAILED',
      report: false,
      message: 'restore job efs-1 ended FAILED: Insufficient throughput',
    });
    expect(mounted).toEqual([]);
  });

  test('a mount that cannot be read is a FAILED validation with the reason, not a crash', async () => {
    const { result } = await validate(null);
    expect(result).toMatchObject({
      status: 'FAILED',
      report: true,
      restoreMinutes: null,
      message: expect.stringMatching(/^could not read the restored file system at \/mnt\/filestore: ENOENT/),
    });
  });
});

describe("the function's configuration", () => {
  test('FILESTORE_RESTORE_CONFIG is read back whole; a mount path outside /mnt is refused', () => {
    expect(readFilestoreRestoreConfig({ FILESTORE_RESTORE_CONFIG: JSON.stringify(CONFIG) })).toEqual(CONFIG);
    expect(() =>
      readFilestoreRestoreConfig({
        FILESTORE_RESTORE_CONFIG: JSON.stringify({ ...CONFIG, mountPath: '/tmp' }),
      }),
    ).toThrow(/FILESTORE_RESTORE_CONFIG\.mountPath:/);
    expect(() => readFilestoreRestoreConfig({})).toThrow(/FILESTORE_RESTORE_CONFIG: must be JSON/);
  });
});
