import fc from 'fast-check';
import { normaliseEvent } from '../../lambdas/core/signals/normalise';
import {
  parseAwsTimestamp,
  parseSignalTime,
  SIGNAL_TIME_WINDOW_MS,
  signalTimeProblem,
  timeWindowProblem,
} from '../../lambdas/core/signals/timestamps';
import type { ExecutionFailedSignal } from '../../lambdas/core/signals/types';
import { eventFixture } from '../fixtures/events/load';

const ok = (name: string) => {
  const result = normaliseEvent(eventFixture(name));
  if (!result.ok) throw new Error(`${name}: ${result.reason}`);
  return result.signal;
};

describe('alarm shapes normalise to one AlarmSignal', () => {
  test('the same state change arrives identically through EventBridge, the Lambda action and SNS', () => {
    const shapes = ['eventbridge-metric-alarm', 'lambda-action-metric-alarm', 'sns-metric-alarm'].map(ok);
    for (const s of shapes) {
      expect(s).toMatchObject({
        type: 'alarm',
        alarmName: 'influencegen-prod-Odoo_Server_High_CPU',
        state: 'ALARM',
        previousState: 'OK',
        alarmKind: 'metric',
      });
    }
    expect(new Set(shapes.map((s) => (s.type === 'alarm' ? s.stateChangeTime : '')))).toEqual(
      new Set([shapes[0]?.type === 'alarm' ? shapes[0].stateChangeTime : '']),
    );
    expect(shapes.map((s) => (s.type === 'alarm' ? s.delivery : ''))).toEqual([
      'eventbridge',
      'lambda-action',
      'sns',
    ]);
  });

  test.each([
    ['eventbridge-metric-math-alarm', 'metric-math'],
    ['lambda-action-metric-math-alarm', 'metric-math'],
    ['sns-metric-math-alarm', 'metric-math'],
    ['eventbridge-anomaly-alarm', 'anomaly'],
    ['eventbridge-composite-alarm', 'composite'],
    ['lambda-action-composite-alarm', 'composite'],
    ['sns-composite-alarm', 'composite'],
    ['eventbridge-insights-alarm', 'insights'],
  ])('%s is a %s alarm', (fixture, kind) => {
    expect(ok(fixture)).toMatchObject({ type: 'alarm', alarmKind: kind });
  });

  test('a composite alarm lists the alarms that triggered it', () => {
    expect(ok('eventbridge-composite-alarm')).toMatchObject({
      alarmName: 'influencegen-prod-AI_Service_Stalled',
      triggeringAlarms: expect.arrayContaining([expect.stringMatching(/^influencegen-prod-AI_/)]),
    });
  });

  test('suppression counts only when the current state carries it', () => {
    expect(ok('eventbridge-composite-suppressed-in-state')).toMatchObject({
      actionsSuppressedBy: 'WaitPeriod',
    });
    expect(ok('eventbridge-composite-suppressed-in-previous-state')).not.toHaveProperty(
      'actionsSuppressedBy',
    );
  });

  test('a return to OK is a state change like any other', () => {
    expect(ok('eventbridge-metric-alarm-ok')).toMatchObject({ state: 'OK', previousState: 'ALARM' });
  });

  test('timestamps without a colon in the offset are read', () => {
    expect(parseAwsTimestamp('2019-10-02T17:04:40.985+0000')).toBe('2019-10-02T17:04:40.985Z');
    expect(parseAwsTimestamp('2019-10-02T19:04:40.985+0200')).toBe('2019-10-02T17:04:40.985Z');
    expect(parseAwsTimestamp('yesterday')).toBeUndefined();
  });
});

describe('other events', () => {
  test.each([
    ['backup-job-failed', 'FAILED'],
    ['backup-job-aborted', 'ABORTED'],
    ['backup-job-expired', 'EXPIRED'],
    ['backup-job-completed', 'COMPLETED'],
  ])('%s carries its state', (fixture, state) => {
    expect(ok(fixture)).toMatchObject({ type: 'backup-job', state });
  });

  test('backup sizes given as strings and as numbers both become numbers', () => {
    const asString = ok('backup-job-failed');
    const asNumber = ok('backup-job-failed-numeric-size');
    for (const s of [asString, asNumber]) {
      expect(s.type === 'backup-job' && typeof s.sizeBytes).toBe('number');
    }
  });

  test('restore jobs and recovery points use status', () => {
    expect(ok('restore-job-completed')).toMatchObject({ type: 'restore-job', status: 'COMPLETED' });
    expect(ok('recovery-point-state-change')).toMatchObject({ type: 'recovery-point' });
  });

  test('ECS service actions name their service', () => {
    expect(ok('ecs-task-placement-failure')).toMatchObject({
      type: 'ecs-service-action',
      eventName: 'SERVICE_TASK_PLACEMENT_FAILURE',
      serviceName: 'odoo',
    });
    expect(ok('ecs-steady-state')).toMatchObject({ eventName: 'SERVICE_STEADY_STATE' });
  });

  test('schedules from EventBridge rules and from EventBridge Scheduler', () => {
    expect(ok('scheduled-event')).toMatchObject({ type: 'schedule' });
    expect(ok('scheduler-backup-check')).toMatchObject({ type: 'schedule', schedule: 'backup-check' });
  });
});

