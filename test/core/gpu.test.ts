import { catalogueAlert } from '../../lambdas/core/escalation/catalogue';
import { pageMessages } from '../../lambdas/core/escalation/messages';
import { escalationSteps } from '../../lambdas/core/escalation/plan';
import { remediatingIncident } from '../../lambdas/core/gpu/incident';
import { checkBudget } from '../../lambdas/core/gpu/budget';
import { assessFleet, classifyInstance, queueVerdict } from '../../lambdas/core/gpu/classify';
import { describeRemediation } from '../../lambdas/core/gpu/findings';
import { recheck } from '../../lambdas/core/gpu/recheck';
import { parseStallRequest } from '../../lambdas/core/gpu/request';
import type { InstanceObservation, QueueObservation, StallDetection } from '../../lambdas/core/gpu/types';

const NOW = new Date('2026-11-23T10:00:00Z');
const SETTINGS: StallDetection = { windowMinutes: 5, minDatapoints: 4, taskStartGraceMinutes: 5 };
const WAITING: QueueObservation = {
  waiting: [40, 41, 42, 43, 44],
  oldestAgeSeconds: [600, 660, 720, 780, 840],
};
const EMPTY: QueueObservation = { waiting: [0, 0, 0, 0, 0], oldestAgeSeconds: [0, 0, 0, 0, 0] };

function host(
  utilisation: Array<number | null>,
  extra: Partial<InstanceObservation> = {},
): InstanceObservation {
  return {
    instanceId: 'i-1',
    status: 'ACTIVE',
    task: { taskArn: 'arn:task/1', lastStatus: 'RUNNING', startedAt: '2026-11-23T09:00:00Z' },
    utilisation,
    memory: utilisation.map((u) => (u === null ? null : 62)),
    ...extra,
  };
}
const classify = (h: InstanceObservation, queue = WAITING) =>
  classifyInstance(h, queueVerdict(queue, SETTINGS), SETTINGS, NOW);

describe('GPU host classification', () => {
  test('GPU 0 % for the whole window while jobs wait: stalled', () => {
    expect(classify(host([0, 0, 0, 0, 0]))).toMatchObject({ class: 'stalled', taskArn: 'arn:task/1' });
  });

  test('any work in the window: healthy, even with missing minutes', () => {
    expect(classify(host([0, null, null, 0, 3]))).toMatchObject({ class: 'healthy' });
  });

  test('a missing datapoint is no signal, never 0 %: 4 of 5 minutes reported is enough, 3 is not', () => {
    expect(classify(host([0, 0, 0, 0, null])).class).toBe('stalled');
    expect(classify(host([0, 0, 0, null, null]))).toMatchObject({
      class: 'unknown',
      reason: expect.stringMatching(/no signal: 3 of 5 minutes/),
    });
    expect(classify(host([])).class).toBe('unknown');
  });

  test('GPU idle with the queue empty in the window: idle, not stalled', () => {
    expect(classify(host([0, 0, 0, 0, 0]), EMPTY).class).toBe('idle');
    // The queue emptied once in the window and its oldest job is younger than the window.
    const dipped: QueueObservation = { waiting: [3, 0, 2, 2, 2], oldestAgeSeconds: [30, 0, 20, 40, 60] };
    expect(classify(host([0, 0, 0, 0, 0]), dipped).class).toBe('idle');
  });

  test('a job older than the window counts as waiting even if the visible count dipped', () => {
    const dipped: QueueObservation = { waiting: [3, 0, 2, 2, 2], oldestAgeSeconds: [200, 0, 260, 280, 300] };
    expect(classify(host([0, 0, 0, 0, 0]), dipped).class).toBe('stalled');
  });

  test('the queue reporting nothing is no signal: the idle GPU is unknown', () => {
    const silent: QueueObservation = { waiting: [], oldestAgeSeconds: [] };
    expect(queueVerdict(silent, SETTINGS).workWaiting).toBeNull();
    expect(classify(host([0, 0, 0, 0, 0]), silent).class).toBe('unknown');
  });

  test('no running task, or a task younger than the grace (loading its model): unknown', () => {
    expect(classify(host([0, 0, 0, 0, 0], { task: undefined })).reason).toBe('no serving task');
    const pending = { taskArn: 't', lastStatus: 'PENDING', startedAt: '2026-11-23T09:00:00Z' };
    expect(classify(host([0, 0, 0, 0, 0], { task: pending })).reason).toBe('serving task is PENDING');
    const young = { taskArn: 't', lastStatus: 'RUNNING', startedAt: '2026-11-23T09:56:00Z' };
    expect(classify(host([0, 0, 0, 0, 0], { task: young })).class).toBe('unknown');
    const justOldEnough = { ...young, startedAt: '2026-11-23T09:55:00Z' };
    expect(classify(host([0, 0, 0, 0, 0], { task: justOldEnough })).class).toBe('stalled');
  });
});

