import { PublishCommand } from '@aws-sdk/client-sns';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sim/aws/local-dynamodb';
import { IC, MajorIncidentHarness, ROUTING_KEY, TOPIC } from './major-incident-harness';

let server: LocalDynamoDB;
let h: MajorIncidentHarness;

beforeAll(async () => {
  server = await startLocalDynamoDB();
});
afterAll(() => server.stop());
beforeEach(async () => {
  h = new MajorIncidentHarness(await server.freshTable());
  await h.start();
});
afterEach(() => h.stop());

const declare = (over: Record<string, unknown> = {}) => ({
  action: 'declare',
  reason: 'DRP activated: eu-west-1 database lost',
  requestedBy: IC,
  ...over,
});
const end = (over: Record<string, unknown> = {}) => ({
  action: 'end',
  reason: 'Service restored in the recovery region',
  requestedBy: IC,
  ...over,
});

describe('declaring a major incident', () => {
  test('every stakeholder list is texted and emailed, PagerDuty paged at critical severity, and the result lists who was reached', async () => {
    const run = await h.run(declare({ broadImpact: true }), '2026-12-04T10:00:00.000Z', 'drp-1');
    expect(run.error).toBeUndefined();
    const publishes = h.publishes();
    expect(publishes.map((p) => p.list)).toEqual(
      expect.arrayContaining(['CrisisManagementTeam', 'ExecutiveLeadership', 'AllEmployees']),
    );
    expect(publishes).toHaveLength(3);
    for (const p of publishes) {
      // One publish per list carries the SMS and the email text (each subscription gets its own).
      expect(p.structure).toBe('json');
      expect(p.sms).toContain('MAJOR INCIDENT (InfluenceGen prod): DRP activated: eu-west-1 database lost');
      expect(p.sms).toContain('drp-1');
      expect(p.email).toContain(`Declared by:  ${IC}`);
      expect(p.email).toContain('Notified:     CrisisManagementTeam, ExecutiveLeadership, AllEmployees');
      expect(p.subject).toBe('MAJOR INCIDENT InfluenceGen prod: DRP activated: eu-west-1 database lost');
    }
    expect(h.pagerDuty).toEqual([
      expect.objectContaining({
        routing_key: ROUTING_KEY,
        event_action: 'trigger',
        dedup_key: 'influencegen-prod-major-drp-1',
        payload: expect.objectContaining({ severity: 'critical' }),
      }),
    ]);
    expect(run.result).toEqual({
      status: 'notified',
      action: 'declare',
      majorId: 'drp-1',
      reached: [
        'CrisisManagementTeam (SMS, email)',
        'ExecutiveLeadership (SMS, email)',
        'AllEmployees (SMS, email)',
        'PagerDuty',
      ],
      failed: [],
      skipped: [],
      summary:
        'reached CrisisManagementTeam (SMS, email), ExecutiveLeadership (SMS, email), AllEmployees (SMS, email), PagerDuty',
    });
    // Recorded with the caller and the execution (its CloudTrail StartExecution event).
    expect(await h.store.record('drp-1')).toMatchObject({
      declaredBy: IC,
      reason: 'DRP activated: eu-west-1 database lost',
      broadImpact: true,
      declareExecution: expect.stringMatching(/:execution:influencegen-prod-major-incident:drp-1$/),
      deliveries: { declare: { failed: [] } },
    });
    expect(await h.store.active()).toBe('drp-1');
  });

  test('without a broad impact AllEmployees is left out, and the result says why', async () => {
    const run = await h.run(declare(), '2026-12-04T10:00:00.000Z', 'narrow');
    expect(
      h
        .publishes()
        .map((p) => p.list)
        .sort(),
    ).toEqual(['CrisisManagementTeam', 'ExecutiveLeadership']);
    expect(h.snsMock.commandCalls(PublishCommand, { TopicArn: TOPIC('AllEmployees') })).toHaveLength(0);
    expect(run.result).toMatchObject({
      status: 'notified',
      skipped: [
        { target: 'AllEmployees (SMS, email)', why: 'not notified: AllEmployees only for a broad impact' },
      ],
    });
  });

  test('a second declaration while one is active notifies nobody again, and names the active one', async () => {
    await h.run(declare({ broadImpact: true }), '2026-12-04T10:00:00.000Z', 'first');
    h.snsMock.resetHistory();
    h.pagerDuty.length = 0;
    const second = await h.run(
      declare({ reason: 'Declared again from the console' }),
      '2026-12-04T10:05:00.000Z',
      'second',
    );
    expect(second.error).toBeUndefined();
    expect(second.result).toMatchObject({
      status: 'nothing-to-send',
      outcome: 'already-active',
      majorId: 'first',
    });
    expect(h.publishes()).toEqual([]);
    expect(h.pagerDuty).toEqual([]);
    expect(await h.store.active()).toBe('first');
    expect(await h.store.record('second')).toBeUndefined();
  });

  test('two declarations at once: exactly one notifies', async () => {
    const runs = await Promise.all([
      h.run(declare({ broadImpact: true }), '2026-12-04T10:00:00.000Z', 'a'),
      h.run(declare({ broadImpact: true }), '2026-12-04T10:00:00.500Z', 'b'),
    ]);
    expect(runs.map((r) => (r.result as { status: string }).status).sort()).toEqual([
      'nothing-to-send',
      'notified',
    ]);
    expect(h.publishes()).toHaveLength(3);
    expect(h.pagerDuty).toHaveLength(1);
  });

  test('the same execution run twice (a redrive of Record) notifies its own declaration, not a refusal', async () => {
    await h.run(declare(), '2026-12-04T10:00:00.000Z', 'same');
    const again = await h.run(declare(), '2026-12-04T10:00:00.000Z', 'same');
    expect(again.result).toMatchObject({ status: 'notified', majorId: 'same' });
    // PagerDuty gets the same dedup key: one alert there.
    expect(new Set(h.pagerDuty.map((p) => p.dedup_key))).toEqual(new Set(['influencegen-prod-major-same']));
  });
});

