import { ALERT_CATALOGUE, INTERNAL_ALARM_CATALOGUE } from '../../lib/config/alerts';
import { alarmName } from '../../lib/config/naming';
import { executionName } from '../../lambdas/core/routing/execution-name';
import { controlPlaneNames } from '../../lib/config/naming';
import { WORKFLOW_NAMES } from '../../lib/config/naming';
import {
  FIELD_LIMIT_BYTES,
  INPUT_BUDGET_BYTES,
  limitInput,
  serializedBytes,
  textBytes,
  truncateText,
} from '../../lambdas/core/routing/input-limits';
import {
  routeSignal,
  workflowOfStateMachine,
  type RouteDecision,
  type WorkflowInput,
} from '../../lambdas/core/routing/route';
import { SIGNAL_TIME_WINDOW_MS } from '../../lambdas/core/signals/timestamps';
import type { AlarmSignal } from '../../lambdas/core/signals/types';
import { decide } from '../../lambdas/alarm-router';
import { eventFixture } from '../fixtures/events/load';
import { alarmSignal } from '../support/alarm-signals';

const catalogue = { environment: 'prod', alerts: ALERT_CATALOGUE, internal: INTERNAL_ALARM_CATALOGUE };
const WORKFLOW = {
  incident: 'escalation',
  stall: 'stalled-gpu',
  backup: 'backup-verification',
  scale: 'scale-decision',
};

const alarm = (name: string, state: AlarmSignal['state'] = 'ALARM', extra: Partial<AlarmSignal> = {}) =>
  alarmSignal(name, state, '2026-11-23T10:00:00.000Z', extra);

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
      workflow: WORKFLOW[kind],
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

