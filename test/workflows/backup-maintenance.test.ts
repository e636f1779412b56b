import { declareMaintenance, maintenanceWindow } from '../../bin/ops/maintenance';
import type { AlertComponent } from '../../lib/config/constants';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sim/aws/local-dynamodb';
import { BackupHarness } from './backup-harness';

/**
 * One maintenance model (issue 19): a window on the database, or on anything it runs on, holds the
 * backup-verification workflow's automatic re-run of the database until the window ends; the
 * backup ALERT is not held (seed 004: never suppressed by maintenance).
 */

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

/** Everything backed up, but the database's last backup job FAILED 30 minutes ago. */
function databaseJobFailed() {
  h.account.addRecoveryPoint('database', 60 * 20);
  h.account.addJob('database', 'FAILED', 30, 'DB instance is not in available state (modifying)');
  h.account.addContinuousPoint('images');
  h.account.addRecoveryPoint('images', 60 * 20);
  h.account.addJob('images', 'COMPLETED', 60 * 20);
  h.account.addRecoveryPoint('filestore', 10);
  h.account.addJob('filestore', 'COMPLETED', 15);
  h.account.rerunScripts = [{ runningPolls: 1, end: 'COMPLETED' }];
}

async function declare(component: AlertComponent, to = '+2h') {
  return declareMaintenance(h.store, {
    ...maintenanceWindow({ component, to, reason: `${component} engine upgrade` }, h.clock),
    by: 'alice',
  });
}

/** Waits take no time locally: the clock jumps past the window's end before the re-check. */
function windowEndsDuringTheWait(minutes = 121) {
  const assessedAt: Array<[string, string]> = [];
  h.beforeAssess = (event) => {
    if (event.phase === 'after-hold') h.clock = new Date(Date.parse(START) + minutes * 60_000);
    if (event.phase !== 'plan') assessedAt.push([event.phase, h.clock.toISOString()]);
  };
  return assessedAt;
}