describe('a channel that fails does not stop the others', () => {
  test('PagerDuty answering 500 after its retries: SMS and email still go out, the failure is in the result', async () => {
    h.pagerDutyStatuses = [500, 502, 503, 500, 500];
    const run = await h.run(declare({ broadImpact: true }), '2026-12-04T10:00:00.000Z', 'pd-down');
    expect(run.error).toBeUndefined();
    expect(h.publishes()).toHaveLength(3);
    // The first try and four retries.
    expect(h.pagerDuty).toHaveLength(5);
    expect(run.result).toMatchObject({
      status: 'partly-notified',
      reached: [
        'CrisisManagementTeam (SMS, email)',
        'ExecutiveLeadership (SMS, email)',
        'AllEmployees (SMS, email)',
      ],
      failed: [{ target: 'PagerDuty', error: expect.stringContaining('PagerDutyUnavailable') }],
    });
    expect(await h.store.record('pd-down')).toMatchObject({
      deliveries: { declare: { failed: [{ target: 'PagerDuty' }] } },
    });
  });

  test('PagerDuty failing once is retried and reached', async () => {
    h.pagerDutyStatuses = [503];
    const run = await h.run(declare(), '2026-12-04T10:00:00.000Z', 'pd-blip');
    expect(h.pagerDuty).toHaveLength(2);
    expect(run.result).toMatchObject({ status: 'notified', failed: [] });
  });

  test('PagerDuty refusing the event (400) is not retried, and reported', async () => {
    h.pagerDutyStatuses = [400];
    const run = await h.run(declare(), '2026-12-04T10:00:00.000Z', 'pd-bad');
    expect(h.pagerDuty).toHaveLength(1);
    expect(run.result).toMatchObject({
      status: 'partly-notified',
      failed: [{ target: 'PagerDuty', error: expect.stringContaining('PagerDutyRejected') }],
    });
  });

  test("SNS throttling one list's topic throughout: the other lists and PagerDuty are reached, the throttled list is reported", async () => {
    h.snsMock
      .on(PublishCommand, { TopicArn: TOPIC('ExecutiveLeadership') })
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' }));
    const run = await h.run(declare({ broadImpact: true }), '2026-12-04T10:00:00.000Z', 'sns-throttled');
    expect(h.snsMock.commandCalls(PublishCommand, { TopicArn: TOPIC('ExecutiveLeadership') })).toHaveLength(
      6,
    );
    expect(run.result).toMatchObject({
      status: 'partly-notified',
      reached: ['CrisisManagementTeam (SMS, email)', 'AllEmployees (SMS, email)', 'PagerDuty'],
      failed: [
        {
          target: 'ExecutiveLeadership (SMS, email)',
          error: expect.stringContaining('SNS.ThrottledException'),
        },
      ],
    });
  });
});

