import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { StateStore } from '../../lambdas/aws/state-store';
import { controlPlaneNames } from '../../lib/config/naming';
import {
  declareMaintenance,
  endMaintenance,
  listMaintenance,
  maintenanceWindow,
} from '../../bin/ops/maintenance';
import { createStateTable, startLocalDynamoDB, type LocalDynamoDB } from '../../sim/aws/local-dynamodb';
import { CALLER_ARN, startFakeAws, type FakeAws } from './fake-aws';
import { EMPTY_HOME, opsAsync } from './run-ops';

const NOW = new Date('2026-11-23T10:00:00Z');

describe('maintenance windows: the checks before anything is stored', () => {
  test('refuses a bad window naming the argument', () => {
    const window = (args: Record<string, string | undefined>) => () =>
      maintenanceWindow({ component: 'odoo', reason: 'Odoo upgrade', ...args }, NOW);
    expect(window({ to: '2026-11-23T09:00:00Z' })).toThrow('--to: 2026-11-23T09:00:00Z is in the past');
    expect(window({ from: '2026-11-23T12:00:00Z', to: '2026-11-23T11:00:00Z' })).toThrow(
      '--to: must be after --from',
    );
    expect(window({ component: 'kafka', to: '+1h' })).toThrow(/^COMPONENT: kafka is not one of odoo, n8n/);
    expect(window({ to: 'tomorrow' })).toThrow(/^--to: tomorrow is not a date and time/);
    expect(window({ to: '2026-11-23T12:00' })).toThrow('--to: 2026-11-23T12:00 has no time zone');
    expect(window({ to: '2026-11-24' })).toThrow(/^--to: 2026-11-24 is not a date and time/);
    // Strict, as the router reads alarm times: Date.parse would read 31 November as 1 December.
    expect(window({ to: '2026-11-31T12:00:00Z' })).toThrow(
      /^--to: 2026-11-31T12:00:00Z is not a date and time/,
    );
    expect(window({ to: '+25h' })).toThrow('--to: a maintenance window lasts at most 24 hours');
    expect(window({ to: undefined })).toThrow(/^--to: required/);
    expect(window({ to: '+1h', reason: ' ' })).toThrow(/^--reason: required/);
  });

  test('--to and --from: ISO 8601 with a zone, or relative (+90m, +2h after --from)', () => {
    expect(maintenanceWindow({ component: 'odoo', to: '+90m', reason: 'upgrade' }, NOW)).toEqual({
      component: 'odoo',
      start: NOW,
      end: new Date('2026-11-23T11:30:00Z'),
      reason: 'upgrade',
    });
    expect(
      maintenanceWindow(
        { component: 'n8n', from: '2026-11-23T12:00:00+01:00', to: '+2h', reason: 'upgrade' },
        NOW,
      ),
    ).toMatchObject({ start: new Date('2026-11-23T11:00:00Z'), end: new Date('2026-11-23T13:00:00Z') });
  });
});

