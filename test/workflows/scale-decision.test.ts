import { ALERT_CATALOGUE, INTERNAL_ALARM_CATALOGUE } from '../../lib/config/alerts';
import { catalogueAlert } from '../../lambdas/core/escalation/catalogue';
import { routeSignal, type WorkflowInput } from '../../lambdas/core/routing/route';
import type { AlarmSignal } from '../../lambdas/core/signals/types';
import { makeObserveHandler } from '../../lambdas/scale-observe';
import { makePlanHandler } from '../../lambdas/scale-plan';
import { makeRecordHandler } from '../../lambdas/scale-record';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ScaleHarness } from './scale-harness';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sim/aws/local-dynamodb';

const START = '2026-11-23T10:00:00.000Z';
let db: LocalDynamoDB;
let h: ScaleHarness;

beforeEach(async () => {
  db = await startLocalDynamoDB();
  h = new ScaleHarness(db, START);
});
afterEach(async () => {
  h.cwMock.reset();
  h.ecsMock.reset();
  await db.stop();
});

/** The input the router gives the workflow for a state change of a generated scale alarm. */
function scaleAlarm(name: string, at: Date) {
  const signal: AlarmSignal = {
    type: 'alarm',
    alarmName: `influencegen-prod-${name}`,
    state: 'ALARM',
    stateChangeTime: at.toISOString(),
    reason: 'r',
    alarmKind: 'metric',
    delivery: 'eventbridge',
  };
  const decision = routeSignal(signal, {
    environment: 'prod',
    alerts: ALERT_CATALOGUE,
    internal: INTERNAL_ALARM_CATALOGUE,
  });
  if (decision.action !== 'start') throw new Error(JSON.stringify(decision));
  expect(decision.workflow).toBe('scale-decision');
  return decision;
}

const ledger = (component = 'odoo') => h.deps.ledger.entries(component, new Date('2026-11-23T00:00:00Z'));

