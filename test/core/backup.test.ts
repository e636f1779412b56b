import { assessResource } from '../../lambdas/core/backup/assess';
import { JOB_STATES, jobOutcome } from '../../lambdas/core/backup/job-states';
import { pollSchedule } from '../../lambdas/core/backup/poll';
import { retentionProblems } from '../../lambdas/core/backup/retention';
import { parseBackupRequest } from '../../lambdas/core/backup/request';
import type { ResourceObservation } from '../../lambdas/core/backup/types';
import { bytesOf, timeOf } from '../../lambdas/core/backup/values';
import { judgeRestore, ODOO_CORE_TABLES } from '../../lambdas/core/backup/restore-validation';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const OBJECTIVES = { rpoMinutes: 15, alertAfterMinutes: 60 };
const KEY = 'arn:aws:kms:eu-west-1:1:key/k';
const VAULT = { EncryptionKeyArn: KEY };
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();
const filestore = (over: Partial<ResourceObservation> = {}): ResourceObservation => ({
  resource: { id: 'filestore', arn: 'arn:aws:s3:::f', type: 'S3', name: 'f' },
  recoveryPoints: [],
  jobs: [],
  ...over,
});
const point = (minutes: number, extra: Record<string, unknown> = {}) => ({
  RecoveryPointArn: `rp-${minutes}`,
  CreationDate: ago(minutes + 5),
  CompletionDate: ago(minutes),
  Status: 'COMPLETED',
  EncryptionKeyArn: KEY,
  ...extra,
});
const assess = (o: ResourceObservation, vault: Record<string, unknown> = VAULT) =>
  assessResource(o, vault, OBJECTIVES, NOW);

describe('a resource against the RPO', () => {
  test('at the boundary: 15 minutes old is within the RPO, 16 is stale', () => {
    expect(assess(filestore({ recoveryPoints: [point(15)] }))).toMatchObject({
      status: 'healthy',
      ageMinutes: 15,
    });
    expect(assess(filestore({ recoveryPoints: [point(16)] }))).toMatchObject({
      status: 'stale',
      ageMinutes: 16,
    });
  });

  test('the alert threshold: past 60 minutes is flagged, 60 is not', () => {
    expect(assess(filestore({ recoveryPoints: [point(60)] })).alertThresholdBreached).toBe(false);
    expect(assess(filestore({ recoveryPoints: [point(61)] })).alertThresholdBreached).toBe(true);
  });

  test('the newest COMPLETED point counts; a newer point still being created does not', () => {
    const verdict = assess(filestore({ recoveryPoints: [point(40), point(1, { Status: 'CREATING' })] }));
    expect(verdict).toMatchObject({ status: 'stale', ageMinutes: 40 });
  });

  test('RDS: the latest restorable time counts when newer than any recovery point', () => {
    const database: ResourceObservation = {
      resource: { id: 'database', arn: 'arn:aws:rds:eu-west-1:1:db:d', type: 'RDS', name: 'd' },
      recoveryPoints: [point(60 * 20)],
      jobs: [],
      instances: [{ LatestRestorableTime: ago(4) }],
    };
    expect(assess(database)).toMatchObject({ status: 'healthy', ageMinutes: 4 });
    expect(assess({ ...database, instances: [{ LatestRestorableTime: null }] })).toMatchObject({
      status: 'stale',
    });
  });

  test('S3 under continuous backup: an active continuous point is restorable to now; a stopped one is not', () => {
    const continuous = (Status: string) => ({
      RecoveryPointArn: 'arn:aws:backup:eu-west-1:1:recovery-point:continuous:fs',
      CreationDate: ago(60 * 24 * 30),
      Status,
      EncryptionKeyArn: KEY,
    });
    expect(assess(filestore({ recoveryPoints: [continuous('COMPLETED'), point(60 * 20)] }))).toMatchObject({
      status: 'healthy',
      reason: expect.stringContaining('continuous backup active'),
    });
    expect(assess(filestore({ recoveryPoints: [continuous('STOPPED'), point(60 * 20)] })).status).toBe(
      'stale',
    );
  });

  test('nothing restorable is stale and past the alert threshold, never "0 minutes old"', () => {
    expect(assess(filestore())).toMatchObject({
      status: 'stale',
      ageMinutes: null,
      alertThresholdBreached: true,
    });
  });

  test('encryption: a vault without a key or an unencrypted newest point is misconfigured', () => {
    expect(assess(filestore({ recoveryPoints: [point(5)] }), {}).status).toBe('misconfigured');
    expect(assess(filestore({ recoveryPoints: [point(5, { EncryptionKeyArn: undefined })] })).status).toBe(
      'misconfigured',
    );
  });
});

describe('every backup job state AWS Backup emits', () => {
  const withLastJob = (State: string) =>
    assess(
      filestore({ recoveryPoints: [point(5)], jobs: [{ BackupJobId: 'j', State, CreationDate: ago(2) }] }),
    );
  test.each(['CREATED', 'PENDING', 'RUNNING'])(
    '%s: in progress; the resource is judged by its newest point',
    (state) => {
      expect(jobOutcome(state)).toBe('in-progress');
      expect(withLastJob(state).status).toBe('healthy');
    },
  );
  test('COMPLETED: done', () => {
    expect(jobOutcome('COMPLETED')).toBe('completed');
    expect(withLastJob('COMPLETED').status).toBe('healthy');
  });
  test.each(['ABORTED', 'FAILED', 'EXPIRED'])(
    '%s: the resource failed, whatever its newest point',
    (state) => {
      expect(jobOutcome(state)).toBe('failed');
      expect(withLastJob(state)).toMatchObject({
        status: 'failed',
        reason: expect.stringContaining(`job j ${state}`),
      });
    },
  );
  test('a state AWS adds later is unknown, not done', () => {
    expect(jobOutcome('HIBERNATING')).toBe('unknown');
    expect(Object.keys(JOB_STATES)).toEqual(
      expect.arrayContaining(['CREATED', 'PENDING', 'RUNNING', 'COMPLETED', 'ABORTED', 'FAILED', 'EXPIRED']),
    );
  });
  test('the newest job by creation time decides, whatever the order AWS lists them in', () => {
    const jobs = [
      { BackupJobId: 'new', State: 'COMPLETED', CreationDate: ago(1) },
      { BackupJobId: 'old', State: 'FAILED', CreationDate: ago(30) },
    ];
    expect(assess(filestore({ recoveryPoints: [point(1)], jobs })).lastJob?.id).toBe('new');
  });
});

