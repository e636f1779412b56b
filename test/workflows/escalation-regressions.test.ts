import { FALLBACK_CHANNELS, OFF_HOURS_CHANNELS } from '../../lib/config/escalation';
import { catalogueAlert } from '../../lambdas/core/escalation/catalogue';
import { escalationSteps } from '../../lambdas/core/escalation/plan';
import { routeSignal, type WorkflowInput } from '../../lambdas/core/routing/route';
import type { EcsServiceActionSignal } from '../../lambdas/core/signals/types';
import type { LocalDynamoDB } from '../../sim/aws/local-dynamodb';
import { PROD_CATALOGUE, routedAlarmInput } from '../support/alarm-signals';
import { EscalationHarness, harnessPerTest, type Page } from './escalation-harness';

/**
 * One named test per defect issue 16 found in the paging path, each run through the real
 * escalation ASL with the real handlers on dynalite (concurrency where the defect was a race).
 */
const MONDAY_MORNING = '2026-11-23T10:00:00.000Z';
const SATURDAY_NIGHT = '2026-11-28T23:00:00.000Z';
const at = (time: string) => `2026-11-23T${time}.000Z`;

let db: LocalDynamoDB;
let h: EscalationHarness;
harnessPerTest(MONDAY_MORNING, (d, harness) => {
  db = d;
  h = harness;
});

const incidentsPaged = (pages: readonly Page[]) => [...new Set(pages.map((p) => p.incidentId))];
const level = (pages: readonly Page[], l: string) => pages.filter((p) => p.level === l).map((p) => p.channel);

/** ECS reports a placement failure (or steady state) of a service, as the router starts it. */
function ecsInput(eventName: string, eventId: string, time: string): WorkflowInput {
  const signal: EcsServiceActionSignal = {
    type: 'ecs-service-action',
    eventId,
    time,
    eventName,
    clusterArn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/influencegen-prod',
    serviceName: 'odoo',
  };
  const decision = routeSignal(signal, PROD_CATALOGUE);
  if (decision.action !== 'start' || !('alert' in decision.input)) throw new Error(eventName);
  return decision.input;
}

test('a re-fire is not swallowed: a Critical ALARM 10:00, OK 10:02, ALARM 10:04 pages a second incident', async () => {
  const name = 'Payment_Processing_Failure_Rate';
  h.advanceOnTimeout = false;
  await h.run(routedAlarmInput(name, 'ALARM', at('10:00:00')));
  await h.run(routedAlarmInput(name, 'OK', at('10:02:00')));
  await h.run(routedAlarmInput(name, 'ALARM', at('10:04:00')));
  const incidents = incidentsPaged(h.pages().filter((p) => p.level === '0'));
  expect(incidents).toHaveLength(2);
  expect((await h.deps.store.incident(incidents[0] as string))?.status).toBe('resolved');
  expect((await h.deps.store.incident(incidents[1] as string))?.status).toBe('open');
});

test('a partial write does not lose the page: the incident write fails once, the retried Register pages', async () => {
  let failures = 0;
  h.faults = {
    dynamo: (command, key) =>
      command === 'PutCommand' && key.startsWith('INCIDENT#') && failures++ === 0 ? 'before' : undefined,
  };
  const run = await h.run(routedAlarmInput('Odoo_N8N_API_P95_Latency', 'ALARM', MONDAY_MORNING));
  expect(failures).toBeGreaterThan(1);
  expect(run.error).toBeUndefined();
  expect(run.visited.filter((s) => s === 'Register')).toHaveLength(1);
  expect(level(h.pages(), '0')).toEqual(['slack', 'email']);
});

