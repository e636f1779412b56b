import { Logger } from '@aws-lambda-powertools/logger';
import { RecordingMetrics } from '../../lambdas/core/metrics-sink';
import { makeRegisterHandler } from '../../lambdas/escalation-register';
import { pollSchedule } from '../../lambdas/core/backup/poll';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sim/aws/local-dynamodb';
import { BackupHarness } from './backup-harness';
import { twinRuntimeConfig } from '../../sim/aws/twin-account';

const START = '2026-11-23T10:00:00.000Z';
const HOURLY = { requestedBy: 'schedule' };
let db: LocalDynamoDB;
let h: BackupHarness;

beforeEach(async () => {
  db = await startLocalDynamoDB();
  h = new BackupHarness(db, START);
});
afterEach(async () => {
  await db.stop();
});

/** The database restorable to 3 minutes ago (PITR) and the filestore backed up `filestoreAgo` minutes ago. */
function backedUp(filestoreAgo = 10) {
  h.account.addRecoveryPoint('database', 60 * 20);
  h.account.addJob('database', 'COMPLETED', 60 * 20);
  h.account.addRecoveryPoint('filestore', filestoreAgo);
  h.account.addJob('filestore', 'COMPLETED', filestoreAgo + 5);
}

describe('backup-verification workflow (state-machines/backup-verification.asl.json, run locally)', () => {
  test('healthy: both resources within the RPO; recorded; no re-run, nobody paged', async () => {
    backedUp();
    const run = await h.run(HOURLY);
    expect(run.error).toBeUndefined();
    expect(run.endState).toBe('Healthy');
    expect(h.account.started).toEqual([]);
    expect(h.started).toEqual([]);
    const [check] = await h.backups.checksSince(new Date(0));
    expect(check).toMatchObject({
      outcome: 'healthy',
      resources: { database: 'healthy', filestore: 'healthy' },
    });
  });

  test('stale: one re-run of the stale resource only, polled until it completes, assessed again; nobody paged', async () => {
    backedUp(40);
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
    // The filestore's newest point: 40 minutes old at the assessment, fresh after the re-run.
    const ages = h.metrics.datapoints
      .filter((d) => d.key === 'recoveryPointAge' && d.dimensions.resource === 'filestore')
      .map((d) => d.value);
    expect(ages[0]).toBe(40 * 60);
    expect(ages.at(-1)).toBeLessThan(15 * 60);
  });

  test('the re-run fails: exactly one re-run and one Critical escalation with the job error', async () => {
    h.account.addRecoveryPoint('database', 60 * 20);
    h.account.addJob('database', 'FAILED', 30, 'Insufficient privileges to perform snapshot');
    h.account.latestRestorableTime = new Date(Date.parse(START) - 90 * 60_000);
    backedUp();
    h.account.rerunScripts = [{ runningPolls: 1, end: 'FAILED', statusMessage: 'KMS key is disabled' }];
    const run = await h.run({
      alert: { name: 'Odoo_Backup_Failure' },
      state: 'ALARM',
      signal: {
        type: 'backup-job',
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
    expect(page?.input.signal.detail).toMatch(/past the alert threshold/);
  });

  test('the filestore under continuous backup is healthy hour after hour: no re-run loop', async () => {
    h.account.addRecoveryPoint('database', 60 * 20);
    h.account.addContinuousPoint('filestore');
    h.account.addRecoveryPoint('filestore', 60 * 20);
    h.account.addJob('filestore', 'COMPLETED', 60 * 20);
    for (let hour = 0; hour < 5; hour++) {
      const run = await h.run(HOURLY);
      expect(run.endState).toBe('Healthy');
      h.clock = new Date(h.clock.getTime() + 3600_000);
      h.account.latestRestorableTime = new Date(h.clock.getTime() - 3 * 60_000);
    }
    expect(h.account.started).toEqual([]);
  });

  test("the re-run's own failure event starts no second re-run: it pages", async () => {
    backedUp(40);
    h.account.rerunScripts = [{ runningPolls: 0, end: 'FAILED', statusMessage: 'KMS key is disabled' }];
    await h.run(HOURLY);
    const [rerunJob] = h.account.started;
    const event = await h.run({
      alert: { name: 'Odoo_Backup_Failure' },
      state: 'ALARM',
      signal: {
        type: 'backup-job',
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
    h.account.planRules = [
      { RuleName: 'continuous', EnableContinuousBackup: true, Lifecycle: { DeleteAfterDays: 35 } },
      { RuleName: 'daily', EnableContinuousBackup: false, Lifecycle: { DeleteAfterDays: 7 } },
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
              'backup plan misconfigured: backup plan rule daily keeps recovery points 7 days, 90 required',
          }),
        }),
      }),
    ]);
  });

  test('a job already running is waited for, not doubled', async () => {
    backedUp(40);
    h.account.addJob('filestore', 'RUNNING', 2);
    const run = await h.run(HOURLY);
    expect(h.account.started).toEqual([]);
    expect(run.visited).toContain('WaitForRunningJob');
    // The running job completes: the filestore is assessed healthy after it, and nobody is paged.
    expect(run.endState).toBe('Healthy');
    expect(h.pages()).toEqual([]);
  });

  test('a re-run still running when the poll schedule runs out is escalated as such', async () => {
    backedUp(40);
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
      expect.stringMatching(/filestore .* misconfigured/),
    ]);
  });

  test('with its incident already open, a failing resource is not re-run again; once healthy, the incident is resolved', async () => {
    backedUp(40);
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
    backedUp(40);
    await h.run(HOURLY);
    const again = await h.run(HOURLY);
    expect(again.endState).toBe('Healthy');
    expect(h.account.started).toHaveLength(1);
    expect(h.metrics.total('remediations')).toBe(1);
  });

  test.each([
    ['an unknown resource', { resource: 'redis' }, 'input.resource: must be one of database, filestore'],
    ['a misspelt field', { resources: 'database' }, 'input.resources: not a field of a backup check'],
    [
      'another alert',
      { alert: { name: 'Odoo_Low_Disk_Space' }, signal: { type: 'alarm' } },
      'input.alert.name',
    ],
  ])(
    'a bad console input (%s) fails naming the field; nothing is read or started',
    async (_case, input, message) => {
      backedUp(40);
      const run = await h.run(input);
      expect(run.endState).toBe('InvalidRequest');
      expect(run.error?.message ?? '').toContain(message);
      expect(run.visited).not.toContain('Observe');
      expect(h.account.started).toEqual([]);
    },
  );

  test('a console run for one resource assesses only it', async () => {
    backedUp(40);
    const run = await h.run({ resource: 'database', requestedBy: 'alice' });
    expect(run.endState).toBe('Healthy');
    const [check] = await h.backups.checksSince(new Date(0));
    expect(check).toMatchObject({ trigger: 'manual by alice', resources: { database: 'healthy' } });
    expect(check?.resources.filestore).toBeUndefined();
  });

  describe('restore tests', () => {
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
        signal: { detail: expect.stringMatching(/^restore test restore-2: Odoo core tables missing/) },
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
});