describe('maintenance declare, list and end (DynamoDB)', () => {
  let db: LocalDynamoDB;
  beforeAll(async () => {
    db = await startLocalDynamoDB();
  });
  afterAll(async () => {
    await db.stop();
  });

  test('a window declared is active; ended, it is no longer, its record kept with the planned end', async () => {
    const table = await db.freshTable();
    const store = new StateStore(db.doc, table.table);
    const declared = await declareMaintenance(store, {
      ...maintenanceWindow({ component: 'odoo', to: '+2h', reason: 'Odoo 18.0.3 upgrade' }, NOW),
      by: 'alice',
    });
    const upcoming = await declareMaintenance(store, {
      ...maintenanceWindow({ component: 'n8n', from: '+3h', to: '+1h', reason: 'n8n upgrade' }, NOW),
      by: 'bob',
    });
    expect(await store.activeMaintenance('odoo', new Date('2026-11-23T11:00:00Z'))).toEqual([
      expect.objectContaining({
        component: 'odoo',
        reason: 'Odoo 18.0.3 upgrade',
        end: '2026-11-23T12:00:00.000Z',
      }),
    ]);
    expect((await listMaintenance(db.doc, table.table, NOW)).map((w) => [w.id, w.state])).toEqual([
      [declared.id, 'active'],
      [upcoming.id, 'upcoming'],
    ]);

    const at = new Date('2026-11-23T11:00:00Z');
    const ended = await endMaintenance({ db: db.doc, store, table: table.table }, declared.id, 'carol', at);
    expect(ended).toMatchObject({
      end: at.toISOString(),
      plannedEnd: '2026-11-23T12:00:00.000Z',
      endedBy: 'carol',
      cancelled: false,
    });
    expect(await store.activeMaintenance('odoo', new Date('2026-11-23T11:00:01Z'))).toEqual([]);
    expect(
      await endMaintenance({ db: db.doc, store, table: table.table }, declared.id, 'carol', at),
    ).toBeUndefined();
    const cancelled = await endMaintenance(
      { db: db.doc, store, table: table.table },
      upcoming.id,
      'carol',
      at,
    );
    expect(cancelled).toMatchObject({ cancelled: true });
    expect(await store.activeMaintenance('n8n', new Date('2026-11-23T13:30:00Z'))).toEqual([]);
    expect(await listMaintenance(db.doc, table.table, at)).toEqual([]);
  });

  describe('through the ops process (DynamoDB local, STS fake)', () => {
    let fake: FakeAws;
    let env: Record<string, string>;
    const TABLE = controlPlaneNames('prod').table;
    beforeAll(async () => {
      fake = await startFakeAws();
      await createStateTable(db.client, TABLE);
      const endpoint = await db.client.config.endpoint?.();
      env = {
        ...fake.env(EMPTY_HOME),
        AWS_ENDPOINT_URL_DYNAMODB: `http://${endpoint?.hostname ?? '127.0.0.1'}:${endpoint?.port ?? ''}`,
      };
    });
    afterAll(async () => {
      await fake.close();
    });

    test('declare, list shows it, end closes it (activeMaintenance then empty)', async () => {
      const declare = await opsAsync(
        [
          'maintenance',
          'declare',
          'flux-gpu',
          '--to',
          '+2h',
          '--reason',
          'new Flux image',
          '--env',
          'prod',
          '--yes',
        ],
        { env },
      );
      expect(declare.stderr).toBe('');
      expect(declare.status).toBe(0);
      const window = JSON.parse(declare.stdout) as { id: string; end: string; createdBy: string };
      expect(window).toMatchObject({
        component: 'flux-gpu',
        reason: 'new Flux image',
        createdBy: CALLER_ARN,
      });
      const store = new StateStore(db.doc, TABLE);
      expect(await store.activeMaintenance('flux-gpu', new Date())).toEqual([
        expect.objectContaining({ id: window.id, reason: 'new Flux image' }),
      ]);

      const [json, table] = await Promise.all([
        opsAsync(['maintenance', 'list', '--env', 'prod'], { env }),
        opsAsync(['maintenance', 'list', '--env', 'prod', '--output', 'table'], { env }),
      ]);
      expect(json.status).toBe(0);
      expect(JSON.parse(json.stdout)).toEqual([
        expect.objectContaining({ id: window.id, component: 'flux-gpu', state: 'active', end: window.end }),
      ]);
      expect(table.stdout.split('\n')[0]).toMatch(/^id +component +state +start +end +reason +createdBy$/);
      expect(table.stdout.split('\n')[1]).toMatch(new RegExp(`^${window.id} +flux-gpu +active `));

      const end = await opsAsync(['maintenance', 'end', window.id, '--env', 'prod', '--yes'], { env });
      expect(end.stderr).toBe('');
      expect(end.status).toBe(0);
      expect(JSON.parse(end.stdout)).toMatchObject({
        id: window.id,
        plannedEnd: window.end,
        endedBy: CALLER_ARN,
      });
      expect(await store.activeMaintenance('flux-gpu', new Date())).toEqual([]);
      const kept = await db.doc.send(
        new QueryCommand({
          TableName: TABLE,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': 'MAINTENANCE#flux-gpu' },
        }),
      );
      expect(kept.Items).toEqual([expect.objectContaining({ id: window.id, plannedEnd: window.end })]);

      const again = await opsAsync(['maintenance', 'end', window.id, '--env', 'prod', '--yes'], { env });
      expect(again.status).toBe(1);
      expect(again.stderr).toBe(
        `ops: no active or upcoming maintenance window ${window.id} in prod (ops maintenance list)\n`,
      );
      const after = await opsAsync(['maintenance', 'list', '--env', 'prod'], { env });
      expect(JSON.parse(after.stdout)).toEqual([]);
    });

    test('declare --dry-run names the components a window on a dependency also holds; stores nothing', async () => {
      const args = ['--to', '+2h', '--reason', 'engine upgrade', '--env', 'prod', '--dry-run'];
      const [postgresql, odoo] = await Promise.all([
        opsAsync(['maintenance', 'declare', 'postgresql', ...args], { env }),
        opsAsync(['maintenance', 'declare', 'odoo', ...args], { env }),
      ]);
      expect(postgresql.status).toBe(0);
      expect(JSON.parse(postgresql.stdout)).toMatchObject({ dryRun: true, alsoHolds: 'odoo, n8n' });
      expect(JSON.parse(odoo.stdout)).toMatchObject({ dryRun: true, alsoHolds: 'nothing else' });
      const after = await opsAsync(['maintenance', 'list', '--env', 'prod'], { env });
      expect(JSON.parse(after.stdout)).toEqual([]);
    });
  });
});