test('races do not double pages: five concurrent placement failures of one service open one incident, and its recovery resolves it', async () => {
  h.advanceOnTimeout = false;
  const runs = await Promise.all(
    [1, 2, 3, 4, 5].map((i) =>
      h.run(ecsInput('SERVICE_TASK_PLACEMENT_FAILURE', `placement-${i}`, at(`10:00:0${i}`))),
    ),
  );
  const incidents = incidentsPaged(h.pages());
  expect(incidents).toHaveLength(1);
  const steps = escalationSteps(catalogueAlert('ECS_Service_Task_Placement_Failure'));
  expect(level(h.pages(), '0').length * steps.length).toBe(h.pages().length);
  // One opened it; each other delivery was counted into it, or (older than one already
  // registered, delivered late) recorded as stale: none opened another.
  const actions = runs.map(
    (r) => (r.result as { register: { result: { action: string } } }).register.result.action,
  );
  expect(actions.filter((a) => a === 'page')).toHaveLength(1);
  expect(actions.every((a) => ['page', 'deduplicated', 'stale'].includes(a))).toBe(true);
  const incident = await h.deps.store.incident(incidents[0] as string);
  expect(incident?.count).toBe(1 + actions.filter((a) => a === 'deduplicated').length);

  await h.run(ecsInput('SERVICE_STEADY_STATE', 'steady', at('10:05:00')));
  expect((await h.deps.store.incident(incidents[0] as string))?.status).toBe('resolved');
  expect(
    await h.deps.store.openIncidentOf(catalogueAlert('ECS_Service_Task_Placement_Failure'), 'odoo'),
  ).toBeUndefined();
});

test('races do not double pages: two alarms of one correlation group at the same moment open one incident', async () => {
  h.advanceOnTimeout = false;
  await Promise.all([
    h.run(routedAlarmInput('Odoo_Server_High_CPU', 'ALARM', MONDAY_MORNING)),
    h.run(routedAlarmInput('Odoo_Server_Memory_Utilization', 'ALARM', MONDAY_MORNING)),
  ]);
  const incidents = incidentsPaged(h.pages());
  expect(incidents).toHaveLength(1);
  const incident = await h.deps.store.incident(incidents[0] as string);
  expect([...(incident?.members ?? [])].sort()).toEqual([
    'Odoo_Server_High_CPU',
    'Odoo_Server_Memory_Utilization',
  ]);
});

test('history appends do not overwrite each other: six concurrent state changes are all counted and flapping is detected', async () => {
  h.advanceOnTimeout = false;
  const name = 'Odoo_N8N_API_P95_Latency';
  const states = ['ALARM', 'OK', 'ALARM', 'OK', 'ALARM', 'OK'] as const;
  const runs = await Promise.all(
    states.map((state, i) => {
      const input = routedAlarmInput(name, state, at(`10:0${i}:00`));
      const previousState = state === 'ALARM' ? 'OK' : 'ALARM';
      return h.run({ ...input, signal: { ...input.signal, previousState } });
    }),
  );
  const group = await h.deps.store.registry.alertState(catalogueAlert(name), `influencegen-prod-${name}`);
  expect(group.transitions).toHaveLength(6);
  expect(group.flappingUntil).toBeDefined();
  expect(group.lastState).toBe('OK');
  expect(runs.every((r) => r.error === undefined)).toBe(true);
});

test.each([
  ['delivered first', false],
  ['delivered concurrently', true],
])(
  'ALARM and OK are ordered by their own times: an OK (10:01) %s with its ALARM (10:00) leaves nothing open',
  async (_, concurrent) => {
    h.advanceOnTimeout = false;
    const name = 'Payment_Processing_Failure_Rate';
    const ok = routedAlarmInput(name, 'OK', at('10:01:00'));
    const alarm = routedAlarmInput(name, 'ALARM', at('10:00:00'));
    if (concurrent) await Promise.all([h.run(ok), h.run(alarm)]);
    else {
      await h.run(ok);
      await h.run(alarm);
    }
    expect(
      await h.deps.store.openIncidentOf(catalogueAlert(name), `influencegen-prod-${name}`),
    ).toBeUndefined();
    // Concurrently the ALARM may be registered first and paged, then resolved: never left open.
    if (!concurrent) expect(h.pages()).toEqual([]);
    for (const id of incidentsPaged(h.pages()))
      expect((await h.deps.store.incident(id))?.status).toBe('resolved');
  },
);

