import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ScaleHarness } from './scale-harness';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sim/aws/local-dynamodb';

/** Five seconds after midnight UTC, when Odoo's off-peak window (00:00-06:00 UTC) has opened. */
const NIGHT = '2026-11-24T00:00:05.000Z';
const MORNING = new Date('2026-11-24T06:00:05.000Z');
const flat = (value: number, minutes: number): number[] => Array.from({ length: minutes }, () => value);
const START = { component: 'odoo', scheduled: 'off-peak-start' };
const END = { component: 'odoo', scheduled: 'off-peak-end' };

let db: LocalDynamoDB;
beforeEach(async () => {
  db = await startLocalDynamoDB();
});
afterEach(async () => {
  await db.stop();
});

/** A harness whose Odoo runs `count` tasks, quiet or not, at 00:00:05 UTC. */
function night(count: number, cpu: number[], envName: 'prod' | 'staging' = 'prod'): ScaleHarness {
  const h = new ScaleHarness(db, NIGHT, envName);
  h.services.odoo = { desired: count, running: count, bootChecks: 0, booting: 0 };
  h.metrics = { cpu };
  return h;
}
const ledger = (h: ScaleHarness) => h.deps.ledger.entries('odoo', new Date('2026-11-23T00:00:00Z'));

describe('the off-peak schedule, through the real scale-decision workflow', () => {
  test('prod: the window start lowers Odoo from 5 to 2 in one step, and the ledger says why', async () => {
    // 5 tasks at 10 % for the whole scale-in window: 0.5 tasks of load.
    const h = night(5, flat(10, 10));
    const run = await h.run(START);
    expect(run.error).toBeUndefined();
    expect(run.endState).toBe('Scaled');
    expect(h.updates()).toEqual([2]);
    expect(h.services.odoo?.desired).toBe(2);
    const [entry] = await ledger(h);
    expect(entry).toMatchObject({
      trigger: 'schedule off-peak-start',
      outcome: 'succeeded',
      decision: { action: 'scale', from: 5, to: 2, rule: 'off-peak-start', guardrails: [] },
      inputs: {
        fleet: { desired: 5, running: 5, pending: 0 },
        metrics: { 'cpu-utilization': [...Array(20).fill(null), ...flat(10, 10)] },
        maintenance: false,
        aggressiveness: 'moderate',
        costPriority: 'balanced',
      },
    });
    expect(h.emitted.total('decisions', { component: 'odoo', decision: 'scale-in' })).toBe(1);
    expect(h.escalations).toEqual([]);
  });

  test('a start while the load is high does not cut below what it needs: 5 at 50 % go to 4', async () => {
    // 2.5 tasks of load need 4 at the 70 % target.
    const h = night(5, flat(50, 10));
    await h.run(START);
    expect(h.updates()).toEqual([4]);
    expect((await ledger(h))[0]?.decision.reason).toContain('the peak of the last 10 minutes needs 4');
  });

  test('a start while the load needs every task changes nothing', async () => {
    const h = night(5, flat(60, 10));
    const run = await h.run(START);
    expect(run.endState).toBe('Held');
    expect(h.updates()).toEqual([]);
    expect((await ledger(h))[0]).toMatchObject({ outcome: 'hold', decision: { action: 'hold', to: 5 } });
  });

  test('a schedule under maintenance is held and leaves the service untouched', async () => {
    const h = night(5, flat(10, 10));
    await db.doc.send(
      new PutCommand({
        TableName: db.table,
        Item: {
          pk: 'MAINTENANCE#odoo',
          sk: '2026-11-24T02:00:00.000Z#m1',
          component: 'odoo',
          start: '2026-11-23T23:30:00.000Z',
          end: '2026-11-24T02:00:00.000Z',
          reason: 'PostgreSQL minor upgrade',
        },
      }),
    );
    const run = await h.run(START);
    expect(run.endState).toBe('Held');
    expect(h.updates()).toEqual([]);
    expect(h.services.odoo?.desired).toBe(5);
    expect((await ledger(h))[0]).toMatchObject({
      outcome: 'hold',
      decision: {
        action: 'hold',
        guardrails: ['maintenance'],
        reason: 'odoo is held by the odoo window until 2026-11-24T02:00:00.000Z (PostgreSQL minor upgrade)',
      },
      inputs: { maintenance: true },
    });
    expect(h.emitted.total('holds', { component: 'odoo', reason: 'maintenance' })).toBe(1);
  });

  test('staging (conservative): one task per decision, the periodic evaluations finish the job', async () => {
    const h = night(4, flat(10, 10), 'staging');
    await h.run(START);
    expect(h.updates()).toEqual([3]);
    expect((await ledger(h))[0]?.decision).toMatchObject({ to: 3, guardrails: ['conservative'] });
    // Within the scale-in cooldown the next evaluation holds; after it, it takes the next step.
    h.advance(5);
    await h.run({ component: 'odoo' });
    expect(h.updates()).toEqual([3]);
    h.advance(6);
    await h.run({ component: 'odoo' });
    expect(h.updates()).toEqual([3, 2]);
  });

  test('the schedule delivered twice (Scheduler is at-least-once) scales once', async () => {
    const h = night(5, flat(10, 10));
    await h.run(START);
    h.metrics = { cpu: flat(25, 10) };
    const again = await h.run(START);
    expect(again.endState).toBe('Held');
    expect(h.updates()).toEqual([2]);
  });

  test('the morning restores the daytime minimum, and what the load needs above it', async () => {
    // A country whose daytime minimum (4) is above the off-peak count (2).
    const h = night(6, flat(10, 10));
    h.deps.scaling.capacity.odoo = { min: 4, max: 10 };
    await h.run(START);
    expect(h.updates()).toEqual([2]);
    h.clock = MORNING;
    h.metrics = { cpu: flat(20, 10) };
    const run = await h.run(END);
    expect(run.endState).toBe('Scaled');
    expect(h.updates()).toEqual([2, 4]);
    const entries = await ledger(h);
    expect(entries.find((e) => e.trigger === 'schedule off-peak-end')).toMatchObject({
      outcome: 'succeeded',
      decision: { action: 'scale', from: 2, to: 4, rule: 'off-peak-end' },
    });
  });

  test('with the seed figures (min 2 = off-peak 2) a rising morning gets the load, not yesterday evening', async () => {
    const h = night(5, flat(10, 10));
    await h.run(START);
    h.clock = MORNING;
    // 2 tasks from 50 % to 100 %: right-sizing asks for 6.
    h.metrics = { cpu: [50, 100] };
    await h.run(END);
    expect(h.updates()).toEqual([2, 6]);
  });
});
