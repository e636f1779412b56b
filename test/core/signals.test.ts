import fc from 'fast-check';
import { normaliseEvent } from '../../lambdas/core/signals/normalise';
import { parseAwsTimestamp } from '../../lambdas/core/signals/timestamps';
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
      /unparsable timestamp soon/,
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
