import { Logger } from '@aws-lambda-powertools/logger';
import { RecordingMetrics } from '../../lambdas/core/metrics-sink';
import { makeRegisterHandler } from '../../lambdas/escalation-register';
import { pollSchedule } from '../../lambdas/core/backup/poll';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sim/aws/local-dynamodb';
import { BackupHarness } from './backup-harness';
import { twinRuntimeConfig } from '../../sim/aws/twin-account';
import { TWIN_BACKUP_PLANS } from '../../sim/twin/backup-account';
import { TWIN_FILESTORE_RESTORE } from '../../sim/twin/restored-file-systems';
import { LIVE_FILESTORE_ID } from './backup-harness';
import { filestoreTree } from './backup-filestore-tree';

const START = '2026-11-23T10:00:00.000Z';
const HOURLY = { requestedBy: 'schedule' };
let db: LocalDynamoDB;
let h: BackupHarness;
const trees: Array<{ remove(): void }> = [];

beforeEach(async () => {
  db = await startLocalDynamoDB();
  h = new BackupHarness(db, START);
});
afterEach(async () => {
  await db.stop();
  for (const t of trees.splice(0)) t.remove();
});

/** Beyond the filestore's 60-minute objective (its hourly backup missed). */
const FILESTORE_STALE = 90;

/**
 * The database restorable to 3 minutes ago (PITR), the images under continuous backup, and the
 * filestore (EFS, hourly) backed up `filestoreAgo` minutes ago.
 */
function backedUp(filestoreAgo = 10) {
  h.account.addRecoveryPoint('database', 60 * 20);
  h.account.addJob('database', 'COMPLETED', 60 * 20);
  h.account.addContinuousPoint('images');
  h.account.addRecoveryPoint('images', 60 * 20);
  h.account.addJob('images', 'COMPLETED', 60 * 20);
  h.account.addRecoveryPoint('filestore', filestoreAgo);
  h.account.addJob('filestore', 'COMPLETED', filestoreAgo + 5);
}