describe('maintenance holds the automatic backup re-run (state-machines/backup-verification.asl.json)', () => {
  test.each(['postgresql', 'platform', 'backup'] as const)(
    'a %s window: no re-run during it; the check records the hold; the re-run starts after the window ends; nobody paged',
    async (component) => {
      databaseJobFailed();
      await declare(component);
      const assessed = windowEndsDuringTheWait();
      const run = await h.run(HOURLY);
      expect(run.error).toBeUndefined();
      expect(run.visited).toContain('WaitForWindow');
      expect(run.endState).toBe('Healthy');
      // The one re-run, started only by the assessment after the window (12:01), not at 10:00.
      expect(h.account.started).toHaveLength(1);
      expect(assessed).toEqual([
        ['assess', START],
        ['after-hold', '2026-11-23T12:01:00.000Z'],
        ['after-rerun', '2026-11-23T12:01:00.000Z'],
      ]);
      const checks = await h.backups.checksSince(new Date(0));
      const first = checks.find((c) => c.phase === 'assess');
      expect(first).toMatchObject({ outcome: 'held', resources: { database: 'failed' } });
      expect(first?.summary).toContain(
        `database re-run held by the ${component} window until 2026-11-23T12:00:00.000Z (${component} engine upgrade)`,
      );
      expect(checks.find((c) => c.phase === 'after-rerun')).toMatchObject({
        outcome: 'healthy',
        resources: { database: 'healthy' },
      });
      expect(h.pages()).toEqual([]);
    },
  );

  test('an odoo or n8n window does not hold the database re-run: it runs at once, no wait', async () => {
    databaseJobFailed();
    await declare('odoo');
    await declare('n8n');
    const run = await h.run(HOURLY);
    expect(run.endState).toBe('Healthy');
    expect(run.visited).not.toContain('WaitForWindow');
    expect(h.account.started).toHaveLength(1);
    expect((await h.backups.checksSince(new Date(0))).map((c) => c.outcome)).toEqual(['healthy', 'rerun']);
  });

  test('a window that ended, or one still to come, holds nothing', async () => {
    databaseJobFailed();
    // Ended at 09:59 (ops maintenance end), and one from 11:00: neither covers 10:00.
    await h.store.putMaintenance({
      id: 'ended',
      component: 'postgresql',
      start: '2026-11-23T08:00:00.000Z',
      end: '2026-11-23T09:59:00.000Z',
      reason: 'earlier',
      createdBy: 'alice',
    });
    await declareMaintenance(h.store, {
      ...maintenanceWindow({ component: 'postgresql', from: '+1h', to: '+1h', reason: 'later' }, h.clock),
      by: 'bob',
    });
    const run = await h.run(HOURLY);
    expect(run.visited).not.toContain('WaitForWindow');
    expect(h.account.started).toHaveLength(1);
  });

  test('a backup already past its alert threshold pages at once (never suppressed); only the re-run waits for the window', async () => {
    databaseJobFailed();
    h.account.latestRestorableTime = new Date(Date.parse(START) - 90 * 60_000);
    await declare('postgresql');
    windowEndsDuringTheWait();
    const run = await h.run(HOURLY);
    expect(run.visited).toContain('WaitForWindow');
    const pages = h.pages();
    expect(pages).toHaveLength(1);
    expect(pages[0]?.input.signal.detail).toContain(
      'the automatic re-run is held by the postgresql window until 2026-11-23T12:00:00.000Z (postgresql engine upgrade); it runs when the window ends',
    );
    // The page went out before the wait; the re-run after it.
    expect(run.visited.indexOf('Escalate')).toBeLessThan(run.visited.indexOf('WaitForWindow'));
    expect(h.account.started).toHaveLength(1);
    expect(run.visited.lastIndexOf('StartBackupJob')).toBeGreaterThan(run.visited.indexOf('WaitForWindow'));
  });

  test('a window declared during the wait: one wait per execution, then escalated, never a hold loop', async () => {
    databaseJobFailed();
    await declare('postgresql');
    h.beforeAssess = async (event) => {
      if (event.phase !== 'after-hold') return;
      h.clock = new Date(Date.parse(START) + 121 * 60_000);
      await declare('platform', '+1h');
    };
    const run = await h.run(HOURLY);
    expect(run.visited.filter((s) => s === 'WaitForWindow')).toHaveLength(1);
    expect(run.endState).toBe('Escalated');
    expect(h.account.started).toEqual([]);
    expect(h.pages()).toHaveLength(1);
    expect(h.pages()[0]?.input.signal.detail).toMatch(
      /still held by the platform window until 2026-11-23T13:01:00.000Z \(platform engine upgrade\): start it by hand/,
    );
  });

  test('runs during the window (the hourly check, a job-failure event): one waits and re-runs once, the others record the hold and end; nobody paged', async () => {
    databaseJobFailed();
    await declare('postgresql');
    // The second run comes an hour into the window, while the first waits (waits take no time
    // here: it runs when the first's wait ends, before its re-check, with the clock at 11:00).
    let second: Awaited<ReturnType<BackupHarness['run']>> | undefined;
    h.beforeAssess = async (event) => {
      if (event.phase !== 'after-hold' || second) return;
      h.beforeAssess = undefined;
      h.clock = new Date(Date.parse(START) + 60 * 60_000);
      h.account.latestRestorableTime = new Date(h.clock.getTime() - 3 * 60_000);
      // The filestore's hourly backup went on meanwhile.
      h.account.addRecoveryPoint('filestore', 10);
      h.account.addJob('filestore', 'COMPLETED', 15);
      second = await h.run(HOURLY, 'hourly-11');
      // ... and at 11:50, before the first run's re-check at 12:01.
      h.account.addRecoveryPoint('filestore', -50);
      h.account.addJob('filestore', 'COMPLETED', -45);
      h.clock = new Date(Date.parse(START) + 121 * 60_000);
    };
    const first = await h.run(HOURLY, 'hourly-10');
    expect(first.visited).toContain('WaitForWindow');
    expect(first.endState).toBe('Healthy');
    expect(second?.visited).not.toContain('WaitForWindow');
    expect(second?.visited).not.toContain('StartBackupJob');
    const checks = await h.backups.checksSince(new Date(0));
    expect(checks.find((c) => c.executionId.endsWith(':hourly-11'))).toMatchObject({ outcome: 'held' });
    expect(checks.find((c) => c.executionId.endsWith(':hourly-11'))?.summary).toContain(
      'execution arn:aws:states:eu-west-1:123456789012:execution:influencegen-prod-backup-verification:hourly-10 waits to re-run it',
    );
    expect(h.account.started).toHaveLength(1);
    expect(h.pages()).toEqual([]);
    expect(h.metrics.total('remediations', { action: 'backup-rerun' })).toBe(1);
  });
});