describe('the fleet', () => {
  const busy = (id: string) => host([60, 70, 65, 72, 68], { instanceId: id });
  test('one stalled host among busy ones shows (a fleet maximum would hide it)', () => {
    const fleet = [busy('i-a'), host([0, 0, 0, 0, 0], { instanceId: 'i-b' }), busy('i-c')];
    const assessment = assessFleet(fleet, WAITING, SETTINGS, NOW);
    expect(assessment.status).toBe('stalled');
    expect(assessment.stalled).toEqual([{ instanceId: 'i-b', taskArn: 'arn:task/1' }]);
    expect(assessment.summary).toMatch(
      /i-b stalled: GPU 0 % for 5 min \(memory 62 %\) while 44 jobs wait, oldest 840 s/,
    );
  });

  test('nothing stalled but a host unjudged: no-signal; every host judged and fine: healthy', () => {
    expect(assessFleet([busy('i-a'), host([], { instanceId: 'i-b' })], WAITING, SETTINGS, NOW).status).toBe(
      'no-signal',
    );
    expect(assessFleet([busy('i-a')], WAITING, SETTINGS, NOW).status).toBe('healthy');
  });

  test('draining hosts are not judged', () => {
    const draining = host([0, 0, 0, 0, 0], { instanceId: 'i-b', status: 'DRAINING' });
    expect(
      assessFleet([busy('i-a'), draining], WAITING, SETTINGS, NOW).instances.map((i) => i.instanceId),
    ).toEqual(['i-a']);
  });
});

describe('rechecks', () => {
  const assess = (fleet: InstanceObservation[]) => assessFleet(fleet, WAITING, SETTINGS, NOW);
  test('after a restart the host must serve again (still loading is not recovered)', () => {
    expect(recheck('restart', ['i-1'], assess([host([0, 40, 60, 70, 70])])).status).toBe('recovered');
    expect(recheck('restart', ['i-1'], assess([host([0, 0, 0, 0, 0])])).status).toBe('still-stalled');
    expect(recheck('restart', ['i-1'], assess([host([], { task: undefined })])).detail).toMatch(
      /i-1 unknown/,
    );
    expect(recheck('restart', ['i-1'], assess([])).detail).toMatch(/i-1 left service/);
  });

  test('after a replacement the old host must be gone and no host stalled', () => {
    expect(
      recheck('replace', ['i-1'], assess([host([50, 50, 50, 50, 50], { instanceId: 'i-2' })])).status,
    ).toBe('recovered');
    expect(recheck('replace', ['i-1'], assess([host([0, 0, 0, 0, 0])])).detail).toMatch(
      /i-1 is still in service/,
    );
    expect(
      recheck('replace', ['i-1'], assess([host([0, 0, 0, 0, 0], { instanceId: 'i-2' })])).detail,
    ).toMatch(/i-2 stalled/);
  });
});

describe('what proves nothing', () => {
  const assess = (fleet: InstanceObservation[], queue = WAITING) => assessFleet(fleet, queue, SETTINGS, NOW);
  test('a restarted host that is only idle has not proved it serves: the next step acts on it alone', () => {
    const idle = host([0, 0, 0, 0, 0], { instanceId: 'i-1' });
    const busy = host([50, 50, 50, 50, 50], { instanceId: 'i-2' });
    expect(recheck('restart', ['i-1', 'i-2'], assess([idle, busy], EMPTY))).toMatchObject({
      status: 'still-stalled',
      stillStalled: ['i-1'],
    });
  });

  test('too few queue minutes is no signal, unless a job aged the window', () => {
    const partial: QueueObservation = {
      waiting: [40, 41, null, null, null],
      oldestAgeSeconds: [100, 160, null, null, null],
    };
    expect(queueVerdict(partial, SETTINGS).workWaiting).toBeNull();
    expect(classify(host([0, 0, 0, 0, 0]), partial).class).toBe('unknown');
  });

  test('no host in service is no signal, and no replacement is repaired before a host serves', () => {
    expect(assess([]).status).toBe('no-signal');
    expect(recheck('replace', ['i-1'], assess([]))).toMatchObject({
      status: 'still-stalled',
      detail: expect.stringMatching(/no host serves yet/),
    });
  });
});

describe('the remediation budget', () => {
  const budget = { maxReplacementsPerHour: 2, maxFleetShare: 0.5 };
  test('at most the fleet share at once, and always at least one host', () => {
    expect(checkBudget(budget, 2, 4, 0)).toEqual({ allowed: true });
    expect(checkBudget(budget, 3, 4, 0)).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/3 of 4/),
    });
    expect(checkBudget(budget, 1, 1, 0)).toEqual({ allowed: true });
  });

  test('replacements of the last hour, with those this remediation could need', () => {
    expect(checkBudget(budget, 1, 4, 1)).toEqual({ allowed: true });
    expect(checkBudget(budget, 1, 4, 2)).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/budget spent/),
    });
    expect(checkBudget(budget, 2, 4, 1)).toMatchObject({ allowed: false });
  });
});