describe('Step Functions execution status changes', () => {
  const failed = () => ok('step-functions-execution-failed') as ExecutionFailedSignal;
  const withDetail = (detail: Record<string, unknown>) => {
    const event = eventFixture('step-functions-execution-failed');
    return normaliseEvent({ ...event, detail: { ...(event.detail as object), ...detail } });
  };

  test('a failed execution normalises with its ARN, state machine, name, error, cause and parsed input', () => {
    expect(failed()).toMatchObject({
      type: 'execution-failed',
      eventId: '8e3f0b6c-1d2a-4c5e-9f71-3a6b2d4c8e10',
      time: '2025-03-14T09:27:48Z',
      executionArn:
        'arn:aws:states:eu-west-1:123456789012:execution:influencegen-prod-escalation:Odoo_Server_High_CPU-ALARM-1741944461412',
      stateMachine: 'influencegen-prod-escalation',
      executionName: 'Odoo_Server_High_CPU-ALARM-1741944461412',
      status: 'FAILED',
      // Epoch milliseconds in the event, ISO 8601 in the signal.
      startDate: '2025-03-14T09:27:42.105Z',
      stopDate: '2025-03-14T09:27:47.931Z',
      error: 'ThrottlingException',
      cause: expect.stringContaining('Rate exceeded'),
      input: {
        status: 'parsed',
        value: {
          alert: { name: 'Odoo_Server_High_CPU' },
          subject: 'influencegen-prod-Odoo_Server_High_CPU',
          state: 'ALARM',
        },
      },
    });
  });

  test('a timed-out execution has no error or cause; its input is still parsed', () => {
    const signal = ok('step-functions-execution-timed-out');
    expect(signal).toMatchObject({
      type: 'execution-failed',
      status: 'TIMED_OUT',
      stateMachine: 'influencegen-prod-scale-decision',
      input: { status: 'parsed', value: { component: 'flux-gpu' } },
    });
    expect(signal).not.toHaveProperty('error');
    expect(signal).not.toHaveProperty('cause');
  });

  test.each<[string, Record<string, unknown>, object]>([
    [
      'left out by Step Functions (over 248 KB)',
      { input: null, inputDetails: { included: false } },
      { status: 'absent', reason: expect.stringMatching(/left the input out/) },
    ],
    ['null', { input: null }, { status: 'absent', reason: 'the event carries no input' }],
    ['not JSON', { input: '{"alert":' }, { status: 'unparsable', reason: 'the input is not JSON' }],
  ])('an input %s is recorded as such, not thrown', (_name, detail, input) => {
    const result = withDetail(detail);
    expect(result).toMatchObject({ ok: true, signal: { input } });
  });

  test('a null stopDate or error is simply absent', () => {
    const result = withDetail({ stopDate: null, error: null, cause: null });
    expect(result.ok && result.signal).not.toHaveProperty('stopDate');
    expect(result.ok && result.signal).not.toHaveProperty('error');
  });

  test('a malformed status change and another Step Functions event are refused with a reason', () => {
    expect(withDetail({ executionArn: undefined })).toEqual({
      ok: false,
      reason: expect.stringMatching(
        /^malformed Step Functions Execution Status Change: detail\.executionArn/,
      ),
    });
    expect(withDetail({ startDate: '1551225146847' })).toMatchObject({ ok: false });
    expect(
      normaliseEvent({
        ...eventFixture('step-functions-execution-failed'),
        'detail-type': 'Map Run Status Change',
      }),
    ).toEqual({
      ok: false,
      reason: expect.stringMatching(/Step Functions event "Map Run Status Change" is not one/),
    });
  });
});

