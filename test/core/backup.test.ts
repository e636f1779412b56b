import { assessResource } from '../../lambdas/core/backup/assess';
import { fileSystemIdOf } from '../../lambdas/core/backup/filestore-restore-test';
import { dataDirCandidates, parseMarker } from '../../lambdas/core/backup/filestore-validation';
import { JOB_STATES, jobOutcome } from '../../lambdas/core/backup/job-states';
import { resourceObjectives } from '../../lambdas/core/backup/objectives';
import { pollSchedule } from '../../lambdas/core/backup/poll';
import { planProblems, scheduleIntervalMinutes } from '../../lambdas/core/backup/retention';
import { parseBackupRequest } from '../../lambdas/core/backup/request';
import { readRestoreJob } from '../../lambdas/core/backup/restore-job';
import type { ResourceObservation } from '../../lambdas/core/backup/types';
import { bytesOf, timeOf } from '../../lambdas/core/backup/values';
import { judgeRestore, ODOO_CORE_TABLES } from '../../lambdas/core/backup/restore-validation';
import { loadConfig } from '../../lib/config';

const NOW = new Date('2026-11-23T10:00:00.000Z');
/** The prod objectives: database and images 15 min (alert 60), the filestore 60 min (alert 105). */
const OBJECTIVES = resourceObjectives(loadConfig({ envName: 'prod', region: 'eu-west-1' }).env.backup);
const KEY = 'arn:aws:kms:eu-west-1:1:key/k';
const VAULT = { EncryptionKeyArn: KEY };
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();
/** The images bucket (S3, continuous backup). */
const images = (over: Partial<ResourceObservation> = {}): ResourceObservation => ({
  resource: { id: 'images', arn: 'arn:aws:s3:::i', type: 'S3', name: 'i', ...OBJECTIVES.images },
  recoveryPoints: [],
  jobs: [],
  ...over,
});
/** The filestore (EFS, hourly snapshots). */
const filestore = (over: Partial<ResourceObservation> = {}): ResourceObservation => ({
  resource: {
    id: 'filestore',
    arn: 'arn:aws:elasticfilesystem:eu-west-1:1:file-system/fs-0123',
    type: 'EFS',
    name: 'fs-0123',
    ...OBJECTIVES.filestore,
  },
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
  assessResource(o, vault, NOW);

describe('each resource against its own objective', () => {
  test('the objectives: the database and the images take the RPO, the filestore its hourly schedule with the same alert margin', () => {
    expect(OBJECTIVES).toEqual({
      database: { objectiveMinutes: 15, alertAfterMinutes: 60 },
      images: { objectiveMinutes: 15, alertAfterMinutes: 60 },
      filestore: { objectiveMinutes: 60, alertAfterMinutes: 105 },
    });
    expect(
      resourceObjectives({ rpoMinutes: 10, alertAfterMinutes: 30, filestoreBackupEveryMinutes: 120 })
        .filestore,
    ).toEqual({ objectiveMinutes: 120, alertAfterMinutes: 140 });
  });

  test('the images at the boundary: 15 minutes old is within the RPO, 16 is stale', () => {
    expect(assess(images({ recoveryPoints: [point(15)] }))).toMatchObject({
      status: 'healthy',
      ageMinutes: 15,
    });
    expect(assess(images({ recoveryPoints: [point(16)] }))).toMatchObject({
      status: 'stale',
      ageMinutes: 16,
      reason: expect.stringContaining('beyond the 15-minute RPO'),
    });
  });

  test('the filestore at the boundary: 60 minutes old is within its objective, 61 is stale', () => {
    expect(assess(filestore({ recoveryPoints: [point(60)] }))).toMatchObject({
      status: 'healthy',
      ageMinutes: 60,
      reason: expect.stringContaining('within the 60-minute RPO'),
    });
    expect(assess(filestore({ recoveryPoints: [point(61)] }))).toMatchObject({
      status: 'stale',
      ageMinutes: 61,
    });
  });

  test('the alert threshold, per resource: the images past 60 minutes, the filestore past 105', () => {
    expect(assess(images({ recoveryPoints: [point(60)] })).alertThresholdBreached).toBe(false);
    expect(assess(images({ recoveryPoints: [point(61)] })).alertThresholdBreached).toBe(true);
    expect(assess(filestore({ recoveryPoints: [point(105)] })).alertThresholdBreached).toBe(false);
    expect(assess(filestore({ recoveryPoints: [point(106)] })).alertThresholdBreached).toBe(true);
  });

  test('the newest COMPLETED point counts; a newer point still being created does not', () => {
    const verdict = assess(filestore({ recoveryPoints: [point(90), point(1, { Status: 'CREATING' })] }));
    expect(verdict).toMatchObject({ status: 'stale', ageMinutes: 90 });
  });

  test('EFS has no continuous backup: only its snapshots count, never "restorable to now"', () => {
    const continuous = {
      RecoveryPointArn: 'arn:aws:backup:eu-west-1:1:recovery-point:continuous:fs',
      CreationDate: ago(60 * 24),
      Status: 'COMPLETED',
      EncryptionKeyArn: KEY,
    };
    expect(assess(filestore({ recoveryPoints: [continuous, point(90)] }))).toMatchObject({
      status: 'stale',
      ageMinutes: 90,
    });
  });

  test('RDS: the latest restorable time counts when newer than any recovery point', () => {
    const database: ResourceObservation = {
      resource: {
        id: 'database',
        arn: 'arn:aws:rds:eu-west-1:1:db:d',
        type: 'RDS',
        name: 'd',
        ...OBJECTIVES.database,
      },
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
    expect(assess(images({ recoveryPoints: [continuous('COMPLETED'), point(60 * 20)] }))).toMatchObject({
      status: 'healthy',
      reason: expect.stringContaining('continuous backup active'),
    });
    expect(assess(images({ recoveryPoints: [continuous('STOPPED'), point(60 * 20)] })).status).toBe('stale');
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
  const arns = { database: 'arn:db', filestore: 'arn:fs', images: 'arn:images' };
  const jobFailed = {
    alert: { name: 'Odoo_Backup_Failure', kind: 'backup', component: 'backup', severity: 'Critical' },
    subject: 'arn:fs',
    state: 'ALARM',
    signal: {
      type: 'backup-job',
      eventId: 'e1',
      time: '2026-11-23T10:00:00Z',
      jobId: 'j1',
      state: 'EXPIRED',
      resourceArn: 'arn:fs',
    },
  };
  expect(parseBackupRequest(jobFailed, arns)).toEqual({
    trigger: 'backup job j1 EXPIRED',
    resources: ['filestore'],
  });
  // A resource this environment does not protect: everything is assessed.
  expect(
    parseBackupRequest({ ...jobFailed, signal: { ...jobFailed.signal, resourceArn: 'arn:other' } }, arns),
  ).toEqual({ trigger: 'backup job j1 EXPIRED', resources: ['database', 'filestore', 'images'] });
  expect(parseBackupRequest({ requestedBy: 'schedule' }, arns)).toEqual({
    trigger: 'hourly check',
    resources: ['database', 'filestore', 'images'],
  });
  expect(parseBackupRequest({ resource: 'images', requestedBy: 'bob' }, arns)).toEqual({
    trigger: 'manual by bob',
    resources: ['images'],
  });
  expect(() => parseBackupRequest({ resource: 'db' }, arns)).toThrow(
    /^input\.resource: must be one of database, filestore, images$/,
  );
  expect(() => parseBackupRequest({ resources: 'database' }, arns)).toThrow(
    /^input\.resources: not a field of a backup check \(resource, restoreJobId, requestedBy\)$/,
  );
  expect(() =>
    parseBackupRequest({ ...jobFailed, signal: { ...jobFailed.signal, backupJobId: 'j1' } }, arns),
  ).toThrow(/^input\.signal\.backupJobId: not a field of a backup-job signal \(type, eventId, time, jobId, /);
  expect(() =>
    parseBackupRequest({ ...jobFailed, alert: { name: 'Backup_Restore_Test_Failed' } }, arns),
  ).toThrow(
    /^input\.alert\.name: must be a backup alert \(Odoo_Backup_Failure\); Backup_Restore_Test_Failed is an incident alert/,
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

describe("the backup plans against the environment's", () => {
  const retention = { continuousRetentionDays: 35, dailyRetentionDays: 90, frequentRetentionDays: 7 };
  const main = { label: 'database and images', continuous: true, everyMinutes: null };
  const filestorePlan = { label: 'filestore', continuous: false, everyMinutes: 60 };
  const continuous = {
    RuleName: 'continuous',
    EnableContinuousBackup: true,
    ScheduleExpression: 'cron(0 3 * * ? *)',
    Lifecycle: { DeleteAfterDays: 35 },
  };
  const daily = (days?: number) => ({
    RuleName: 'daily',
    ScheduleExpression: 'cron(0 4 * * ? *)',
    ...(days === undefined ? {} : { Lifecycle: { DeleteAfterDays: days } }),
  });
  const hourly = (days: number, expression = 'cron(0 * * * ? *)') => ({
    RuleName: 'frequent',
    ScheduleExpression: expression,
    Lifecycle: { DeleteAfterDays: days },
  });

  test('the continuous plan: continuous backup required, each rule kept as long as its kind', () => {
    expect(planProblems([continuous, daily(90)], main, retention)).toEqual([]);
    expect(planProblems([continuous, daily()], main, retention)).toEqual([]);
    expect(planProblems([continuous, daily(30)], main, retention)).toEqual([
      'the backup plan of the database and images: rule daily keeps recovery points 30 days, 90 required',
    ]);
    expect(planProblems([daily(90)], main, retention)).toEqual([
      'the backup plan of the database and images has no continuous-backup rule: point-in-time recovery is off',
    ]);
  });

  test("the filestore's plan: a rule at least every 60 minutes, its hourly points kept 7 days, its daily ones 90", () => {
    expect(planProblems([hourly(7), daily(90)], filestorePlan, retention)).toEqual([]);
    expect(planProblems([hourly(3), daily(90)], filestorePlan, retention)).toEqual([
      'the backup plan of the filestore: rule frequent keeps recovery points 3 days, 7 required',
    ]);
    expect(planProblems([hourly(7, 'cron(0 */2 * * ? *)'), daily(90)], filestorePlan, retention)).toEqual([
      'the backup plan of the filestore has no rule that runs at least every 60 minutes: its RPO cannot be met',
    ]);
    expect(planProblems([daily(90)], filestorePlan, retention)).toEqual([
      'the backup plan of the filestore has no rule that runs at least every 60 minutes: its RPO cannot be met',
    ]);
  });

  test.each([
    ['cron(0 * * * ? *)', 60],
    ['cron(15 */2 * * ? *)', 120],
    ['cron(0 0/6 * * ? *)', 360],
    ['cron(0 0,12 * * ? *)', 720],
    ['cron(*/30 * * * ? *)', 30],
    ['cron(0 4 * * ? *)', 1440],
    ['cron(0 5 ? * SUN *)', 1440],
    ['rate(1 hour)', 60],
    ['rate(90 minutes)', 90],
    ['every hour', null],
    [undefined, null],
  ])('%s runs every %s minutes', (expression, minutes) => {
    expect(scheduleIntervalMinutes(expression)).toBe(minutes);
  });
});

describe('restore jobs and restored file systems', () => {
  const job = (over: Record<string, unknown> = {}) => ({
    RestoreJobId: 'r-1',
    Status: 'COMPLETED',
    CreationDate: '2026-11-23T05:00:00Z',
    CompletionDate: '2026-11-23T05:20:00Z',
    RecoveryPointCreationDate: '2026-11-23T04:00:00Z',
    ...over,
  });

  test("a completed job gives the times to judge against; a continuous point's is the restore's start", () => {
    expect(readRestoreJob(job(), 'filestore')).toEqual({
      kind: 'restored',
      jobId: 'r-1',
      times: {
        recoveryPointCreatedAt: new Date('2026-11-23T04:00:00Z'),
        restoreStartedAt: new Date('2026-11-23T05:00:00Z'),
        restoreCompletedAt: new Date('2026-11-23T05:20:00Z'),
      },
    });
    const continuous = readRestoreJob(
      job({ RecoveryPointArn: 'arn:aws:backup:eu-west-1:1:recovery-point:continuous:db' }),
      'database',
    );
    expect(continuous.kind === 'restored' && continuous.times.recoveryPointCreatedAt).toEqual(
      new Date('2026-11-23T05:00:00Z'),
    );
  });

  test('a job that did not complete is not reported; one without its times is, FAILED', () => {
    expect(readRestoreJob(job({ Status: 'ABORTED', StatusMessage: 'stopped' }), 'filestore')).toEqual({
      kind: 'ended',
      result: expect.objectContaining({
        resourceId: 'filestore',
        status: 'FAILED',
        report: false,
        message: 'restore job r-1 ended ABORTED: stopped',
      }),
    });
    expect(readRestoreJob(job({ CompletionDate: undefined }), 'filestore')).toEqual({
      kind: 'ended',
      result: expect.objectContaining({ report: true, message: 'restore job r-1 lacks its times' }),
    });
  });

  test("a restored file system's id comes only from an EFS file-system ARN", () => {
    expect(fileSystemIdOf('arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-0abc123')).toBe(
      'fs-0abc123',
    );
    expect(fileSystemIdOf('arn:aws:rds:eu-west-1:123456789012:db:fs-0abc123')).toBeNull();
    expect(fileSystemIdOf('arn:aws:elasticfilesystem:eu-west-1:1:access-point/fsap-0abc')).toBeNull();
    expect(fileSystemIdOf(undefined)).toBeNull();
  });

  test("Odoo's directory is looked for in AWS Backup's recovery directories first, newest first, then at the root", () => {
    expect(
      dataDirCandidates([
        'aws-backup-restore_2026-11-15T05-10-00-000Z',
        'lost+found',
        'aws-backup-restore_2026-11-22T05-10-00-000Z',
      ]),
    ).toEqual([
      'aws-backup-restore_2026-11-22T05-10-00-000Z/odoo',
      'aws-backup-restore_2026-11-15T05-10-00-000Z/odoo',
      'odoo',
    ]);
    expect(dataDirCandidates([])).toEqual(['odoo']);
  });

  test.each([
    ['{"database":"odoo","writtenAt":"2026-01-05T09:00:00Z"}', { database: 'odoo' }],
    ['{"database":"odoo"', { problem: 'is not JSON' }],
    ['[]', { problem: 'names no database' }],
    ['null', { problem: 'is not a JSON object' }],
    ['{"database":"","writtenAt":"2026-01-05T09:00:00Z"}', { problem: 'names no database' }],
    ['{"database":"odoo","writtenAt":"yesterday"}', { problem: 'has no readable writtenAt' }],
  ])('the marker %s', (text, expected) => {
    expect(parseMarker(text)).toMatchObject(expected);
  });
});