describe('stall requests', () => {
  /** The router's input for the stall alarm, as it starts the workflow. */
  const STALL_ALARM = {
    alert: { name: 'AI_Service_Stalled', kind: 'stall', component: 'flux-gpu', severity: 'Critical' },
    subject: 'influencegen-prod-AI_Service_Stalled',
    state: 'ALARM',
    signal: {
      type: 'alarm',
      alarmName: 'influencegen-prod-AI_Service_Stalled',
      state: 'ALARM',
      stateChangeTime: '2026-11-23T10:00:00.000Z',
      reason: 'r',
      alarmKind: 'composite',
      delivery: 'eventbridge',
      triggeringAlarms: ['influencegen-prod-AI_GPU_Utilisation_Zero'],
    },
  };

  test('the router input, the periodic check and a console run', () => {
    expect(parseStallRequest(STALL_ALARM)).toEqual({ trigger: 'alarm AI_Service_Stalled', dryRun: false });
    // Only the name is needed of the alert: the catalogue has the rest.
    expect(parseStallRequest({ ...STALL_ALARM, alert: { name: 'AI_Service_Stalled' } })).toEqual({
      trigger: 'alarm AI_Service_Stalled',
      dryRun: false,
    });
    expect(parseStallRequest({ requestedBy: 'schedule' })).toEqual({
      trigger: 'periodic check',
      dryRun: false,
    });
    expect(parseStallRequest({ dryRun: true, requestedBy: 'alice' })).toEqual({
      trigger: 'manual by alice',
      dryRun: true,
    });
    expect(parseStallRequest({})).toEqual({ trigger: 'manual by console', dryRun: false });
  });

  test('another alert, an unknown field or a wrong type fails naming the field', () => {
    expect(() => parseStallRequest({ ...STALL_ALARM, alert: { name: 'Odoo_Server_High_CPU' } })).toThrow(
      /^input\.alert\.name: must be a stall alert \(AI_Service_Stalled\); Odoo_Server_High_CPU is an incident alert/,
    );
    expect(() => parseStallRequest({ ...STALL_ALARM, state: 'OK' })).toThrow(/^input\.state: must be ALARM/);
    expect(() =>
      parseStallRequest({ ...STALL_ALARM, signal: { ...STALL_ALARM.signal, dryRun: true } }),
    ).toThrow(/^input\.signal\.dryRun: not a field of an alarm signal \(type, alarmName, /);
    expect(() => parseStallRequest({ dry_run: true })).toThrow(
      /^input\.dry_run: not a field of a GPU check \(dryRun, requestedBy\)$/,
    );
    expect(() => parseStallRequest({ requestedBy: '  ' })).toThrow(/^input\.requestedBy: must not be empty$/);
    expect(() => parseStallRequest({ dryRun: 'yes' })).toThrow(/^input\.dryRun: must be true or false$/);
  });
});

test('the findings name what was seen, each step with its recheck, and what was not tried', () => {
  expect(
    describeRemediation(
      'i-1 stalled',
      [{ step: 'restart', targets: ['i-1'], recheck: 'after the task restart: i-1 stalled' }],
      'remediation budget spent',
    ),
  ).toBe(
    'Seen: i-1 stalled. Tried: 1. stopped the serving task (ECS started a new one) on i-1 -> after the task restart: i-1 stalled. Not tried: remediation budget spent.',
  );
});

test('a page of an incident with findings carries them, except in the one-line SMS', () => {
  const alert = catalogueAlert('AI_Service_Stalled');
  const incident = remediatingIncident(alert, 'influencegen-prod-AI_Service_Stalled', 'INC-1', NOW, 'x');
  const findings = 'Seen: i-1 stalled. Tried: 1. stopped the serving task on i-1.';
  const [step] = escalationSteps(alert);
  if (!step) throw new Error('Critical has a first step');
  const messages = pageMessages(
    { ...incident, status: 'open', findings },
    alert,
    step,
    ['email', 'slack', 'sms', 'pagerduty'],
    {
      environment: 'prod',
      runbookBaseUrl: 'https://r.example.com/',
      at: NOW,
    },
  );
  const byChannel = Object.fromEntries(messages.map((m) => [m.channel, m.message]));
  expect(byChannel.email).toContain(`What the control plane saw and tried: ${findings}`);
  expect(byChannel.slack).toContain('Seen and tried:');
  expect(byChannel.pagerduty).toContain('seen and tried: Seen: i-1 stalled.');
  expect(byChannel.sms).not.toContain('Seen');
});