describe('signal times are strict and must be within a day of now', () => {
  const NOW = new Date('2026-11-23T10:00:00.000Z');
  const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs).toISOString();

  test.each([
    ['2019-10-02T17:04:40.985+0000', '2019-10-02T17:04:40.985Z'],
    ['2019-10-02T19:04:40.985+02:00', '2019-10-02T17:04:40.985Z'],
    ['2025-03-14T09:27:41Z', '2025-03-14T09:27:41.000Z'],
    ['2025-03-14T09:27Z', '2025-03-14T09:27:00.000Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
  ])('%s reads as %s', (value, iso) => {
    expect(new Date(parseSignalTime(value) as number).toISOString()).toBe(iso);
  });

  test.each(['soon', '1', 'March 7, 2025', '2025-02-30T00:00:00Z', '2025-03-14T24:00:00Z', '2025-03-14', ''])(
    '%j is not a timestamp (Date.parse would read some of these)',
    (value) => {
      expect(parseSignalTime(value)).toBeUndefined();
      expect(timeWindowProblem('time', value, NOW)).toBe(
        `time ${JSON.stringify(value)} is not an ISO 8601 timestamp`,
      );
    },
  );

  test('a few minutes late or early is fine, and so is exactly one day either way', () => {
    for (const offset of [-7 * 60_000, 90_000, -SIGNAL_TIME_WINDOW_MS, SIGNAL_TIME_WINDOW_MS])
      expect(timeWindowProblem('time', at(offset), NOW)).toBeUndefined();
  });

  test('one millisecond beyond a day either way is refused, naming the field and the value', () => {
    expect(timeWindowProblem('stateChangeTime', at(-SIGNAL_TIME_WINDOW_MS - 1), NOW)).toBe(
      'stateChangeTime "2026-11-22T09:59:59.999Z" is more than a day before now (2026-11-23T10:00:00.000Z)',
    );
    expect(timeWindowProblem('time', at(SIGNAL_TIME_WINDOW_MS + 1), NOW)).toBe(
      'time "2026-11-24T10:00:00.001Z" is more than a day after now (2026-11-23T10:00:00.000Z)',
    );
  });

  test.each(['0001-01-01T00:00:00.000+0000', '9999-12-31T23:59:59.000+0000'])(
    'an alarm that changed state at %s is read, then refused by the window',
    (timestamp) => {
      const event = eventFixture('eventbridge-metric-alarm');
      const detail = event.detail as { state: Record<string, unknown> };
      const result = normaliseEvent({
        ...event,
        detail: { ...detail, state: { ...detail.state, timestamp } },
      });
      if (!result.ok) throw new Error(result.reason);
      expect(signalTimeProblem(result.signal, NOW)).toMatch(
        new RegExp(
          `^alarm signal: stateChangeTime "${timestamp.slice(0, 4)}-.*" is more than a day (before|after) now`,
        ),
      );
    },
  );

  test("events are judged by their envelope's time", () => {
    const signal = ok('ecs-task-placement-failure');
    expect(signalTimeProblem(signal, new Date('2025-03-14T12:00:00Z'))).toBeUndefined();
    expect(signalTimeProblem(signal, NOW)).toMatch(
      /^ecs-service-action signal: time "2025-03-14T.*" is more than a day before/,
    );
  });
});

describe('bad input is refused with a reason, never thrown', () => {
  test.each<[string, unknown, RegExp]>([
    ['null', null, /not an event object \(got null\)/],
    ['a string', 'ALARM', /not an event object \(got string\)/],
    ['an array', [], /got an array/],
    ['an unknown source', { source: 'aws.s3', 'detail-type': 'Object Created' }, /unrecognised event/],
    [
      'a configuration change',
      eventFixture('eventbridge-alarm-configuration-change'),
      /is not a state change/,
    ],
    ['a contributor event', eventFixture('eventbridge-insights-alarm-contributor'), /is not a state change/],
    [
      'a state change without a state',
      {
        source: 'aws.cloudwatch',
        'detail-type': 'CloudWatch Alarm State Change',
        detail: { alarmName: 'x' },
      },
      /malformed CloudWatch Alarm State Change: detail\.state/,
    ],
    [
      'a state change with an unknown state',
      {
        source: 'aws.cloudwatch',
        'detail-type': 'CloudWatch Alarm State Change',
        detail: { alarmName: 'x', state: { value: 'RED', timestamp: '2019-10-02T17:04:40.985+0000' } },
      },
      /detail\.state\.value/,
    ],
    [
      'an unparsable timestamp',
      {
        source: 'aws.cloudwatch',
        'detail-type': 'CloudWatch Alarm State Change',
        detail: { alarmName: 'x', state: { value: 'ALARM', timestamp: 'soon' } },
      },
      /unparsable timestamp "soon"/,
    ],
    [
      'an SNS message that is not JSON',
      { Records: [{ EventSource: 'aws:sns', Sns: { Message: 'ALARM!' } }] },
      /SNS message is not JSON/,
    ],
    [
      'an SNS record that is not from SNS',
      { Records: [{ EventSource: 'aws:sqs', body: '{}' }] },
      /malformed SNS event/,
    ],
    [
      'a backup job without an id',
      {
        source: 'aws.backup',
        'detail-type': 'Backup Job State Change',
        id: 'e',
        time: 't',
        detail: { state: 'FAILED' },
      },
      /detail\.backupJobId/,
    ],
  ])('%s', (_name, event, reason) => {
    const result = normaliseEvent(event);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(reason);
  });

  test('no JSON value makes normalisation throw', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = normaliseEvent(value);
        return typeof result.ok === 'boolean';
      }),
      { numRuns: 2000 },
    );
  });

  test('no mutation of a real alarm event makes normalisation throw', () => {
    const base = eventFixture('eventbridge-metric-alarm');
    fc.assert(
      fc.property(
        fc.constantFrom('detail', 'source', 'detail-type', 'account', 'region'),
        fc.jsonValue(),
        (key, value) => {
          const mutated = { ...base, [key]: value };
          return typeof normaliseEvent(mutated).ok === 'boolean';
        },
      ),
      { numRuns: 1000 },
    );
  });
});