test('a page is not recorded before it is published: SMS keeps failing, the fallback carries every level, and nothing is sent twice', async () => {
  h = new EscalationHarness(db, SATURDAY_NIGHT);
  h.faults = { sns: (channel) => channel === 'sms' };
  const input = routedAlarmInput('Payment_Processing_Failure_Rate', 'ALARM', SATURDAY_NIGHT);
  const run = await h.run(input);
  expect(run.endState).toBe('EscalationExhausted');
  const [id] = incidentsPaged(h.pages());
  const incident = await h.deps.store.incident(id as string);
  // SMS is never recorded as sent; the fallback (email) carries every level, once.
  const expected = [
    ...new Set([...OFF_HOURS_CHANNELS.Critical.filter((c) => c !== 'sms'), FALLBACK_CHANNELS.general]),
  ].sort();
  for (const l of ['0', '1', '2', '3']) expect(level(h.pages(), l).sort()).toEqual(expected);
  expect(Object.keys(incident?.failedDeliveries ?? {}).sort()).toEqual(['0#sms', '1#sms', '2#sms', '3#sms']);
  expect(Object.keys(incident?.delivered ?? {}).filter((k) => k.endsWith('#sms'))).toEqual([]);
  // A failing channel escalates at once: every level went out at the time of the first.
  expect(new Set(incident?.pages.map((p) => p.at))).toEqual(new Set([SATURDAY_NIGHT]));
  const before = h.pages().length;
  await h.run(input);
  expect(h.pages()).toHaveLength(before);
});

test('acknowledgement cannot be bypassed: a bare SendTaskSuccess with the stored token is recorded and the escalation goes on', async () => {
  let waits = 0;
  const run = await h.run(routedAlarmInput('Payment_Processing_Failure_Rate', 'ALARM', MONDAY_MORNING), {
    onAwait: async ({ incidentId, harness }) => {
      if (waits++ > 0) return 'timeout';
      harness.advance(5);
      await harness.bareWake(incidentId);
      return 'keep-waiting';
    },
  });
  expect(run.visited).toContain('VerifyAcknowledgement');
  expect(run.endState).toBe('EscalationExhausted');
  const [id] = incidentsPaged(h.pages());
  const incident = await h.deps.store.incident(id as string);
  expect(incident).toMatchObject({ status: 'open', invalidWakes: [{ step: 0 }] });
  expect(incident?.acknowledgedBy).toBeUndefined();
  expect(new Set(h.pages().map((p) => p.level))).toEqual(new Set(['0', '1', '2', '3']));
  // The rest of level 0's wait was kept: level 1 at 10:15, not 10:20.
  expect(incident?.pages.map((p) => p.at).slice(0, 2)).toEqual([MONDAY_MORNING, at('10:15:00')]);
});

test('a failed escalation pages the original alert: re-raised by the router, paging resumes and sends only what was missing', async () => {
  const name = 'Payment_Processing_Failure_Rate';
  const input = routedAlarmInput(name, 'ALARM', MONDAY_MORNING);
  let broken = false;
  h.faults = { dynamo: () => (broken ? 'before' : undefined) };
  const failed = await h.run(input, {
    onAwait: async () => {
      broken = true; // DynamoDB fails from here on: level 1 cannot be paged.
      return 'timeout';
    },
  });
  expect(failed.failedAt?.state).toBe('Notify');
  expect(incidentsPaged(h.pages())).toHaveLength(1);
  h.faults = {};

  // The router's answer to the "Step Functions Execution Status Change" FAILED event.
  const decision = routeSignal(
    {
      type: 'execution-failed',
      eventId: 'failed-event',
      time: h.clock.toISOString(),
      executionArn: `arn:aws:states:eu-west-1:123456789012:execution:influencegen-prod-escalation:${failed.executionId}`,
      stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:influencegen-prod-escalation',
      stateMachine: 'influencegen-prod-escalation',
      executionName: failed.executionId,
      status: 'FAILED',
      stopDate: h.clock.toISOString(),
      error: 'InternalServerError',
      cause: 'injected',
      input: { status: 'parsed', value: input },
    },
    PROD_CATALOGUE,
  );
  if (decision.action !== 'start') throw new Error(JSON.stringify(decision));
  expect(decision.workflow).toBe('escalation');
  const resumed = await h.run(decision.input as WorkflowInput);
  expect(resumed.endState).toBe('EscalationExhausted');
  const pages = h.pages();
  expect(incidentsPaged(pages)).toHaveLength(1);
  for (const l of ['0', '1', '2', '3'])
    expect(level(pages, l).sort()).toEqual(['email', 'pagerduty', 'slack', 'sms']);
});
