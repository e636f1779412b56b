import { ALERT_CATALOGUE, INTERNAL_ALARM_CATALOGUE } from '../../lib/config/alerts';
import { alarmName } from '../../lib/config/naming';
import { executionName } from '../../lambdas/core/routing/execution-name';
import { routeSignal, type RouteDecision } from '../../lambdas/core/routing/route';
import type { AlarmSignal } from '../../lambdas/core/signals/types';
import { decide } from '../../lambdas/alarm-router';
import { eventFixture } from '../fixtures/events/load';

const catalogue = { environment: 'prod', alerts: ALERT_CATALOGUE, internal: INTERNAL_ALARM_CATALOGUE };
const WORKFLOW = {
  incident: 'escalation',
  stall: 'stalled-gpu',
  backup: 'backup-verification',
  scale: 'scale-decision',
};

function alarm(
  name: string,
  state: AlarmSignal['state'] = 'ALARM',
  extra: Partial<AlarmSignal> = {},
): AlarmSignal {
  return {
    type: 'alarm',
    alarmName: name,
    state,
    stateChangeTime: '2026-11-23T10:00:00.000Z',
    reason: 'r',
    alarmKind: 'metric',
    delivery: 'eventbridge',
    ...extra,
  };
}

describe('every catalogue alert is routed to its workflow', () => {
  test.each(
    ALERT_CATALOGUE.filter((a) => a.signal.type !== 'event' && a.signal.type !== 'workflow').map((a) => [
      a.name,
      a.kind,
    ]),
  )('%s (%s)', (name, kind) => {
    const decision = routeSignal(alarm(alarmName('prod', name)), catalogue);
    expect(decision).toMatchObject({
      action: 'start',
      workflow: WORKFLOW[kind as keyof typeof WORKFLOW],
      input: { alert: { name }, state: 'ALARM' },
    });
    const ok = routeSignal(alarm(alarmName('prod', name), 'OK'), catalogue);
    if (kind === 'scale')
      expect(ok).toEqual({ action: 'ignore', reason: expect.stringMatching(/returned to OK/) });
    else expect(ok).toMatchObject({ action: 'start', workflow: 'escalation', input: { state: 'OK' } });
  });

  test('incidents raised by workflows start nothing from the router', () => {
    const signal = {
      type: 'workflow' as const,
      workflow: 'scale-decision',
      eventId: 'e',
      time: '2026-11-23T10:00:00Z',
      detail: 'd',
    };
    expect(routeSignal(signal, catalogue)).toEqual({
      action: 'ignore',
      reason: expect.stringMatching(/starts the escalation itself/),
    });
  });

  test('periodic schedules re-evaluate a component, once per minute', () => {
    const at = (time: string) => decide({ schedule: 'scale-flux-gpu', time }, 'prod');
    expect(at('2026-11-23T10:00:05Z')).toMatchObject({
      action: 'start',
      workflow: 'scale-decision',
      input: { component: 'flux-gpu' },
    });
    const a = at('2026-11-23T10:00:05Z') as Extract<RouteDecision, { action: 'start' }>;
    const b = at('2026-11-23T10:00:50Z') as Extract<RouteDecision, { action: 'start' }>;
    expect(a.executionName).toBe(b.executionName);
    expect(decide({ schedule: 'scale-kafka' }, 'prod')).toMatchObject({ action: 'ignore' });
  });

  test('event-raised alerts are routed from their events', () => {
    expect(decide(eventFixture('backup-job-failed'), 'prod')).toMatchObject({
      action: 'start',
      workflow: 'backup-verification',
      input: { alert: { name: 'Odoo_Backup_Failure' } },
    });
    expect(decide(eventFixture('ecs-task-placement-failure'), 'prod')).toMatchObject({
      action: 'start',
      workflow: 'escalation',
      input: { alert: { name: 'ECS_Service_Task_Placement_Failure' }, subject: 'odoo', state: 'ALARM' },
    });
    expect(decide(eventFixture('ecs-steady-state'), 'prod')).toMatchObject({
      action: 'start',
      workflow: 'escalation',
      input: { state: 'OK' },
    });
  });
});