describe('backup-verification workflow (state-machines/backup-verification.asl.json, run locally)', () => {
  test('healthy: the three resources within their objectives; recorded; no re-run, nobody paged', async () => {
    backedUp();
    const run = await h.run(HOURLY);
    expect(run.error).toBeUndefined();
    expect(run.endState).toBe('Healthy');
    expect(h.account.started).toEqual([]);
    expect(h.started).toEqual([]);
    const [check] = await h.backups.checksSince(new Date(0));
    expect(check).toMatchObject({
      outcome: 'healthy',
      resources: { database: 'healthy', filestore: 'healthy', images: 'healthy' },
    });
  });

  test("each resource against its own objective: the filestore's 55-minute-old hourly point is healthy, the images' 20-minute-old point without continuous backup is stale", async () => {
    h.account.addRecoveryPoint('database', 60 * 20);
    h.account.addRecoveryPoint('filestore', 55);
    h.account.addRecoveryPoint('images', 20);
    h.account.rerunScripts = [{ runningPolls: 0, end: 'COMPLETED' }];
    const run = await h.run(HOURLY);
    expect(run.endState).toBe('Healthy');
    const checks = await h.backups.checksSince(new Date(0));
    expect(checks.find((c) => c.phase === 'assess')?.resources).toEqual({
      database: 'healthy',
      filestore: 'healthy',
      images: 'stale',
    });
    // The one re-run is the images bucket's.
    expect(h.account.started).toHaveLength(1);
    expect(checks.find((c) => c.phase === 'assess')?.summary).toMatch(
      /filestore healthy: restorable to 55 min ago, within the 60-minute RPO; images stale: restorable to 20 min ago: beyond the 15-minute RPO/,
    );
  });

  test('stale: one re-run of the stale resource only, polled until it completes, assessed again; nobody paged', async () => {
    backedUp(FILESTORE_STALE);
    h.account.rerunScripts = [{ runningPolls: 3, end: 'COMPLETED' }];
    const run = await h.run(HOURLY);
    expect(run.endState).toBe('Healthy');
    expect(h.account.started).toHaveLength(1);
    expect(h.started).toEqual([]);
    expect(run.visited.filter((s) => s === 'DescribeBackupJob')).toHaveLength(4);
    const checks = await h.backups.checksSince(new Date(0));
    expect(checks.map((c) => [c.phase, c.outcome, c.resources.filestore])).toEqual([
      ['after-rerun', 'healthy', 'healthy'],
      ['assess', 'rerun', 'stale'],
    ]);
    expect(h.metrics.total('remediations', { action: 'backup-rerun' })).toBe(1);
    // The filestore's newest point: 90 minutes old at the assessment, fresh after the re-run.
    const ages = h.metrics.datapoints
      .filter((d) => d.key === 'recoveryPointAge' && d.dimensions.resource === 'filestore')
      .map((d) => d.value);
    expect(ages[0]).toBe(FILESTORE_STALE * 60);
    expect(ages.at(-1)).toBeLessThan(15 * 60);
  });

  test("a failed EFS backup job's event re-runs the file system itself once; healthy after it", async () => {
    backedUp(30);
    h.account.addJob('filestore', 'FAILED', 1, 'Backup job failed because the EFS file system was busy');
    h.account.rerunScripts = [{ runningPolls: 1, end: 'COMPLETED' }];
    const filestore = h.backup.resources[1];
    const run = await h.run({
      alert: { name: 'Odoo_Backup_Failure' },
      subject: filestore?.arn ?? 'filestore',
      state: 'ALARM',
      signal: {
        type: 'backup-job',
        eventId: 'event-efs',
        time: START,
        jobId: 'job-efs',
        state: 'FAILED',
        resourceArn: filestore?.arn,
      },
    });
    expect(run.endState).toBe('Healthy');
    expect(h.account.started).toHaveLength(1);
    const checks = await h.backups.checksSince(new Date(0));
    expect(checks.map((c) => [c.phase, c.resources])).toEqual([
      ['after-rerun', { filestore: 'healthy' }],
      ['assess', { filestore: 'failed' }],
    ]);
    expect(h.pages()).toEqual([]);
  });

  test('the re-run fails: exactly one re-run and one Critical escalation with the job error', async () => {
    h.account.addRecoveryPoint('database', 60 * 20);
    h.account.addJob('database', 'FAILED', 30, 'Insufficient privileges to perform snapshot');
    h.account.latestRestorableTime = new Date(Date.parse(START) - 90 * 60_000);
    backedUp();
    h.account.rerunScripts = [{ runningPolls: 1, end: 'FAILED', statusMessage: 'KMS key is disabled' }];
    const run = await h.run({
      alert: { name: 'Odoo_Backup_Failure' },
      subject: h.backup.resources[0]?.arn ?? 'database',
      state: 'ALARM',
      signal: {
        type: 'backup-job',
        eventId: 'event-x',
        time: START,
        jobId: 'job-x',
        state: 'FAILED',
        resourceArn: h.backup.resources[0]?.arn,
      },
    });
    expect(run.endState).toBe('Escalated');
    expect(h.account.started).toHaveLength(1);
    expect(h.pages()).toHaveLength(1);
    const page = h.pages()[0];
    expect(page?.input).toMatchObject({
      alert: { name: 'Odoo_Backup_Failure', severity: 'Critical' },
      state: 'ALARM',
      subject: h.backup.resources[0]?.arn,
    });
    expect(page?.input.signal.detail).toMatch(
      /database \(influencegen-prod-db\) failed: backup job rerun-\d+ FAILED: KMS key is disabled/,
    );
    expect(page?.input.signal.detail).toMatch(
      /the automatic re-run \(job rerun-\d+\) ended FAILED: KMS key is disabled/,
    );
    expect(page?.input.signal.detail).toMatch(/past the 60-minute alert threshold/);
  });

  test('continuous backup (database, images) and hourly snapshots (filestore) are healthy hour after hour: no re-run loop', async () => {
    backedUp(5);
    for (let hour = 0; hour < 5; hour++) {
      const run = await h.run(HOURLY);
      expect(run.endState).toBe('Healthy');
      h.clock = new Date(h.clock.getTime() + 3600_000);
      h.account.latestRestorableTime = new Date(h.clock.getTime() - 3 * 60_000);
      // The filestore plan's hourly backup.
      h.account.addRecoveryPoint('filestore', 5);
      h.account.addJob('filestore', 'COMPLETED', 10);
    }
    expect(h.account.started).toEqual([]);
  });

  test("the re-run's own failure event starts no second re-run: it pages", async () => {
    backedUp(FILESTORE_STALE);
    h.account.rerunScripts = [{ runningPolls: 0, end: 'FAILED', statusMessage: 'KMS key is disabled' }];
    await h.run(HOURLY);
    const [rerunJob] = h.account.started;
    const event = await h.run({
      alert: { name: 'Odoo_Backup_Failure' },
      subject: h.backup.resources[1]?.arn ?? 'filestore',
      state: 'ALARM',
      signal: {
        type: 'backup-job',
        eventId: 'event-rerun',
        time: START,
        jobId: rerunJob,
        state: 'FAILED',
        resourceArn: h.backup.resources[1]?.arn,
      },
    });
    expect(event.endState).toBe('Escalated');
    expect(h.account.started).toHaveLength(1);
    // One page for the failed re-run, one for its own failure event: neither started another.
    expect(h.pages()).toHaveLength(2);
    expect(h.pages().at(-1)?.input.signal.detail).toMatch(/its one automatic re-run was already made at/);
  });

  test('a retention shortened outside the stacks is escalated once, about the vault; nothing is re-run', async () => {
    backedUp();
    const rules = h.account.planRules[TWIN_BACKUP_PLANS.main] ?? [];
    h.account.planRules[TWIN_BACKUP_PLANS.main] = [
      rules[0] ?? {},
      { ...rules[1], Lifecycle: { DeleteAfterDays: 7 } },
    ];
    const run = await h.run(HOURLY);
    expect(run.endState).toBe('Escalated');
    expect(h.account.started).toEqual([]);
    expect(h.pages()).toEqual([
      expect.objectContaining({
        input: expect.objectContaining({
          subject: 'influencegen-prod-vault',
          signal: expect.objectContaining({
            detail:
              'backup plan misconfigured: the backup plan of the database and images: rule daily keeps recovery points 7 days, 90 required',
          }),
        }),
      }),
    ]);
  });

  test("the filestore's plan without its hourly rule is escalated about the vault: the filestore's objective cannot be met", async () => {
    backedUp();
    h.account.planRules[TWIN_BACKUP_PLANS.filestore] = (
      h.account.planRules[TWIN_BACKUP_PLANS.filestore] ?? []
    ).filter((r) => r.RuleName !== 'frequent');
    const run = await h.run(HOURLY);
    expect(run.endState).toBe('Escalated');
    expect(run.visited.filter((s) => s === 'GetBackupPlan')).toHaveLength(2);
    expect(h.pages().map((p) => p.input.signal.detail)).toEqual([
      'backup plan misconfigured: the backup plan of the filestore has no rule that runs at least every 60 minutes: its RPO cannot be met',
    ]);
  });

  test('a job already running is waited for, not doubled', async () => {
    backedUp(FILESTORE_STALE);
    h.account.addJob('filestore', 'RUNNING', 2);
    const run = await h.run(HOURLY);
    expect(h.account.started).toEqual([]);
    expect(run.visited).toContain('WaitForRunningJob');
    // The running job completes: the filestore is assessed healthy after it, and nobody is paged.
    expect(run.endState).toBe('Healthy');
    expect(h.pages()).toEqual([]);
  });

  test('a re-run still running when the poll schedule runs out is escalated as such', async () => {
    backedUp(FILESTORE_STALE);
    h.account.rerunScripts = [{ runningPolls: 1000, end: 'COMPLETED' }];
    const run = await h.run(HOURLY);
    expect(run.endState).toBe('Escalated');
    expect(run.visited.filter((s) => s === 'DescribeBackupJob')).toHaveLength(
      pollSchedule(h.backup.rerunPoll).length,
    );
    expect(h.pages()[0]?.input.signal.detail).toMatch(/had not finished when polling gave up/);
  });

  test('a vault without a KMS key is escalated at once: a re-run cannot fix it', async () => {
    backedUp();
    h.account.vaultKey = null;
    const run = await h.run(HOURLY);
    expect(run.endState).toBe('Escalated');
    expect(h.account.started).toEqual([]);
    expect(h.pages().map((p) => p.input.signal.detail)).toEqual([
      expect.stringMatching(/database .* misconfigured: the backup vault has no KMS key/),
      expect.stringMatching(/filestore \(fs-0f11e5704e0000001\) misconfigured/),
      expect.stringMatching(/images .* misconfigured/),
    ]);
  });

  test('with its incident already open, a failing resource is not re-run again; once healthy, the incident is resolved', async () => {
    backedUp(FILESTORE_STALE);
    h.account.rerunScripts = [
      { runningPolls: 0, end: 'FAILED', statusMessage: 'bucket policy denies backup' },
    ];
    await h.run(HOURLY);
    const [page] = h.pages();
    if (!page) throw new Error('no page');
    // The escalation workflow's Register opened the incident (run here as the escalation would).
    await makeRegisterHandler({
      config: twinRuntimeConfig('prod', db.table),
      store: h.store,
      logger: new Logger({ logLevel: 'SILENT' }),
      metrics: new RecordingMetrics(),
      now: () => h.clock,
    })({ input: page.input, phase: 'register' });
    // Past the re-run's claim: only the open incident now holds a second re-run back.
    const { giveUpMinutes } = h.backup.rerunPoll;
    h.clock = new Date(h.clock.getTime() + (giveUpMinutes + h.backup.rerunClaimSlackMinutes + 1) * 60_000);
    h.account.addRecoveryPoint('database', 5);
    const again = await h.run(HOURLY);
    expect(again.endState).toBe('Escalated');
    expect(h.account.started).toHaveLength(1);
    h.clock = new Date(h.clock.getTime() + 10 * 60_000);
    h.account.addRecoveryPoint('filestore', 1);
    h.account.addJob('filestore', 'COMPLETED', 2);
    const healthy = await h.run(HOURLY);
    expect(healthy.endState).toBe('Healthy');
    expect(h.started.at(-1)?.input).toMatchObject({ state: 'OK', subject: h.backup.resources[1]?.arn });
  });

  test('run twice with the same input: the second run finds the re-run done and changes nothing', async () => {
    backedUp(FILESTORE_STALE);
    await h.run(HOURLY);
    const again = await h.run(HOURLY);
    expect(again.endState).toBe('Healthy');
    expect(h.account.started).toHaveLength(1);
    expect(h.metrics.total('remediations')).toBe(1);
  });

  test.each([
    [
      'an unknown resource',
      { resource: 'redis' },
      'input.resource: must be one of database, filestore, images',
    ],
    ['a misspelt field', { resources: 'database' }, 'input.resources: not a field of a backup check'],
    [
      'another alert',
      { alert: { name: 'Odoo_Low_Disk_Space' }, signal: { type: 'alarm' } },
      'input.alert.name',
    ],
  ])(
    'a bad console input (%s) fails naming the field; nothing is read or started',
    async (_case, input, message) => {
      backedUp(FILESTORE_STALE);
      const run = await h.run(input);
      expect(run.endState).toBe('InvalidRequest');
      expect(run.error?.message ?? '').toContain(message);
      expect(run.visited).not.toContain('Observe');
      expect(h.account.started).toEqual([]);
    },
  );

  test('a console run for one resource assesses only it', async () => {
    backedUp(FILESTORE_STALE);
    const run = await h.run({ resource: 'database', requestedBy: 'alice' });
    expect(run.endState).toBe('Healthy');
    const [check] = await h.backups.checksSince(new Date(0));
    expect(check).toMatchObject({ trigger: 'manual by alice', resources: { database: 'healthy' } });
    expect(check?.resources.filestore).toBeUndefined();
  });

  describe('restore tests of the database', () => {
    test('a restored database that passes is reported SUCCESSFUL to AWS Backup; nobody is paged', async () => {
      h.account.addRestoreJob('restore-1');
      const point = Date.parse(String(h.account.restoreJobs.get('restore-1')?.RecoveryPointCreationDate));
      h.restored = { ...h.restored, newestWriteAt: new Date(point - 3 * 60_000) };
      const run = await h.run({ restoreJobId: 'restore-1' });
      expect(run.endState).toBe('RestoreTestPassed');
      expect(h.account.validations).toEqual([
        expect.objectContaining({ RestoreJobId: 'restore-1', ValidationStatus: 'SUCCESSFUL' }),
      ]);
      expect(h.logins[0]).toMatchObject({
        host: 'awsbackup-restore-test-restore-1.rds.example',
        user: 'odoo',
        password: 'restored',
        database: 'odoo',
      });
      expect(h.started).toEqual([]);
    });

    test('validation fails: FAILED reported to AWS Backup, and one High escalation with the reason', async () => {
      h.account.addRestoreJob('restore-2');
      h.restored = { tables: [], newestWriteAt: null };
      const run = await h.run({ restoreJobId: 'restore-2' });
      expect(run.endState).toBe('RestoreTestFailed');
      expect(h.account.validations[0]).toMatchObject({
        ValidationStatus: 'FAILED',
        ValidationStatusMessage: expect.stringMatching(/Odoo core tables missing/),
      });
      expect(h.started).toHaveLength(1);
      expect(h.started[0]?.input).toMatchObject({
        alert: { name: 'Backup_Restore_Test_Failed', severity: 'High' },
        state: 'ALARM',
        signal: {
          detail: expect.stringMatching(/^restore test restore-2 of the database: Odoo core tables missing/),
        },
      });
    });

    test('a restore job that failed is escalated; AWS Backup takes no validation for it', async () => {
      h.account.addRestoreJob('restore-3', { status: 'FAILED', statusMessage: 'Insufficient capacity' });
      const run = await h.run({ restoreJobId: 'restore-3' });
      expect(run.endState).toBe('RestoreTestFailed');
      expect(h.account.validations).toEqual([]);
      expect(h.started[0]?.input.signal.detail).toMatch(
        /restore job restore-3 ended FAILED: Insufficient capacity/,
      );
    });

    test('the same restore job validated again (a repeated event, a console run) does nothing more', async () => {
      h.account.addRestoreJob('restore-5');
      h.restored = { tables: [], newestWriteAt: null };
      await h.run({ restoreJobId: 'restore-5' });
      const again = await h.run({ restoreJobId: 'restore-5' });
      expect(again.endState).toBe('ValidatedBefore');
      expect(h.account.validations).toHaveLength(1);
      expect(h.started).toHaveLength(1);
    });

    test('a restore someone ran by hand is not validated', async () => {
      h.account.addRestoreJob('restore-4', { test: false });
      const run = await h.run({ restoreJobId: 'restore-4' });
      expect(run.endState).toBe('NotARestoreTest');
      expect(h.account.validations).toEqual([]);
      expect(h.logins).toEqual([]);
    });

    test('a restore job id that is not a string fails naming the field', async () => {
      const run = await h.run({ restoreJobId: 42 });
      expect(run.endState).toBe('InvalidRequest');
      expect(run.error?.message ?? '').toContain('input.restoreJobId');
    });
  });

  describe('restore tests of the filestore (EFS: mounted for the validation function, always cleaned up)', () => {
    /**
     * A completed restore test of the filestore: restore job `jobId` created file system `fsId`,
     * whose contents are a local tree with the heartbeat `heartbeatBefore` minutes before the
     * recovery point (null: none).
     */
    function restoredFilestore(jobId: string, fsId: string, heartbeatBefore: number | null = 1) {
      h.account.addRestoreJob(jobId, { fileSystemId: fsId, pointMinutesBefore: 60 });
      const point = Date.parse(String(h.account.restoreJobs.get(jobId)?.RecoveryPointCreationDate));
      const tree = filestoreTree({
        heartbeatAt: heartbeatBefore === null ? null : new Date(point - heartbeatBefore * 60_000),
      });
      trees.push(tree);
      h.filestores.add(fsId, tree.root);
    }
    const actions = () => h.filestores.calls.map((c) => c.action);
    /** The file system the validation function was pointed at, change by change (null: detached). */
    const mounts = () => h.filestores.mounts;

    test('a good restore: mount targets in each validation subnet, an access point, the function pointed at it; validated SUCCESSFUL; everything removed again; nobody paged', async () => {
      restoredFilestore('efs-1', 'fs-0aaa1');
      const run = await h.run({ restoreJobId: 'efs-1' });
      expect(run.error).toBeUndefined();
      expect(run.endState).toBe('RestoreTestPassed');
      const created = h.filestores.calls.filter((c) => c.action === 'createMountTarget').map((c) => c.params);
      expect(created).toEqual(
        TWIN_FILESTORE_RESTORE.subnetIds.map((subnet) => ({
          FileSystemId: 'fs-0aaa1',
          SubnetId: subnet,
          SecurityGroups: [TWIN_FILESTORE_RESTORE.securityGroupId],
        })),
      );
      expect(h.filestores.calls.find((c) => c.action === 'createAccessPoint')?.params).toMatchObject({
        FileSystemId: 'fs-0aaa1',
        RootDirectory: { Path: '/' },
        PosixUser: { Uid: 101, Gid: 101 },
        Tags: [{ Key: 'influencegen:restore-validation', Value: 'prod' }],
      });
      const attach = h.filestores.calls.find((c) => c.action === 'updateFunctionConfiguration');
      expect(attach?.params).toMatchObject({
        FileSystemConfigs: [
          { Arn: expect.stringMatching(/:access-point\/fsap-/), LocalMountPath: '/mnt/filestore' },
        ],
      });
      // Attached, then detached; nothing left for AWS Backup to trip on.
      expect(mounts()).toEqual(['fs-0aaa1', null]);
      expect(h.filestores.functionConfig.FileSystemConfigs).toEqual([]);
      expect(h.filestores.leftOn('fs-0aaa1')).toEqual({ mountTargets: [], accessPoints: [] });
      expect(h.account.validations).toEqual([
        expect.objectContaining({
          RestoreJobId: 'efs-1',
          ValidationStatus: 'SUCCESSFUL',
          ValidationStatusMessage: expect.stringMatching(
            /^Odoo filestore in aws-backup-restore_[^/]+\/odoo: marker of database odoo .*heartbeat 1 min before the recovery point; restored in 20 min/,
          ),
        }),
      ]);
      expect(h.started).toEqual([]);
      const [check] = await h.backups.checksSince(new Date(0));
      expect(check).toMatchObject({ phase: 'restore-test', resources: { filestore: 'SUCCESSFUL' } });
      // The function was given back: the next test takes it at once.
      const next = await h.backups.claimValidator(
        'filestore',
        'next',
        'efs-9',
        new Date(Date.now() + 60_000),
        new Date(),
      );
      expect(next).toEqual({ claimed: true, again: false });
    });

    test('a stale copy (heartbeat 3 hours before the point): FAILED to AWS Backup, one High escalation with the figures, and still cleaned up', async () => {
      restoredFilestore('efs-2', 'fs-0aaa2', 180);
      const run = await h.run({ restoreJobId: 'efs-2' });
      expect(run.endState).toBe('RestoreTestFailed');
      expect(h.account.validations[0]).toMatchObject({
        ValidationStatus: 'FAILED',
        ValidationStatusMessage: expect.stringMatching(
          /is 180 min before the recovery point \(objective 60 min\)$/,
        ),
      });
      expect(h.pages()).toHaveLength(1);
      expect(h.pages()[0]?.input).toMatchObject({
        alert: { name: 'Backup_Restore_Test_Failed', severity: 'High' },
        subject: h.backup.resources[1]?.arn,
        signal: { detail: expect.stringMatching(/^restore test efs-2 of the filestore: newest file/) },
      });
      expect(h.filestores.leftOn('fs-0aaa2')).toEqual({ mountTargets: [], accessPoints: [] });
      expect(mounts()).toEqual(['fs-0aaa2', null]);
    });

    test('a failure mid-way (no free address in the second subnet): the mount target already made is removed, nothing is left, FAILED with the reason, escalated', async () => {
      restoredFilestore('efs-3', 'fs-0aaa3');
      h.filestores.faults.mountTargetFailsIn = TWIN_FILESTORE_RESTORE.subnetIds[1];
      const run = await h.run({ restoreJobId: 'efs-3' });
      expect(run.endState).toBe('RestoreTestFailed');
      // One mount target was made before the failure; the cleanup found and removed it.
      expect(actions().filter((a) => a === 'createMountTarget')).toHaveLength(2);
      expect(actions().filter((a) => a === 'deleteMountTarget')).toHaveLength(1);
      expect(actions()).not.toContain('createAccessPoint');
      expect(h.filestores.leftOn('fs-0aaa3')).toEqual({ mountTargets: [], accessPoints: [] });
      // Never attached; the detach ran anyway (the cleanup does not guess what happened).
      expect(mounts()).toEqual([null]);
      expect(h.account.validations[0]).toMatchObject({
        ValidationStatus: 'FAILED',
        ValidationStatusMessage: expect.stringMatching(
          /^could not validate the restored file system fs-0aaa3: Efs\.NoFreeAddressesInSubnetException/,
        ),
      });
      expect(h.pages()[0]?.input.signal.detail).toMatch(
        /^restore test efs-3 of the filestore: could not validate/,
      );
      expect(run.visited).toContain('DetachValidatorFileSystem');
    });

    test('a failure after the function took the copy (its update failed): access point and mount targets removed, function detached', async () => {
      restoredFilestore('efs-4', 'fs-0aaa4');
      h.filestores.faults.updateEnds = 'Failed';
      const run = await h.run({ restoreJobId: 'efs-4' });
      expect(run.endState).toBe('RestoreTestFailed');
      expect(run.visited).toContain('ValidatorNotUpdated');
      expect(run.visited).not.toContain('InvokeFilestoreValidation');
      expect(mounts()).toEqual(['fs-0aaa4', null]);
      expect(h.filestores.leftOn('fs-0aaa4')).toEqual({ mountTargets: [], accessPoints: [] });
      expect(h.account.validations[0]?.ValidationStatusMessage).toMatch(
        /the validation function did not take the restored file system: its update is Failed/,
      );
    });

    test('a mount not reachable yet (new mount targets resolve after a while) is retried, then validated', async () => {
      restoredFilestore('efs-5', 'fs-0aaa5');
      h.filestores.faults.connectivityFailures = 2;
      const run = await h.run({ restoreJobId: 'efs-5' });
      expect(run.endState).toBe('RestoreTestPassed');
      expect(run.visited.filter((s) => s === 'InvokeFilestoreValidation')).toHaveLength(1);
      expect(h.filestores.faults.connectivityFailures).toBe(0);
    });

    test('a cleanup that fails (mount targets refused) is escalated: AWS Backup cannot delete the copy; the validation still reported', async () => {
      restoredFilestore('efs-6', 'fs-0aaa6');
      h.filestores.faults.deleteMountTargetRefused = true;
      const run = await h.run({ restoreJobId: 'efs-6' });
      expect(run.endState).toBe('RestoreTestFailed');
      expect(h.account.validations[0]?.ValidationStatus).toBe('SUCCESSFUL');
      expect(h.filestores.leftOn('fs-0aaa6').mountTargets).toHaveLength(2);
      expect(h.filestores.leftOn('fs-0aaa6').accessPoints).toEqual([]);
      expect(h.pages()[0]?.input.signal.detail).toMatch(
        /^restore test efs-6 of the filestore: data validated; cleanup of fs-0aaa6 incomplete: its mount targets remain \(Efs\.AccessDeniedException/,
      );
      // The function was still given back.
      const next = await h.backups.claimValidator(
        'filestore',
        'next',
        'efs-9',
        new Date(Date.now() + 60_000),
        new Date(),
      );
      expect(next.claimed).toBe(true);
    });

    test('a restore of the filestore that failed mounts nothing, takes no claim, reports nothing; escalated', async () => {
      h.account.addRestoreJob('efs-7', {
        fileSystemId: 'fs-0aaa7',
        status: 'FAILED',
        statusMessage: 'KMS key is disabled',
      });
      const run = await h.run({ restoreJobId: 'efs-7' });
      expect(run.endState).toBe('RestoreTestFailed');
      expect(h.filestores.calls).toEqual([]);
      expect(h.account.validations).toEqual([]);
      expect(h.pages()[0]?.input.signal.detail).toMatch(
        /restore job efs-7 ended FAILED: KMS key is disabled/,
      );
    });

    test('a restore job naming the live filestore is refused: nothing mounted on it', async () => {
      h.account.addRestoreJob('efs-8', { fileSystemId: LIVE_FILESTORE_ID });
      const run = await h.run({ restoreJobId: 'efs-8' });
      expect(run.endState).toBe('RestoreTestFailed');
      expect(h.filestores.calls).toEqual([]);
      expect(h.account.validations[0]?.ValidationStatusMessage).toMatch(/names the live filestore/);
    });

    test('two restore tests at once: the second waits for the first to give the function back, then runs; never two mounts at a time', async () => {
      restoredFilestore('efs-a', 'fs-0aaaa');
      restoredFilestore('efs-b', 'fs-0aaab');
      h.claimWaitMs = 5;
      // Plenty of attempts: the second must still be waiting when the first lets go.
      h.backup = { ...h.backup, filestoreRestore: { ...h.backup.filestoreRestore, claimWaitMinutes: 1000 } };
      let release = () => {};
      h.filestoreGate = new Promise<void>((resolve) => (release = resolve));
      const first = h.run({ restoreJobId: 'efs-a' }, 'restore-test-a');
      await until(() => h.claims.some((c) => c.execution === 'restore-test-a' && c.outcome === 'claimed'));
      const second = h.run({ restoreJobId: 'efs-b' }, 'restore-test-b');
      await until(() => h.claims.some((c) => c.execution === 'restore-test-b' && c.outcome === 'busy'));
      // The first is mid-way (mounted, validating): the second has not touched its copy.
      expect(h.filestores.calls.filter((c) => JSON.stringify(c.params).includes('fs-0aaab'))).toEqual([]);
      h.filestoreGate = null;
      release();
      const [a, b] = await Promise.all([first, second]);
      expect([a.endState, b.endState]).toEqual(['RestoreTestPassed', 'RestoreTestPassed']);
      expect(b.visited).toContain('WaitForFilestoreValidator');
      // One restored copy mounted at a time: the second only after the first was let go.
      expect(mounts()).toEqual(['fs-0aaaa', null, 'fs-0aaab', null]);
      expect(h.account.validations.map((v) => [v.RestoreJobId, v.ValidationStatus])).toEqual([
        ['efs-a', 'SUCCESSFUL'],
        ['efs-b', 'SUCCESSFUL'],
      ]);
      expect(h.filestores.leftOn('fs-0aaaa')).toEqual({ mountTargets: [], accessPoints: [] });
      expect(h.filestores.leftOn('fs-0aaab')).toEqual({ mountTargets: [], accessPoints: [] });
    });

    test('a second test still refused when its wait runs out: TIMED_OUT to AWS Backup, escalated; the first unharmed', async () => {
      restoredFilestore('efs-c', 'fs-0aaac');
      restoredFilestore('efs-d', 'fs-0aaad');
      h.backup = {
        ...h.backup,
        filestoreRestore: { ...h.backup.filestoreRestore, claimWaitMinutes: 6, claimRetrySeconds: 120 },
      };
      let release = () => {};
      h.filestoreGate = new Promise<void>((resolve) => (release = resolve));
      const first = h.run({ restoreJobId: 'efs-c' }, 'restore-test-c');
      await until(() => h.claims.some((c) => c.execution === 'restore-test-c' && c.outcome === 'claimed'));
      const second = await h.run({ restoreJobId: 'efs-d' }, 'restore-test-d');
      expect(second.endState).toBe('RestoreTestFailed');
      // 6 minutes of 2-minute waits: three attempts, the last one gives up.
      expect(h.claims.filter((c) => c.execution === 'restore-test-d').map((c) => c.outcome)).toEqual([
        'busy',
        'busy',
        'not-validated',
      ]);
      expect(h.account.validations).toEqual([
        expect.objectContaining({
          RestoreJobId: 'efs-d',
          ValidationStatus: 'TIMED_OUT',
          ValidationStatusMessage: expect.stringMatching(/stayed busy with restore job efs-c/),
        }),
      ]);
      expect(h.filestores.calls.filter((c) => JSON.stringify(c.params).includes('fs-0aaad'))).toEqual([]);
      h.filestoreGate = null;
      release();
      expect((await first).endState).toBe('RestoreTestPassed');
      expect(h.pages().map((p) => p.input.signal.detail)).toEqual([
        expect.stringMatching(/^restore test efs-d of the filestore: not validated/),
      ]);
    });
  });
});

/** Resolves once `condition` holds (checked every few milliseconds, for at most 10 s). */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 10_000) throw new Error('condition never held');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
