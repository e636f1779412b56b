import { routedAlarmInput } from '../support/alarm-signals';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sim/aws/local-dynamodb';
import type { StateStore } from '../../lambdas/aws/state-store';
import { EscalationHarness } from './escalation-harness';
import { ScaleHarness } from './scale-harness';
import { StallHarness } from './stall-harness';

/**
 * One maintenance model across paging and scaling (issue 19): a window on a dependency holds its
 * dependents, in the real workflows (state-machines/*.asl.json run locally, dynalite).
 */

const MONDAY_MORNING = '2026-11-23T10:00:00.000Z';
let db: LocalDynamoDB;

beforeEach(async () => {
  db = await startLocalDynamoDB();
});
afterEach(async () => {
  await db.stop();
});

async function declare(store: StateStore, component: string, reason: string) {
  await store.putMaintenance({
    id: `mw-${component}`,
    component,
    start: '2026-11-23T09:00:00.000Z',
    end: '2026-11-23T12:00:00.000Z',
    reason,
    createdBy: 'alice',
  });
}

type Registered = { register: { result: { action: string; reason: string } } };

describe('paging (escalation workflow)', () => {
  let h: EscalationHarness;
  beforeEach(() => {
    h = new EscalationHarness(db, MONDAY_MORNING);
  });
  afterEach(() => {
    h.snsMock.reset();
    h.sfnMock.reset();
  });

  test('a postgresql window holds an n8n page and says it was the postgresql window', async () => {
    await declare(h.deps.store, 'postgresql', 'engine upgrade');
    const run = await h.run(routedAlarmInput('N8N_Server_CPU_Utilization', 'ALARM', h.clock));
    expect(run.endState).toBe('Recorded');
    expect((run.result as Registered).register.result).toEqual({
      action: 'suppressed',
      reason: 'maintenance window on postgresql until 2026-11-23T12:00:00.000Z (engine upgrade)',
    });
    expect(h.pages()).toEqual([]);
  });

  test('an odoo window does not hold an n8n page: n8n is paged', async () => {
    await declare(h.deps.store, 'odoo', 'Odoo upgrade');
    const run = await h.run(routedAlarmInput('N8N_Server_CPU_Utilization', 'ALARM', h.clock), {
      onAwait: async ({ incidentId, harness }) => {
        await harness.ack(incidentId, 'on it');
        return 'keep-waiting' as const;
      },
    });
    expect((run.result as Registered).register.result.action).toBe('page');
    expect(h.pages().length).toBeGreaterThan(0);
  });

  test('a postgresql window still pages a backup alert (seed 004: never suppressed)', async () => {
    await declare(h.deps.store, 'postgresql', 'engine upgrade');
    await declare(h.deps.store, 'platform', 'VPC change');
    await h.run(routedAlarmInput('Odoo_Backup_Failure', 'ALARM', h.clock), {
      onAwait: async ({ incidentId, harness }) => {
        await harness.ack(incidentId, 'looking');
        return 'keep-waiting' as const;
      },
    });
    expect(h.pages().length).toBeGreaterThan(0);
  });
});

describe('scaling (scale-decision workflow)', () => {
  test('a postgresql window holds an Odoo scale-out: nothing changed, the hold recorded', async () => {
    const h = new ScaleHarness(db, MONDAY_MORNING);
    await declare(h.deps.store, 'postgresql', 'engine upgrade');
    h.metrics = { cpu: [90, 90, 90] };
    const run = await h.run({ component: 'odoo' });
    expect(run.endState).toBe('Held');
    expect(h.updates()).toEqual([]);
    expect(h.services.odoo?.desired).toBe(2);
    const [entry] = await h.deps.ledger.entries('odoo', new Date('2026-11-23T00:00:00Z'));
    expect(entry?.decision).toMatchObject({ action: 'hold', guardrails: ['maintenance'] });
    h.cwMock.reset();
    h.ecsMock.reset();
  });

  test('an n8n window does not hold an Odoo scale-out: Odoo scales 2 -> 3', async () => {
    const h = new ScaleHarness(db, MONDAY_MORNING);
    await declare(h.deps.store, 'n8n', 'n8n upgrade');
    h.metrics = { cpu: [72, 75, 78] };
    const run = await h.run({ component: 'odoo' });
    expect(run.endState).toBe('Scaled');
    expect(h.updates()).toEqual([3]);
    h.cwMock.reset();
    h.ecsMock.reset();
  });
});

describe('remediation (stalled-gpu workflow)', () => {
  const STALL_ALARM = routedAlarmInput('AI_Service_Stalled', 'ALARM', MONDAY_MORNING);
  function stalledFleet(h: StallHarness) {
    for (const id of ['i-a', 'i-b', 'i-c', 'i-d']) h.hosts.add(id);
    h.hosts.stall('i-c', 'task', new Date(Date.parse(MONDAY_MORNING) - 10 * 60_000));
  }

  test('a platform window holds the stalled-GPU remediation: nothing touched, no incident', async () => {
    const h = new StallHarness(db, MONDAY_MORNING);
    stalledFleet(h);
    await declare(h.store, 'platform', 'VPC change');
    const run = await h.run(STALL_ALARM);
    expect(run.endState).toBe('Recorded');
    expect(run.visited).toContain('Held');
    expect(h.hosts.actions).toEqual([]);
    expect(await h.incident()).toBeUndefined();
  });

  test('a postgresql window does not hold it (the GPU hosts keep no data in PostgreSQL): the task is restarted', async () => {
    const h = new StallHarness(db, MONDAY_MORNING);
    stalledFleet(h);
    await declare(h.store, 'postgresql', 'engine upgrade');
    const run = await h.run({ requestedBy: 'schedule' });
    expect(run.endState).toBe('Repaired');
    expect(h.hosts.actions.map((a) => [a.action, a.instanceId])).toEqual([['stop-task', 'i-c']]);
  });
});