describe('what the router ignores, and why', () => {
  test.each<[string, unknown, RegExp]>([
    [
      'another environment',
      eventFixture('eventbridge-metric-alarm'),
      /does not belong to environment staging/,
    ],
  ])('%s', (_name, event, reason) => {
    expect(decide(event, 'staging')).toEqual({ action: 'ignore', reason: expect.stringMatching(reason) });
  });

  test.each<[string, AlarmSignal, RegExp]>([
    [
      'an alarm not in the catalogue',
      alarm('influencegen-prod-Something_Else'),
      /not in the alert catalogue/,
    ],
    [
      'an input of a composite alarm',
      alarm('influencegen-prod-AI_Serving_GPU_Idle'),
      /input of composite alarm AI_Service_Stalled/,
    ],
    [
      'INSUFFICIENT_DATA',
      alarm('influencegen-prod-Odoo_Server_High_CPU', 'INSUFFICIENT_DATA'),
      /INSUFFICIENT_DATA/,
    ],
    [
      'a composite with its actions suppressed',
      alarm('influencegen-prod-AI_Service_Stalled', 'ALARM', { actionsSuppressedBy: 'WaitPeriod' }),
      /suppressed by WaitPeriod/,
    ],
  ])('%s', (_name, signal, reason) => {
    expect(routeSignal(signal, catalogue)).toEqual({
      action: 'ignore',
      reason: expect.stringMatching(reason),
    });
  });

  test.each([
    ['backup-job-completed', /COMPLETED; only failed/],
    ['recovery-point-state-change', /the hourly assessment reads recovery points/],
    ['ecs-task-start-impaired', /^$/],
    ['scheduled-event', /starts no workflow/],
  ])('%s', (fixture, reason) => {
    const decision = decide(eventFixture(fixture), 'prod');
    if (fixture === 'ecs-task-start-impaired') expect(decision.action).toBe('start');
    else expect(decision).toEqual({ action: 'ignore', reason: expect.stringMatching(reason) });
  });
});

describe('execution names make duplicate deliveries start nothing', () => {
  test('the same state change through three deliveries gets one execution name', () => {
    const names = ['eventbridge-metric-alarm', 'lambda-action-metric-alarm', 'sns-metric-alarm'].map(
      (f) => (decide(eventFixture(f), 'prod') as Extract<RouteDecision, { action: 'start' }>).executionName,
    );
    expect(new Set(names).size).toBe(1);
    expect(names[0]).toMatch(/^Odoo_Server_High_CPU-ALARM-\d+$/);
  });

  test('ALARM and the later OK of the same alarm get different names', () => {
    const a = decide(eventFixture('eventbridge-metric-alarm'), 'prod') as Extract<
      RouteDecision,
      { action: 'start' }
    >;
    const b = decide(eventFixture('eventbridge-metric-alarm-ok'), 'prod') as Extract<
      RouteDecision,
      { action: 'start' }
    >;
    expect(a.executionName).not.toBe(b.executionName);
  });

  test("names stay within Step Functions' 80 characters and alphabet", () => {
    const long = executionName(
      'Odoo_UI_Page_Load_Time_P95_Baseline_Deviation',
      'influencegen-prod-Odoo_UI_Page_Load_Time_P95_Baseline_Deviation',
      'ALARM',
      '1763892000000',
    );
    expect(long.length).toBeLessThanOrEqual(80);
    expect(long).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(executionName('a:b/c', 'd')).toBe('a-b-c-d');
  });
});

test('the end of a restore job starts its validation by the backup-verification workflow, once', () => {
  expect(decide(eventFixture('restore-job-completed'), 'prod')).toEqual({
    action: 'start',
    workflow: 'backup-verification',
    executionName: 'restore-test-AB123456-78C9-0123-456D-789012E34567-COMPLETED',
    input: { restoreJobId: 'AB123456-78C9-0123-456D-789012E34567' },
  });
});
