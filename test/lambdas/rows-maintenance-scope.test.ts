import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StateStore } from '../../lambdas/aws/state-store';
import {
  BACKUP_RESOURCE_MAINTENANCE,
  MAINTENANCE_DEPENDENCIES,
  dependencyProblems,
  dependentsOf,
  heldBy,
  maintenanceDependencies,
} from '../../lib/config/maintenance-scope';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sim/aws/local-dynamodb';

/** One maintenance model: a window on a dependency holds its dependents (issue 19). */

const NOW = new Date('2026-11-23T10:00:00.000Z');
let db: LocalDynamoDB;

beforeAll(async () => {
  db = await startLocalDynamoDB();
});
afterAll(async () => {
  await db.stop();
});

function window(component: string, id: string, reason = `${component} work`) {
  return {
    id,
    component,
    start: '2026-11-23T09:00:00.000Z',
    end: '2026-11-23T12:00:00.000Z',
    reason,
    createdBy: 'alice',
  };
}

/** A bare `{ send }` client, as the workflow harnesses pass (the SDK paginators refuse it), counting queries. */
function counting(doc: DynamoDBDocumentClient) {
  const queries: Array<Record<string, unknown>> = [];
  const send = async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    if (command.constructor.name === 'QueryCommand') queries.push(command.input);
    return doc.send(command as never);
  };
  return { client: { send } as unknown as DynamoDBDocumentClient, queries };
}

describe('the dependency graph (lib/config/maintenance-scope.ts)', () => {
  test('who holds whom: postgresql holds odoo and n8n, platform everything, odoo nothing else', () => {
    expect(heldBy('odoo')).toEqual(['odoo', 'postgresql', 'platform']);
    expect(heldBy('n8n')).toEqual(['n8n', 'postgresql', 'platform']);
    expect(heldBy('flux-gpu')).toEqual(['flux-gpu', 'platform']);
    expect(dependentsOf('postgresql')).toEqual(['odoo', 'n8n']);
    expect(dependentsOf('odoo')).toEqual([]);
    expect(new Set(dependentsOf('platform'))).toEqual(
      new Set(Object.keys(MAINTENANCE_DEPENDENCIES).filter((c) => c !== 'platform')),
    );
  });

  test('a bad graph fails naming the component: unknown names, a missing component, a cycle', () => {
    const good = { ...MAINTENANCE_DEPENDENCIES } as Record<string, readonly string[]>;
    expect(dependencyProblems(good)).toEqual([]);
    expect(dependencyProblems({ ...good, odoo: ['postgres'] })).toEqual([
      'odoo: depends on unknown component postgres',
    ]);
    expect(dependencyProblems({ ...good, redis: [] })).toEqual([
      expect.stringMatching(/^redis: unknown component/),
    ]);
    const { n8n: _n8n, ...withoutN8n } = good;
    expect(dependencyProblems(withoutN8n)).toEqual(['n8n: missing (list [] if it depends on nothing)']);
    expect(() => maintenanceDependencies({ ...good, platform: ['odoo'] })).toThrow(
      /maintenance dependencies: platform: dependency cycle platform -> odoo -> postgresql -> platform/,
    );
    expect(dependencyProblems({ ...good, backup: ['backup'] })).toEqual([
      'backup: dependency cycle backup -> backup',
    ]);
  });
});

describe('StateStore.activeMaintenance (dynalite)', () => {
  test('a postgresql window holds odoo and n8n, named as the postgresql window; an odoo window holds n8n not', async () => {
    const table = await db.freshTable();
    const store = new StateStore(db.doc, table.table);
    await store.putMaintenance(window('postgresql', 'pg', 'engine upgrade 16.4 -> 16.6'));
    await store.putMaintenance(window('odoo', 'od'));
    expect((await store.activeMaintenance('odoo', NOW)).map((w) => [w.component, w.id])).toEqual([
      ['odoo', 'od'],
      ['postgresql', 'pg'],
    ]);
    expect(await store.activeMaintenance('n8n', NOW)).toEqual([
      expect.objectContaining({ component: 'postgresql', reason: 'engine upgrade 16.4 -> 16.6' }),
    ]);
    expect(await store.activeMaintenance('flux-gpu', NOW)).toEqual([]);
    expect(await store.activeMaintenance('platform', NOW)).toEqual([]);
  });

  test('a platform window holds every component; outside its hours, none', async () => {
    const table = await db.freshTable();
    const store = new StateStore(db.doc, table.table);
    await store.putMaintenance(window('platform', 'vpc'));
    for (const c of Object.keys(MAINTENANCE_DEPENDENCIES))
      expect((await store.activeMaintenance(c, NOW)).map((w) => w.component)).toEqual(['platform']);
    expect(await store.activeMaintenance('odoo', new Date('2026-11-23T12:00:01Z'))).toEqual([]);
    expect(await store.activeMaintenance('odoo', new Date('2026-11-23T08:59:59Z'))).toEqual([]);
  });

  test("a backup resource's re-run: held by a window on any of its components or their dependencies, not by a dependent's", async () => {
    const table = await db.freshTable();
    const store = new StateStore(db.doc, table.table);
    await store.putMaintenance(window('odoo', 'od'));
    await store.putMaintenance(window('postgresql', 'pg'));
    const components = async (resource: keyof typeof BACKUP_RESOURCE_MAINTENANCE) =>
      (await store.activeMaintenance(BACKUP_RESOURCE_MAINTENANCE[resource], NOW)).map((w) => w.component);
    expect(await components('database')).toEqual(['postgresql']);
    expect(await components('filestore')).toEqual([]);
    await store.putMaintenance(window('platform', 'vpc'));
    expect(await components('database')).toEqual(['postgresql', 'platform']);
    expect(await components('images')).toEqual(['platform']);
  });

  test('more than one page of windows (over 1 MB) is read to its end, through a bare { send } client', async () => {
    const table = await db.freshTable();
    const { client, queries } = counting(db.doc);
    const store = new StateStore(client, table.table);
    // Five windows of ~300 KB each: a query answers at most 1 MB, so at least two pages.
    const long = 'x'.repeat(300_000);
    for (let i = 0; i < 5; i++) await store.putMaintenance(window('postgresql', `w${i}`, `${i} ${long}`));
    queries.length = 0;
    const found = await store.activeMaintenance('n8n', NOW);
    expect(found.map((w) => w.id).sort()).toEqual(['w0', 'w1', 'w2', 'w3', 'w4']);
    const pgQueries = queries.filter(
      (q) => (q.ExpressionAttributeValues as Record<string, string>)[':pk'] === 'MAINTENANCE#postgresql',
    );
    expect(pgQueries.length).toBeGreaterThan(1);
    expect(pgQueries[1]?.ExclusiveStartKey).toBeDefined();
  });
});
