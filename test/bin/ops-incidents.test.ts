import { openIncidents } from '../../bin/ops/incidents';
import { StateStore } from '../../lambdas/aws/state-store';
import type { Incident } from '../../lambdas/core/escalation/types';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sim/aws/local-dynamodb';
import { seedIncident } from '../support/incidents';

const NOW = new Date('2026-11-23T10:00:00Z');
let db: LocalDynamoDB;
let store: StateStore;

beforeEach(async () => {
  db = await startLocalDynamoDB();
  store = new StateStore(db.doc, db.table);
});
afterEach(async () => {
  await db.stop();
});

function incident(
  id: string,
  severity: string,
  openedAt: string,
  status: Incident['status'] = 'open',
): Incident {
  return {
    id,
    alertName: `Alert_${id}`,
    component: 'odoo',
    subject: `subject-${id}`,
    severity,
    correlationGroup: `group-${id}`,
    acknowledgementRequiresComment: severity === 'Critical',
    status,
    openedAt,
    lastSignalAt: openedAt,
    count: 1,
    members: [`Alert_${id}`],
    pages: [],
  };
}

describe('ops incidents', () => {
  test('lists every unresolved incident, most severe first, oldest first within a severity', async () => {
    await seedIncident(store, incident('medium', 'Medium', '2026-11-23T08:00:00Z'), NOW);
    await seedIncident(store, incident('critical-new', 'Critical', '2026-11-23T09:30:00Z'), NOW);
    await seedIncident(store, incident('critical-old', 'Critical', '2026-11-23T09:00:00Z'), NOW);
    await seedIncident(store, incident('stall', 'Critical', '2026-11-23T09:45:00Z', 'remediating'), NOW);
    await seedIncident(store, incident('high', 'High', '2026-11-23T07:00:00Z'), NOW);
    await store.acknowledge('high', 'arn:aws:iam::1:user/alice', 'looking', NOW);
    await seedIncident(store, incident('done', 'Critical', '2026-11-23T06:00:00Z'), NOW);
    await store.resolve('done', NOW);

    const listed = await openIncidents(db.doc, db.table);
    expect(listed.map((i) => [i.id, i.status])).toEqual([
      ['critical-old', 'open'],
      ['critical-new', 'open'],
      ['stall', 'remediating'],
      ['high', 'acknowledged'],
      ['medium', 'open'],
    ]);
    expect(listed[3]).toMatchObject({
      alert: 'Alert_high',
      acknowledgedBy: 'arn:aws:iam::1:user/alice',
      pagedLevels: 0,
    });
  });

  test('nothing open: an empty list', async () => {
    expect(await openIncidents(db.doc, db.table)).toEqual([]);
  });
});