describe('ending a major incident', () => {
  test('notifies the same lists that it is over, resolves the PagerDuty alert and clears the active one', async () => {
    await h.run(declare({ broadImpact: true }), '2026-12-04T10:00:00.000Z', 'drp');
    h.snsMock.resetHistory();
    const ended = await h.run(end(), '2026-12-04T14:00:00.000Z', 'end-1');
    expect(ended.result).toMatchObject({ status: 'notified', action: 'end', majorId: 'drp' });
    const publishes = h.publishes();
    expect(publishes.map((p) => p.list).sort()).toEqual([
      'AllEmployees',
      'CrisisManagementTeam',
      'ExecutiveLeadership',
    ]);
    for (const p of publishes) {
      expect(p.sms).toBe(
        'Major incident OVER (InfluenceGen prod), id drp: Service restored in the recovery region.',
      );
      expect(p.email).toContain('Declared for: DRP activated: eu-west-1 database lost');
    }
    expect(h.pagerDuty.at(-1)).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'resolve',
      dedup_key: 'influencegen-prod-major-drp',
    });
    expect(await h.store.active()).toBeUndefined();
    expect(await h.store.record('drp')).toMatchObject({
      endedBy: IC,
      endReason: 'Service restored in the recovery region',
    });
  });

  test('a narrow declaration ends to the same two lists, not AllEmployees', async () => {
    await h.run(declare(), '2026-12-04T10:00:00.000Z', 'narrow');
    h.snsMock.resetHistory();
    await h.run(end(), '2026-12-04T11:00:00.000Z', 'end-narrow');
    expect(
      h
        .publishes()
        .map((p) => p.list)
        .sort(),
    ).toEqual(['CrisisManagementTeam', 'ExecutiveLeadership']);
  });

  test('ending twice is harmless: the second notifies nobody', async () => {
    await h.run(declare(), '2026-12-04T10:00:00.000Z', 'drp');
    await h.run(end(), '2026-12-04T11:00:00.000Z', 'end-1');
    h.snsMock.resetHistory();
    h.pagerDuty.length = 0;
    const again = await h.run(end(), '2026-12-04T11:01:00.000Z', 'end-2');
    expect(again.error).toBeUndefined();
    expect(again.result).toMatchObject({ status: 'nothing-to-send', outcome: 'not-active' });
    expect(again.result.summary).toContain('major incident drp was already ended');
    expect(h.publishes()).toEqual([]);
    expect(h.pagerDuty).toEqual([]);
  });

  test('an end recorded before the declaration it follows (out of order): the declaration notifies nobody', async () => {
    // Declared at 10:00, ended at 10:01, but the end's Record ran first.
    const ended = await h.run(end(), '2026-12-04T10:01:00.000Z', 'end-early');
    expect(ended.result).toMatchObject({ status: 'nothing-to-send', outcome: 'not-active' });
    const declared = await h.run(declare({ broadImpact: true }), '2026-12-04T10:00:00.000Z', 'late');
    expect(declared.result).toMatchObject({ status: 'nothing-to-send', outcome: 'superseded' });
    expect(h.publishes()).toEqual([]);
    expect(h.pagerDuty).toEqual([]);
    expect(await h.store.active()).toBeUndefined();
    // A later declaration is not held back by the old end.
    const next = await h.run(declare(), '2026-12-04T12:00:00.000Z', 'next');
    expect(next.result).toMatchObject({ status: 'notified', majorId: 'next' });
  });

  test('an end requested before the active declaration was made does not end it', async () => {
    await h.run(declare(), '2026-12-04T10:05:00.000Z', 'current');
    const stale = await h.run(end(), '2026-12-04T10:00:00.000Z', 'stale-end');
    expect(stale.result).toMatchObject({ status: 'nothing-to-send', outcome: 'not-active' });
    expect(await h.store.active()).toBe('current');
  });
});