describe('a failed workflow execution pages the original alert', () => {
  const AT = new Date('2025-03-14T09:30:00Z');
  const failedEvent = (detail: Record<string, unknown> = {}, fixture = 'step-functions-execution-failed') => {
    const event = eventFixture(fixture);
    return { ...event, detail: { ...(event.detail as object), ...detail } };
  };
  const withInput = (input: unknown, detail: Record<string, unknown> = {}) =>
    failedEvent({ input: JSON.stringify(input), ...detail });
  const route = (event: unknown) => decide(event, 'prod', AT, { checkTime: true });
  const started = (event: unknown) => {
    const decision = route(event);
    if (decision.action !== 'start') throw new Error(JSON.stringify(decision));
    return decision;
  };

  test('a failed escalation starts the escalation again for the same alert and subject, named after the failure', () => {
    expect(route(failedEvent())).toEqual({
      action: 'start',
      workflow: 'escalation',
      executionName: 'failed-Odoo_Server_High_CPU-ALARM-1741944461412',
      input: {
        alert: { name: 'Odoo_Server_High_CPU', kind: 'incident', component: 'odoo', severity: 'High' },
        subject: 'influencegen-prod-Odoo_Server_High_CPU',
        state: 'ALARM',
        signal: {
          type: 'workflow',
          workflow: 'escalation',
          eventId:
            'arn:aws:states:eu-west-1:123456789012:execution:influencegen-prod-escalation:Odoo_Server_High_CPU-ALARM-1741944461412',
          time: '2025-03-14T09:27:47.931Z',
          detail: expect.stringMatching(
            /^escalation execution Odoo_Server_High_CPU-ALARM-1741944461412 FAILED: ThrottlingException: \{"errorType":"ThrottlingException"/,
          ),
        },
      },
    });
  });

  test('the signal carries exactly the fields the escalation input accepts', () => {
    expect(Object.keys((started(failedEvent()).input as WorkflowInput).signal)).toEqual([
      'type',
      'workflow',
      'eventId',
      'time',
      'detail',
    ]);
  });

  test('the same failure delivered twice gets the same execution name; another failure another one', () => {
    const a = started(failedEvent());
    expect(started(failedEvent()).executionName).toBe(a.executionName);
    const other = started(
      failedEvent({
        name: 'Odoo_Server_High_CPU-ALARM-1741944999999',
        executionArn:
          'arn:aws:states:eu-west-1:123456789012:execution:influencegen-prod-escalation:Odoo_Server_High_CPU-ALARM-1741944999999',
      }),
    );
    expect(other.executionName).not.toBe(a.executionName);
  });

  test("the alert's kind, component and severity come from the catalogue, not from the failed input", () => {
    const event = failedEvent();
    const input = JSON.parse(String((event.detail as { input: string }).input)) as WorkflowInput;
    const forged = {
      ...input,
      alert: { name: input.alert.name, kind: 'scale', component: 'x', severity: 'Low' },
    };
    expect((started(withInput(forged)).input as WorkflowInput).alert).toEqual({
      name: 'Odoo_Server_High_CPU',
      kind: 'incident',
      component: 'odoo',
      severity: 'High',
    });
  });

  test('a failed resolution (state OK) is resumed as a resolution', () => {
    const event = failedEvent();
    const input = JSON.parse(String((event.detail as { input: string }).input)) as WorkflowInput;
    expect(started(withInput({ ...input, state: 'OK' })).input).toMatchObject({ state: 'OK' });
  });

  test('a failed stalled-GPU execution for the stall alert pages that alert through the escalation', () => {
    const stall = routeSignal(alarm(alarmName('prod', 'AI_Service_Stalled')), catalogue) as Extract<
      RouteDecision,
      { action: 'start' }
    >;
    const decision = started(
      withInput(stall.input, {
        stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:influencegen-prod-stalled-gpu',
        status: 'ABORTED',
        error: null,
        cause: null,
      }),
    );
    expect(decision).toMatchObject({
      workflow: 'escalation',
      input: {
        alert: { name: 'AI_Service_Stalled', severity: 'Critical' },
        subject: 'influencegen-prod-AI_Service_Stalled',
        signal: {
          workflow: 'stalled-gpu',
          detail: expect.stringMatching(/ABORTED: \(no error\): \(no cause\)$/),
        },
      },
    });
  });

  test('a by-hand input the workflow refused (a typo) pages nobody; a refused routed input still pages', () => {
    const stateMachineArn =
      'arn:aws:states:eu-west-1:123456789012:stateMachine:influencegen-prod-scale-decision';
    const typo = withInput(
      { component: 'odoo', desired: 4 },
      { stateMachineArn, name: 'by-hand-1', error: 'InvalidInput', cause: 'input.desired: not a field' },
    );
    expect(route(typo)).toEqual({
      action: 'ignore',
      reason: expect.stringMatching(
        /refused a by-hand input \(InvalidInput\) before doing anything; nothing to page$/,
      ),
    });
    // The same error on a routed alert input is a fault of the router or the catalogue: it pages.
    const routed = failedEvent({ error: 'InvalidInput' });
    expect(started(routed).input).toMatchObject({ alert: { name: 'Odoo_Server_High_CPU' }, state: 'ALARM' });
    // Any other failure of the same by-hand input pages Scaling_Event_Failed for its component.
    expect(started({ ...typo, detail: { ...typo.detail, error: 'States.TaskFailed' } }).input).toMatchObject({
      alert: { name: 'Scaling_Event_Failed' },
      subject: 'odoo',
    });
  });

  test('a timed-out periodic scale evaluation pages Scaling_Event_Failed for its component', () => {
    const timedOut = eventFixture('step-functions-execution-timed-out');
    expect(decide(timedOut, 'prod', new Date('2025-03-14T10:31:00Z'), { checkTime: true })).toEqual({
      action: 'start',
      workflow: 'escalation',
      executionName: 'failed-periodic-flux-gpu-29032440',
      input: {
        alert: { name: 'Scaling_Event_Failed', kind: 'incident', component: 'platform', severity: 'High' },
        subject: 'flux-gpu',
        state: 'ALARM',
        signal: {
          type: 'workflow',
          workflow: 'scale-decision',
          eventId:
            'arn:aws:states:eu-west-1:123456789012:execution:influencegen-prod-scale-decision:periodic-flux-gpu-29032440',
          time: '2025-03-14T10:30:03.217Z',
          detail: 'scale-decision execution periodic-flux-gpu-29032440 TIMED_OUT: (no error): (no cause)',
        },
      },
    });
  });

  test('a failed restore test pages Backup_Restore_Test_Failed for its restore job', () => {
    const decision = started(
      withInput(
        { restoreJobId: 'AB123456-78C9-0123-456D-789012E34567' },
        {
          name: 'restore-test-AB123456-78C9-0123-456D-789012E34567-COMPLETED',
          stateMachineArn:
            'arn:aws:states:eu-west-1:123456789012:stateMachine:influencegen-prod-backup-verification',
        },
      ),
    );
    expect(decision).toMatchObject({
      executionName: 'failed-restore-test-AB123456-78C9-0123-456D-789012E34567-COMPLETED',
      input: {
        alert: { name: 'Backup_Restore_Test_Failed', severity: 'High' },
        subject: 'AB123456-78C9-0123-456D-789012E34567',
        signal: { workflow: 'backup-verification' },
      },
    });
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    [
      'a failure-recovery execution that failed in turn (no loop)',
      { name: 'failed-Odoo_Server_High_CPU-ALARM-1741944461412' },
      /a failure-recovery execution failed; the watcher alarm pages$/,
    ],
    [
      'an execution whose input the event left out',
      { input: null, inputDetails: { included: false } },
      /left the input out .*; the watcher alarm pages$/,
    ],
    [
      'an execution whose input is not JSON',
      { input: '{"alert"' },
      /the input is not JSON; the watcher alarm pages$/,
    ],
    [
      'a scheduled stall check (no alert of its own)',
      {
        input: '{"requestedBy":"schedule"}',
        stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:influencegen-prod-stalled-gpu',
      },
      /not a routed alert, a periodic scale evaluation or a restore test; the watcher alarm pages$/,
    ],
    [
      'an input naming an alert the catalogue does not have',
      {
        input: JSON.stringify({
          alert: { name: 'Made_Up' },
          subject: 's',
          state: 'ALARM',
          signal: { type: 'x' },
        }),
      },
      /alert Made_Up is not in the alert catalogue; the watcher alarm pages$/,
    ],
    [
      'another environment',
      {
        stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:influencegen-staging-escalation',
      },
      /not a workflow of environment prod$/,
    ],
    [
      'a status that is not a failure',
      { status: 'SUCCEEDED' },
      /only failed, timed-out or aborted executions page$/,
    ],
  ])('%s starts nothing, with a reason', (_name, detail, reason) => {
    expect(route(failedEvent(detail))).toEqual({ action: 'ignore', reason: expect.stringMatching(reason) });
  });

  test('a 1 MiB cause still pages: the detail is cut to the field limit with its marker', () => {
    const decision = started(failedEvent({ cause: 'x'.repeat(1024 * 1024) }));
    const { detail } = (decision.input as WorkflowInput).signal as { detail: string };
    expect(textBytes(detail)).toBeLessThanOrEqual(FIELD_LIMIT_BYTES);
    expect(detail).toMatch(
      /^escalation execution .* FAILED: ThrottlingException: x+…\[truncated \d+ bytes\]$/,
    );
    expect(serializedBytes(decision.input)).toBeLessThanOrEqual(INPUT_BUDGET_BYTES);
  });

  test("the router's state machine names are the deployed ones", () => {
    const names = controlPlaneNames('prod');
    expect(
      [names.escalation, names.scaleDecision, names.stalledGpu, names.backupVerification].map((n) =>
        workflowOfStateMachine(n, 'prod'),
      ),
    ).toEqual(WORKFLOW_NAMES);
    expect(workflowOfStateMachine(names.escalation, 'staging')).toBeUndefined();
  });
});

describe('size limits keep every workflow input well under the 256 KiB of Step Functions', () => {
  const MiB = 1024 * 1024;
  const inputOf = (d: RouteDecision) =>
    (d as Extract<RouteDecision, { action: 'start' }>).input as WorkflowInput;

  test('a 1 MiB alarm reason is cut to 4 KiB with a visible marker; the page still goes out', () => {
    const event = eventFixture('eventbridge-metric-alarm');
    const detail = event.detail as { state: Record<string, unknown> };
    const huge = `Threshold Crossed: ${'9'.repeat(MiB)}`;
    const decision = decide(
      { ...event, detail: { ...detail, state: { ...detail.state, reason: huge } } },
      'prod',
      new Date('2025-03-14T09:30:00Z'),
      { checkTime: true },
    );
    expect(decision).toMatchObject({ action: 'start', workflow: 'escalation' });
    const input = inputOf(decision);
    const reason = (input.signal as AlarmSignal).reason;
    const marker = /…\[truncated (\d+) bytes\]$/.exec(reason);
    expect(marker).not.toBeNull();
    expect(reason.startsWith('Threshold Crossed: 999')).toBe(true);
    // What was kept plus what the marker says was cut is the whole reason.
    expect(textBytes(reason.slice(0, marker?.index)) + Number(marker?.[1])).toBe(textBytes(huge));
    expect(textBytes(reason)).toBeLessThanOrEqual(FIELD_LIMIT_BYTES);
    expect(serializedBytes(input)).toBeLessThanOrEqual(INPUT_BUDGET_BYTES);
    // Identity is untouched.
    expect(input.signal).toMatchObject({
      alarmName: 'influencegen-prod-Odoo_Server_High_CPU',
      state: 'ALARM',
      stateChangeTime: '2025-03-14T09:27:41.412Z',
    });
  });

  test('text of multi-byte characters, quotes and control characters is cut by its serialized size, never inside a character', () => {
    const text = '"\u0001😀é'.repeat(MiB / 4);
    const cut = truncateText(text);
    expect(textBytes(cut)).toBeLessThanOrEqual(FIELD_LIMIT_BYTES);
    expect(new TextEncoder().encode(JSON.stringify(cut)).length - 2).toBe(textBytes(cut));
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(cut).toMatch(/…\[truncated \d+ bytes\]$/);
    expect(truncateText('short')).toBe('short');
  });

  test("a composite's long list of triggering alarms is cut, saying how many were left out", () => {
    const signal = alarm(alarmName('prod', 'AI_Service_Stalled'), 'ALARM', {
      alarmKind: 'composite',
      triggeringAlarms: Array.from({ length: 5000 }, (_, i) => `influencegen-prod-Some_Input_Alarm_${i}`),
    });
    const input = inputOf(routeSignal(signal, catalogue));
    const list = (input.signal as AlarmSignal).triggeringAlarms ?? [];
    expect(list.length).toBeLessThan(5000);
    expect(list[list.length - 1]).toMatch(/^…\[truncated \d+ more\]$/);
    expect(serializedBytes(input)).toBeLessThanOrEqual(INPUT_BUDGET_BYTES);
  });

  test('an oversized identity field is never truncated: the event is ignored with a reason', () => {
    const event = eventFixture('backup-job-failed');
    const detail = event.detail as Record<string, unknown>;
    const decision = decide(
      {
        ...event,
        detail: { ...detail, resourceArn: `arn:aws:rds:eu-west-1:123456789012:db:${'a'.repeat(4096)}` },
      },
      'prod',
    );
    expect(decision).toEqual({
      action: 'ignore',
      reason: expect.stringMatching(
        /^backup-verification execution .* not started: subject is \d+ bytes, over the 1024-byte limit of an identity field \(never truncated\)$/,
      ),
    });
    const ecs = eventFixture('ecs-task-placement-failure');
    expect(decide({ ...ecs, id: 'e'.repeat(2000) }, 'prod')).toEqual({
      action: 'ignore',
      reason: expect.stringMatching(/signal\.eventId is 2000 bytes, over the 1024-byte limit/),
    });
  });

  test('an input still over budget after truncation is ignored with its size', () => {
    const signal = {
      ...alarm(alarmName('prod', 'Odoo_Server_High_CPU')),
      ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`extra${i}`, 'x'.repeat(MiB)])),
    } as AlarmSignal;
    expect(routeSignal(signal, catalogue)).toEqual({
      action: 'ignore',
      reason: expect.stringMatching(
        /not started: the workflow input is \d+ bytes after truncation, over its 32768-byte budget$/,
      ),
    });
    expect(limitInput({ subject: 's', signal })).toMatchObject({ ok: false });
  });
});