describe('values as AWS delivers them', () => {
  test('sizes as strings or numbers; anything else absent, never 0', () => {
    expect(bytesOf('1048576')).toBe(1048576);
    expect(bytesOf(2048)).toBe(2048);
    expect(bytesOf('12 MB')).toBeUndefined();
    expect(bytesOf(undefined)).toBeUndefined();
    const job = (BackupSizeInBytes: unknown) =>
      assess(
        filestore({
          recoveryPoints: [point(5)],
          jobs: [{ BackupJobId: 'j', State: 'COMPLETED', CreationDate: ago(2), BackupSizeInBytes }],
        }),
      );
    expect(job('4096').lastJob?.sizeBytes).toBe(4096);
    expect(job(4096).lastJob?.sizeBytes).toBe(4096);
  });
  test("times as ISO strings (AWS's +0000 offsets too), epoch seconds or epoch milliseconds", () => {
    expect(timeOf('2026-11-23T10:00:00Z')?.toISOString()).toBe('2026-11-23T10:00:00.000Z');
    expect(timeOf('2026-11-23T11:00:00.000+0100')?.toISOString()).toBe('2026-11-23T10:00:00.000Z');
    expect(timeOf(1795428000)?.toISOString()).toBe('2026-11-23T10:00:00.000Z');
    expect(timeOf(1795428000000)?.toISOString()).toBe('2026-11-23T10:00:00.000Z');
    expect(timeOf('not a time')).toBeUndefined();
  });
});

test('the re-run poll schedule doubles to its maximum and ends within the give-up time', () => {
  const waits = pollSchedule({ firstSeconds: 60, maxSeconds: 900, giveUpMinutes: 240 });
  expect(waits.slice(0, 6)).toEqual([60, 120, 240, 480, 900, 900]);
  expect(waits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(240 * 60);
});

test('requests: routed job events name their resource; console runs are checked', () => {
  const arns = { database: 'arn:db', filestore: 'arn:fs' };
  expect(
    parseBackupRequest(
      {
        alert: { name: 'Odoo_Backup_Failure' },
        signal: { type: 'backup-job', jobId: 'j1', state: 'EXPIRED', resourceArn: 'arn:fs' },
      },
      arns,
    ),
  ).toEqual({ trigger: 'backup job j1 EXPIRED', resources: ['filestore'] });
  expect(parseBackupRequest({ requestedBy: 'schedule' }, arns)).toEqual({
    trigger: 'hourly check',
    resources: ['database', 'filestore'],
  });
  expect(() => parseBackupRequest({ resource: 'db' }, arns)).toThrow(
    /input\.resource: must be one of database, filestore/,
  );
});

test('a restore test judges the newest write against the snapshot, and the restore time against the RTO', () => {
  const db = { tables: [...ODOO_CORE_TABLES], newestWriteAt: new Date('2026-11-23T04:50:00Z') };
  const objectives = { rpoMinutes: 15, rtoHours: 4 };
  const times = {
    recoveryPointCreatedAt: new Date('2026-11-23T05:00:00Z'),
    restoreStartedAt: new Date('2026-11-23T05:10:00Z'),
    restoreCompletedAt: new Date('2026-11-23T05:40:00Z'),
  };
  expect(judgeRestore(db, times, objectives).status).toBe('SUCCESSFUL');
  expect(
    judgeRestore(db, { ...times, restoreCompletedAt: new Date('2026-11-23T09:11:00Z') }, objectives),
  ).toMatchObject({
    status: 'FAILED',
    withinRto: false,
    message: expect.stringMatching(/the restore took 241 min, beyond the 4 h RTO/),
  });
  expect(
    judgeRestore(db, { ...times, recoveryPointCreatedAt: new Date('2026-11-23T05:06:00Z') }, objectives)
      .message,
  ).toMatch(/is 16 min before the recovery point/);
});

test("the backup plan's retention against the environment's; continuous backup required", () => {
  const required = { continuousRetentionDays: 35, dailyRetentionDays: 90 };
  const continuous = {
    RuleName: 'continuous',
    EnableContinuousBackup: true,
    Lifecycle: { DeleteAfterDays: 35 },
  };
  expect(
    retentionProblems([continuous, { RuleName: 'daily', Lifecycle: { DeleteAfterDays: 90 } }], required),
  ).toEqual([]);
  expect(retentionProblems([continuous, { RuleName: 'daily' }], required)).toEqual([]);
  expect(
    retentionProblems([continuous, { RuleName: 'daily', Lifecycle: { DeleteAfterDays: 30 } }], required),
  ).toEqual(['backup plan rule daily keeps recovery points 30 days, 90 required']);
  expect(retentionProblems([{ RuleName: 'daily', Lifecycle: { DeleteAfterDays: 90 } }], required)).toEqual([
    'the backup plan has no continuous-backup rule: point-in-time recovery is off',
  ]);
});