describe('bad input is refused naming the field, before anything is recorded or sent', () => {
  test.each([
    ['no reason', declare({ reason: undefined }), 'reason: required'],
    ['a reason too short', declare({ reason: 'down' }), 'reason: required, 10 characters or more'],
    ['a reason too long', declare({ reason: 'x'.repeat(121) }), 'reason: at most 120 characters'],
    ['a reason on two lines', declare({ reason: 'database lost\nDRP now' }), 'reason: must be one line'],
    ['no requester', declare({ requestedBy: '' }), 'requestedBy: required'],
    ['broadImpact not a boolean', declare({ broadImpact: 'yes' }), 'broadImpact: must be true or false'],
    ['a misspelt field', declare({ broad: true }), 'broad: not a field of a major-incident declare'],
    [
      'an unknown action',
      { action: 'start', reason: 'DRP activated now', requestedBy: IC },
      'action: must be one of declare, end',
    ],
    ['broadImpact on an end', end({ broadImpact: true }), 'broadImpact: not a field of a major-incident end'],
    ['not an object', 'declare a major incident', 'input: must be a JSON object'],
    ['an array', [declare()], 'input: must be a JSON object'],
  ])('%s', async (_what, input, message) => {
    const run = await h.run(input, '2026-12-04T10:00:00.000Z');
    expect(run.endState).toBe('Refused');
    expect(run.error?.message).toContain(message);
    expect(h.publishes()).toEqual([]);
    expect(h.pagerDuty).toEqual([]);
    expect(await h.store.active()).toBeUndefined();
  });
});

test('two ends at once: exactly one tells everyone it is over', async () => {
  await h.run(declare({ broadImpact: true }), '2026-12-04T10:00:00.000Z', 'drp');
  h.snsMock.resetHistory();
  h.pagerDuty.length = 0;
  const runs = await Promise.all([
    h.run(end(), '2026-12-04T11:00:00.000Z', 'end-a'),
    h.run(end(), '2026-12-04T11:00:00.200Z', 'end-b'),
  ]);
  expect(runs.map((r) => (r.result as { status: string }).status).sort()).toEqual([
    'nothing-to-send',
    'notified',
  ]);
  expect(h.publishes()).toHaveLength(3);
  expect(h.pagerDuty.map((p) => p.event_action)).toEqual(['resolve']);
});

describe('without PagerDuty configured (staging, dev)', () => {
  test('SMS and email go out; the page is reported as skipped, with why', async () => {
    h.pagerDutyEnabled = false;
    const run = await h.run(declare(), '2026-12-04T10:00:00.000Z', 'staging');
    expect(h.pagerDuty).toEqual([]);
    expect(run.result).toMatchObject({
      status: 'notified',
      skipped: expect.arrayContaining([
        { target: 'PagerDuty', why: 'no PagerDuty routing key configured for this environment' },
      ]),
    });
  });
});