describe('the time window (the router checks it; a replay with `ops route` does not)', () => {
  const fixture = 'eventbridge-metric-alarm';
  const changed = Date.parse('2025-03-14T09:27:41.412Z');
  const at = (ms: number) => decide(eventFixture(fixture), 'prod', new Date(ms), { checkTime: true });

  test('a delivery a few minutes late is routed', () => {
    expect(at(changed + 7 * 60_000)).toMatchObject({ action: 'start', workflow: 'escalation' });
  });

  test('exactly a day late is routed; a millisecond more is not', () => {
    expect(at(changed + SIGNAL_TIME_WINDOW_MS)).toMatchObject({ action: 'start' });
    expect(at(changed + SIGNAL_TIME_WINDOW_MS + 1)).toEqual({
      action: 'ignore',
      reason:
        'alarm signal: stateChangeTime "2025-03-14T09:27:41.412Z" is more than a day before now (2025-03-15T09:27:41.413Z)',
    });
  });

  test.each(['0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z'])('an event dated %s is refused', (time) => {
    const decision = decide(
      { ...eventFixture('backup-job-failed'), time },
      'prod',
      new Date('2025-03-14T12:00:00Z'),
      {
        checkTime: true,
      },
    );
    expect(decision).toEqual({
      action: 'ignore',
      reason: expect.stringMatching(new RegExp(`^backup-job signal: time "${time}" is more than a day`)),
    });
  });

  test('an event whose time is not a timestamp is refused', () => {
    expect(
      decide({ ...eventFixture('ecs-task-placement-failure'), time: 'soon' }, 'prod', new Date(), {
        checkTime: true,
      }),
    ).toEqual({
      action: 'ignore',
      reason: 'ecs-service-action signal: time "soon" is not an ISO 8601 timestamp',
    });
  });

  test('without the check (ops route replaying a saved event) an old event is still routed', () => {
    expect(decide(eventFixture(fixture), 'prod', new Date('2030-01-01T00:00:00Z'))).toMatchObject({
      action: 'start',
    });
  });
});