describe('scale-decision workflow', () => {
  test('a CPU breach scales Odoo from 2 to 3 and records it with its time to scale', async () => {
    h.metrics = { cpu: [72, 75, 78] };
    const route = scaleAlarm('Scale_odoo_cpu_high', h.clock);
    const run = await h.run(route.input as never, route.executionName);
    expect(run.error).toBeUndefined();
    expect(run.endState).toBe('Scaled');
    expect(h.updates()).toEqual([3]);
    const [entry] = await ledger();
    expect(entry).toMatchObject({
      outcome: 'succeeded',
      trigger: 'alarm Scale_odoo_cpu_high',
      decision: { action: 'scale', from: 2, to: 3, rule: 'cpu-high' },
      timeToScaleSeconds: 60,
    });
    expect(h.escalations).toEqual([]);
    // What the control-plane dashboard shows for it (EMF in Lambda).
    expect(h.emitted.datapoints).toEqual([
      { key: 'decisions', dimensions: { component: 'odoo', decision: 'scale-out' }, value: 1 },
      { key: 'scalingActions', dimensions: { component: 'odoo', outcome: 'succeeded' }, value: 1 },
      { key: 'timeToScale', dimensions: { component: 'odoo' }, value: 60 },
      { key: 'alarmToAction', dimensions: { component: 'odoo' }, value: 0 },
    ]);
  });

  test('the decision names the rule whose alarm asked, though an earlier rule also breached', async () => {
    h.metrics = { cpu: [72, 75, 78] };
    const route = scaleAlarm('Scale_odoo_cpu_above_target', h.clock);
    await h.run(route.input as never, route.executionName);
    expect((await ledger())[0]?.decision).toMatchObject({ action: 'scale', to: 3, rule: 'cpu-above-target' });
  });

  test("n8n's queue alarm: the plan reads jobs per worker and sizes the workers from the backlog", async () => {
    // One worker holding 17 jobs (10 running, 7 waiting), rising 5.5 a minute: over the 2 minutes a
    // new worker takes to serve, 28 jobs, which need 3 workers at 9.5 jobs each; its CPU is quiet.
    h.metrics = { jobsperworker: [6, 10, 17], cpu: [60, 65, 65] };
    const route = scaleAlarm('Scale_n8n_queue_high', h.clock);
    const run = await h.run(route.input as never, route.executionName);
    expect(run.error).toBeUndefined();
    expect(run.endState).toBe('Scaled');
    expect(h.services.n8n?.desired).toBe(3);
    const [entry] = await ledger('n8n');
    expect(entry).toMatchObject({
      outcome: 'succeeded',
      trigger: 'alarm Scale_n8n_queue_high',
      decision: { action: 'scale', from: 1, to: 3, rule: 'queue-high' },
      // 30 minutes read; the 27 the harness has no datapoint for are missing, not zero.
      inputs: { metrics: { 'workflow-queue-per-worker': [...Array(27).fill(null), 6, 10, 17] } },
    });
    expect(h.escalations).toEqual([]);
  });

  test('time from alarm to action counts from the alarm state change, not from the delivery', async () => {
    h.metrics = { cpu: [72, 75, 78] };
    const route = scaleAlarm('Scale_odoo_cpu_high', new Date(h.clock.getTime() - 45_000));
    await h.run(route.input as never, route.executionName);
    expect(h.emitted.total('alarmToAction', { component: 'odoo' })).toBe(45);
  });

  test('the same event delivered twice scales once', async () => {
    h.metrics = { cpu: [72, 75, 78] };
    const route = scaleAlarm('Scale_odoo_cpu_high', h.clock);
    await h.run(route.input as never, route.executionName);
    // What 3 tasks show for the same load (1.56 tasks' worth at 52 %).
    h.metrics = { cpu: [52, 52, 52] };
    // A second delivery the router could not dedup (a console re-run under another name).
    const again = await h.run(route.input as never);
    expect(again.endState).toBe('Held');
    expect(h.updates()).toEqual([3]);
    const entries = await ledger();
    // The 3 tasks hold the load: the second delivery holds at once, with nothing to wait for.
    expect(again.visited).not.toContain('WaitForCooldown');
    expect(entries.map((e) => e.outcome)).toEqual(['succeeded', 'hold']);
  });

  test('a retried Plan (same execution) reuses its decision and records it once', async () => {
    h.metrics = { cpu: [72, 75, 78] };
    const plan = makePlanHandler(h.deps);
    const observe = makeObserveHandler(h.deps);
    const first = await plan({
      observation: await observe({ request: { component: 'odoo' } }),
      executionId: 'arn:execution:one',
    });
    h.advance(1);
    h.metrics = { cpu: [10, 10, 10, 10, 10] };
    const second = await plan({
      observation: await observe({ request: { component: 'odoo' } }),
      executionId: 'arn:execution:one',
    });
    expect(second.decision).toEqual(first.decision);
    expect(second.decidedAt).toBe(first.decidedAt);
    expect(await ledger()).toHaveLength(1);
    expect(h.emitted.total('decisions')).toBe(1);
  });

  test('a re-run Record keeps the first outcome and counts the action once', async () => {
    h.metrics = { cpu: [72, 75, 78] };
    const run = await h.run({ component: 'odoo' }, 'once');
    expect(run.endState).toBe('Scaled');
    const [entry] = await ledger();
    h.advance(5);
    const plan = await makePlanHandler(h.deps)({
      observation: await makeObserveHandler(h.deps)({ request: { component: 'odoo' } }),
      executionId: entry?.executionId ?? '',
    });
    const again = await makeRecordHandler(h.deps)({ plan, outcome: 'failed', error: 'late retry' });
    expect(again.entry).toMatchObject({ outcome: 'succeeded', timeToScaleSeconds: 60 });
    // It reports the outcome that stands: no "scaling event failed" for a scaling that succeeded.
    expect(again.escalation).toBeUndefined();
    expect((await ledger())[0]).toMatchObject({ outcome: 'succeeded', timeToScaleSeconds: 60 });
    expect(h.emitted.total('scalingActions')).toBe(1);
    expect(h.emitted.total('timeToScale')).toBe(60);
  });

  test('a Plan that died between its two writes and was retried: Record still closes the action', async () => {
    h.metrics = { cpu: [72, 75, 78] };
    const plan = await makePlanHandler(h.deps)({
      observation: await makeObserveHandler(h.deps)({ request: { component: 'odoo' } }),
      executionId: 'arn:execution:torn',
    });
    const [written] = await ledger();
    await db.doc.send(
      new DeleteCommand({
        TableName: db.table,
        Key: { pk: 'LEDGER#odoo', sk: `${written?.decidedAt}#arn:execution:torn` },
      }),
    );
    expect(await ledger()).toEqual([]);
    h.advance(1);
    const recorded = await makeRecordHandler(h.deps)({ plan, outcome: 'succeeded' });
    expect(recorded.entry).toMatchObject({ outcome: 'succeeded', timeToScaleSeconds: 60 });
    expect(await ledger()).toEqual([
      expect.objectContaining({ outcome: 'succeeded', executionId: 'arn:execution:torn' }),
    ]);
    expect(h.emitted.total('scalingActions', { outcome: 'succeeded' })).toBe(1);
  });

  test('an action not taken because another execution holds the lock is not counted as an action', async () => {
    h.metrics = { cpu: [72, 75, 78] };
    await db.doc.send(
      new PutCommand({
        TableName: db.table,
        Item: {
          pk: 'LOCK#odoo',
          sk: 'LOCK',
          owner: 'arn:other',
          expiresAt: Math.floor(h.clock.getTime() / 1000) + 600,
        },
      }),
    );
    const route = scaleAlarm('Scale_odoo_cpu_high', h.clock);
    const run = await h.run(route.input as never, route.executionName);
    expect(run.visited).toContain('LockHeldElsewhere');
    expect(h.updates()).toEqual([]);
    expect(h.emitted.total('decisions', { decision: 'scale-out' })).toBe(1);
    expect(h.emitted.datapoints.filter((d) => d.key !== 'decisions')).toEqual([]);
  });

  test('a decision whose fleet another execution changed after it planned does not act on the stale count', async () => {
    h.metrics = { cpu: [72, 75, 78] };
    // Between this execution's Plan (2 -> 3) and its lock, another execution set Odoo to 4.
    h.afterPlan = () => {
      (h.services.odoo as { desired: number }).desired = 4;
    };
    const route = scaleAlarm('Scale_odoo_cpu_high', h.clock);
    const run = await h.run(route.input as never, route.executionName);
    h.afterPlan = undefined;
    expect(run.error).toBeUndefined();
    expect(run.endState).toBe('SupersededEnd');
    expect(h.updates()).toEqual([]);
    expect(h.services.odoo).toMatchObject({ desired: 4 });
    const [entry] = await ledger();
    expect(entry).toMatchObject({ outcome: 'failed', decision: { from: 2, to: 3 } });
    expect(entry?.error).toMatch(
      /^superseded: the desired count is 4 now, not the 2 this decision planned from/,
    );
    // Not an action: no action metric, no escalation, the lock released for the next decision.
    expect(h.emitted.datapoints.filter((d) => d.key !== 'decisions')).toEqual([]);
    expect(h.escalations).toEqual([]);
    const lock = await db.doc.send(
      new GetCommand({ TableName: db.table, Key: { pk: 'LOCK#odoo', sk: 'LOCK' } }),
    );
    expect(lock.Item).toBeUndefined();
  });

  test('a breach inside the cooldown holds and records why', async () => {
    h.metrics = { cpu: [72, 75, 78] };
    await h.run({ component: 'odoo' });
    h.advance(2);
    const held = await h.run({ component: 'odoo' });
    const entries = await ledger();
    expect(entries[1]).toMatchObject({
      outcome: 'hold',
      decision: {
        action: 'hold',
        guardrails: ['cooldown'],
        reason: expect.stringMatching(/^scale-out cooldown: last scale-out \d+ s ago \(cooldown 300 s\)/),
      },
    });
    // A scale-out held only by the cooldown is decided again when the cooldown ends, once.
    expect(held.visited.filter((state) => state === 'WaitForCooldown')).toHaveLength(1);
    expect(held.visited.filter((state) => state === 'Plan')).toHaveLength(2);
    // After the wait (the harness's clock at the cooldown's end), the fleet of 3 at 78 % needs 4.
    expect(held.endState).toBe('Scaled');
    expect(entries[1]?.decision.cooldownEndsAt).toBe(
      new Date(Date.parse(entries[0]?.decidedAt ?? '') + 300_000).toISOString(),
    );
    expect(h.emitted.total('decisions', { decision: 'hold' })).toBe(1);
    expect(h.emitted.total('decisions', { decision: 'scale-out' })).toBe(2);
    expect(h.updates()).toEqual([3, 4]);
    expect(h.emitted.datapoints).toContainEqual({
      key: 'holds',
      dimensions: { component: 'odoo', reason: 'cooldown' },
      value: 1,
    });
  });

  test('after waiting out the cooldown, the decision is taken again with the metrics of then', async () => {
    h.metrics = { cpu: [72, 75, 78] };
    await h.run({ component: 'odoo' });
    h.advance(2);
    // The harness's clock moves to the end of the cooldown while the workflow waits.
    h.metrics = { cpu: [90, 90, 95] };
    const run = await h.run({ component: 'odoo' });
    expect(run.visited).toContain('WaitForCooldown');
    expect(run.endState).toBe('Scaled');
    // 3 tasks at 95 % (2.85 tasks' worth) need 5 at 70 %, with the trend.
    expect(h.updates()[1]).toBeGreaterThanOrEqual(5);
  });

  test('a throttled UpdateService is retried and succeeds', async () => {
    h.metrics = { cpu: [72, 75, 78] };
    h.updateFailures = ['ThrottlingException', 'ThrottlingException'];
    const run = await h.run({ component: 'odoo' });
    expect(run.endState).toBe('Scaled');
    expect(run.visited.filter((s) => s === 'Act')).toHaveLength(1);
    expect(h.ecsMock.commandCalls((await import('@aws-sdk/client-ecs')).UpdateServiceCommand)).toHaveLength(
      3,
    );
    expect((await ledger())[0]).toMatchObject({ outcome: 'succeeded' });
  });

  test('a persistent failure escalates "scaling event failed", releases the lock and fails the execution', async () => {
    h.metrics = { cpu: [72, 75, 78] };
    h.updateFailures = Array(10).fill('AccessDeniedException');
    const run = await h.run({ component: 'odoo' });
    expect(run.endState).toBe('ScalingFailed');
    expect(run.error?.message).toMatch(/scaling odoo 2 -> 3 failed: Ecs.AccessDeniedException/);
    expect(h.escalations.map((e) => [e.state, e.input.alert.name])).toEqual([
      ['EscalateFailure', 'Scaling_Event_Failed'],
    ]);
    expect((await ledger())[0]).toMatchObject({
      outcome: 'failed',
      error: expect.stringMatching(/AccessDeniedException/),
    });
    // The lock was released: the next decision can act.
    h.updateFailures = [];
    h.advance(1);
    expect((await h.run({ component: 'odoo' })).endState).toBe('Scaled');
  });

  test('a service that does not reach its new count escalates as a failed scaling event', async () => {
    h.metrics = { cpu: [72, 75, 78] };
    (h.services.odoo as { bootChecks: number }).bootChecks = 99;
    const run = await h.run({ component: 'odoo' });
    expect(run.endState).toBe('ScalingFailed');
    expect(run.visited.filter((s) => s === 'Verify')).toHaveLength(5);
    expect(h.escalations[0]?.input.signal.detail).toMatch(/did not reach 3 running after 5 checks/);
  });

  test('the lock is released once ECS has the count: a later decision may act while this one verifies', async () => {
    h.metrics = { cpu: [72, 75, 78] };
    // The new task never starts within the checks; meanwhile another decision asks for 5.
    (h.services.odoo as { bootChecks: number }).bootChecks = 99;
    h.beforeVerify = () => Object.assign(h.services.odoo as object, { desired: 5 });
    const run = await h.run({ component: 'odoo' });
    // Superseded, not failed: this action took effect; the later one verifies its own count.
    expect(run.endState).toBe('Scaled');
    expect(run.visited).toContain('ReleaseLockAfterAct');
    expect(run.visited.indexOf('ReleaseLockAfterAct')).toBeLessThan(run.visited.indexOf('Verify'));
    expect(h.escalations.map((e) => e.input.alert.name)).not.toContain('Scaling_Event_Failed');
    expect((await ledger())[0]).toMatchObject({ outcome: 'succeeded' });
  });

  test('a loop that keeps reversing itself pauses the component and escalates', async () => {
    // Out, in, out, in: three changes of direction; the next scale-out would be the fourth.
    const high = { cpu: [72, 75, 78] };
    const low = { cpu: Array(15).fill(20) };
    for (const metrics of [high, low, high, low]) {
      h.metrics = metrics;
      expect((await h.run({ component: 'odoo' })).endState).toBe('Scaled');
      h.advance(11);
    }
    h.metrics = high;
    const run = await h.run({ component: 'odoo' });
    expect(run.endState).toBe('Held');
    expect(h.updates()).toEqual([3, 2, 3, 2]);
    expect(h.escalations.map((e) => e.input.alert.name)).toEqual(['Scaling_Runaway_Paused']);
    expect(await h.deps.ledger.pausedBecause('odoo')).toMatch(
      /would be the 4th change of direction in an hour .* automatic scaling paused/,
    );
    // Paused: the next breach holds without asking.
    h.advance(10);
    expect((await ledger()).at(-1)?.decision.guardrails).toEqual(['runaway']);
    await h.run({ component: 'odoo' });
    expect((await ledger()).at(-1)?.decision).toMatchObject({ action: 'hold', guardrails: ['paused'] });
  }, 30_000);

  test('a ramp the load justifies never trips runaway protection, however many steps', async () => {
    for (let i = 0; i < 7; i++) {
      // Each step's tasks run at 90 %: one more task is always needed.
      h.metrics = { cpu: [90, 90, 90] };
      const before = h.services.odoo?.desired ?? 0;
      expect((await h.run({ component: 'odoo' })).endState).toBe('Scaled');
      expect(h.services.odoo?.desired).toBeGreaterThan(before);
      h.advance(6);
      if ((h.services.odoo?.desired ?? 0) >= 10) break;
    }
    expect(h.escalations.map((e) => e.input.alert.name)).not.toContain('Scaling_Runaway_Paused');
    expect(await h.deps.ledger.pausedBecause('odoo')).toBeUndefined();
  }, 30_000);

  test('at the maximum, "max instances reached" is escalated', async () => {
    h.metrics = { cpu: [90, 90, 90] };
    Object.assign(h.services.odoo as object, { desired: 10, running: 10 });
    const run = await h.run({ component: 'odoo' });
    expect(run.endState).toBe('Held');
    expect(h.updates()).toEqual([]);
    expect(h.escalations.map((e) => [e.state, e.input.alert.name])).toEqual([
      ['EscalateHold', 'Max_Instances_Reached'],
    ]);
  });

  test('a database-connection breach blocks an Odoo scale-up and escalates', async () => {
    h.metrics = { cpu: [90, 90, 90], dbconnections: [850] }; // 850 of 901 = 94 %
    const run = await h.run({ component: 'odoo' });
    expect(run.endState).toBe('Held');
    expect(h.updates()).toEqual([]);
    expect(h.escalations.map((e) => e.input.alert.name)).toEqual(['Scaling_Blocked_By_Database']);
    expect((await ledger())[0]?.decision.reason).toMatch(/^PostgreSQL connections at 94 %/);
  });

  test('a scale-up that does not help raises the post-scale alert', async () => {
    h.metrics = { cpu: [90, 90, 90], latency: [800] };
    const run = await h.run({ component: 'odoo' });
    expect(run.endState).toBe('Scaled');
    expect(h.escalations.map((e) => e.input.alert.name)).toEqual(['Scale_Up_Ineffective']);
    expect(h.escalations[0]?.input.signal.detail).toMatch(/CPU still 90 %/);
  });

  test('a successful action resolves the component\'s open "scaling event failed" incident', async () => {
    h.metrics = { cpu: [72, 75, 78] };
    h.updateFailures = Array(10).fill('AccessDeniedException');
    await h.run({ component: 'odoo' });
    // The escalation workflow opened the incident; here the harness stands in for it.
    const raised = h.escalations[0]?.input as unknown as WorkflowInput;
    const registered = await h.deps.store.registry.register(
      raised,
      catalogueAlert('Scaling_Event_Failed'),
      h.clock,
      'register',
    );
    if (registered.action !== 'page') throw new Error(registered.action);
    h.updateFailures = [];
    h.advance(1);
    expect((await h.run({ component: 'odoo' })).endState).toBe('Scaled');
    expect(h.escalations.map((e) => [e.state, e.input.alert.name, e.input.state])).toEqual([
      ['EscalateFailure', 'Scaling_Event_Failed', 'ALARM'],
      ['ResolveIncident', 'Scaling_Event_Failed', 'OK'],
    ]);
  });

  test('a manual run goes through the guardrails, the lock and the ledger', async () => {
    const run = await h.run({
      component: 'odoo',
      to: 4,
      reason: 'campaign launch at noon',
      requestedBy: 'alice',
    });
    expect(run.endState).toBe('Scaled');
    expect(h.updates()).toEqual([4]); // prod has no rate cap (seed 000: "Max Scaling Rate: N/A")
    expect((await ledger())[0]).toMatchObject({
      trigger: 'manual by alice',
      decision: { rule: 'manual', guardrails: [] },
    });
  });

  test("staging keeps seed 002's rate cap: asked for 4, Odoo gets 1 more per 5 minutes", async () => {
    const staging = new ScaleHarness(db, START, 'staging');
    const run = await staging.run({ component: 'odoo', to: 4, reason: 'load test', requestedBy: 'alice' });
    expect(run.endState).toBe('Scaled');
    expect(staging.updates()).toEqual([3]);
    const [entry] = await staging.deps.ledger.entries('odoo', new Date('2026-11-23T00:00:00Z'));
    expect(entry?.decision).toMatchObject({ rule: 'manual', guardrails: ['max-rate'] });
  });

  test.each([
    [{ component: 'kafka' }, /input\.component: /],
    [
      { component: 'odoo', to: 11, reason: 'more' },
      /input\.to: must be a whole number from 2 to 10 for odoo/,
    ],
    [{ component: 'odoo', to: 3 }, /input\.reason: a manual scale needs a reason/],
    [{ component: 'odoo', to: 2.5, reason: 'half' }, /input\.to: /],
  ])('invalid console input %j fails naming the field and changes nothing', async (input, message) => {
    const run = await h.run(input);
    expect(run.endState).toBe('InvalidRequest');
    expect(run.error?.message).toMatch(message);
    expect(h.updates()).toEqual([]);
    expect(await ledger()).toEqual([]);
    expect(h.escalations).toEqual([]);
  });

  test('a failure to read the metrics escalates "scaling event failed" and changes nothing', async () => {
    h.cwMock
      .on((await import('@aws-sdk/client-cloudwatch')).GetMetricDataCommand)
      .rejects(Object.assign(new Error('Access denied to GetMetricData'), { name: 'AccessDenied' }));
    const run = await h.run({ component: 'odoo' });
    expect(run.endState).toBe('PlanningFailedEnd');
    expect(h.escalations.map((e) => [e.state, e.input.alert.name])).toEqual([
      ['EscalatePlanningFailure', 'Scaling_Event_Failed'],
    ]);
    expect(h.escalations[0]?.input.signal.detail).toMatch(/Access denied to GetMetricData/);
    expect(h.updates()).toEqual([]);
  });

  test('development never scales automatically; the decision is still recorded', async () => {
    const dev = new ScaleHarness(db, START, 'dev');
    dev.metrics = { cpu: [90, 90, 90] };
    const run = await dev.run({ component: 'odoo' });
    expect(run.endState).toBe('Held');
    expect(dev.updates()).toEqual([]);
    expect((await dev.deps.ledger.entries('odoo', new Date(0)))[0]?.decision.reason).toBe(
      'automatic scaling is disabled in this environment',
    );
  });
});
