import { Logger } from '@aws-lambda-powertools/logger';
import { catalogueAlert } from '../../lambdas/core/escalation/catalogue';
import { remediatingIncident } from '../../lambdas/core/gpu/incident';
import { RecordingMetrics } from '../../lambdas/core/metrics-sink';
import { makeRegisterHandler } from '../../lambdas/escalation-register';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sim/aws/local-dynamodb';
import { ScaleHarness } from './scale-harness';
import { StallHarness } from './stall-harness';
import { seedIncident } from '../support/incidents';

const START = '2026-11-23T10:00:00.000Z';
const STALL_ALARM = {
  alert: { name: 'AI_Service_Stalled', kind: 'stall', component: 'flux-gpu', severity: 'Critical' },
  subject: 'influencegen-prod-AI_Service_Stalled',
  state: 'ALARM',
  signal: {
    type: 'alarm',
    alarmName: 'influencegen-prod-AI_Service_Stalled',
    state: 'ALARM',
    stateChangeTime: START,
    reason: 'r',
    alarmKind: 'composite',
    delivery: 'eventbridge',
  },
};
const PERIODIC = { requestedBy: 'schedule' };

let db: LocalDynamoDB;
let h: StallHarness;

beforeEach(async () => {
  db = await startLocalDynamoDB();
  h = new StallHarness(db, START);
});
afterEach(async () => {
  await db.stop();
});

/** Four busy hosts; `stalled` of them stop serving 10 minutes before the run, for `cause`. */
function fleet(stalled: Record<string, 'task' | 'host' | 'outside'> = {}) {
  for (const id of ['i-a', 'i-b', 'i-c', 'i-d']) h.hosts.add(id);
  for (const [id, cause] of Object.entries(stalled))
    h.hosts.stall(id, cause, new Date(Date.parse(START) - 10 * 60_000));
}

describe('stalled-gpu workflow (state-machines/stalled-gpu.asl.json, run locally)', () => {
  test('one stalled host among three busy ones: only its task is restarted; repaired, resolved, the team told, nobody paged', async () => {
    fleet({ 'i-c': 'task' });
    const run = await h.run(PERIODIC);
    expect(run.error).toBeUndefined();
    expect(run.endState).toBe('Repaired');
    expect(h.hosts.actions.map((a) => [a.action, a.instanceId])).toEqual([['stop-task', 'i-c']]);
    expect(h.escalations).toEqual([]);
    expect(new Set(h.notices.map((n) => n.channel))).toEqual(new Set(['slack', 'email']));
    expect(h.notices.find((n) => n.channel === 'email')?.message).toMatch(/stopped the serving task.*i-c/);
    const incident = await h.incident();
    expect(incident?.status).toBe('resolved');
    expect(incident?.pages).toEqual([]);
  });

  test('a stall fixed by the task restart: GPU scale-out is held while it is handled, released after', async () => {
    fleet({ 'i-b': 'task' });
    // The scale-decision workflow, on the same state table, asked to grow the GPU fleet by hand.
    const scale = new ScaleHarness(db, START);
    const growFleet = async () => {
      scale.clock = h.clock;
      const run = await scale.run({ component: 'flux-gpu', to: 3, reason: 'campaign' });
      return run.result as { plan: { result: { decision: { action: string; guardrails: string[] } } } };
    };
    const during: Array<{ action: string; guardrails: string[] }> = [];
    h.onRecheck = async () => {
      during.push((await growFleet()).plan.result.decision);
    };
    const run = await h.run(STALL_ALARM);
    expect(run.endState).toBe('Repaired');
    expect(during).toEqual([
      expect.objectContaining({ action: 'hold', guardrails: expect.arrayContaining(['stall']) }),
    ]);
    h.advance(10 * 60);
    expect((await growFleet()).plan.result.decision.action).toBe('scale');
    expect(scale.updates()).toEqual([3]);
    expect(await h.store.latestOpenIncident('AI_Service_Stalled')).toBeUndefined();
    expect(h.hosts.inService()).toEqual(['i-a', 'i-b', 'i-c', 'i-d']);
  });

  test('a stall fixed only by replacing the host: restart, recheck, replace (desired capacity kept), recheck, resolved', async () => {
    fleet({ 'i-c': 'host' });
    const run = await h.run(STALL_ALARM);
    expect(run.endState).toBe('Repaired');
    expect(h.hosts.actions.map((a) => [a.action, a.instanceId])).toEqual([
      ['stop-task', 'i-c'],
      ['replace', 'i-c'],
    ]);
    expect(h.hosts.inService()).toHaveLength(4);
    expect(h.hosts.inService()).not.toContain('i-c');
    expect(h.escalations).toEqual([]);
    expect((await h.incident())?.status).toBe('resolved');
    expect(h.metrics.datapoints).toEqual([
      { key: 'remediations', dimensions: { workflow: 'stalled-gpu', action: 'restart' }, value: 1 },
      { key: 'remediations', dimensions: { workflow: 'stalled-gpu', action: 'replace' }, value: 1 },
    ]);
  });

  test('a stall not fixed: one Critical escalation naming both attempts and what each recheck saw; the escalation pages it', async () => {
    fleet({ 'i-c': 'outside' });
    const run = await h.run(STALL_ALARM);
    expect(run.endState).toBe('Escalated');
    expect(h.escalations).toHaveLength(1);
    const [escalation] = h.escalations;
    if (!escalation) throw new Error('no escalation');
    expect(escalation.input.alert).toMatchObject({ name: 'AI_Service_Stalled', severity: 'Critical' });
    const detail = escalation.input.signal.detail;
    expect(detail).toMatch(
      /1\. stopped the serving task \(ECS started a new one\) on i-c -> after the task restart: i-c stalled/,
    );
    expect(detail).toMatch(
      /2\. marked unhealthy for Auto Scaling to replace i-c -> after the replacement: i-c-r\d+ stalled/,
    );
    expect(h.notices).toEqual([]);
    // The escalation workflow takes the remediating incident over and pages it with the findings.
    const incident = await h.incident();
    expect(incident?.status).toBe('remediating');
    const alert = catalogueAlert('AI_Service_Stalled');
    const decision = await h.store.registry.register(escalation.input, alert, h.clock, 'register');
    expect(decision).toMatchObject({ action: 'page', incident: { id: incident?.id, status: 'open' } });
    expect(decision.action === 'page' && decision.incident.findings).toBe(detail);
  });

  test('once people fixed a paged stall, the next check finding every host healthy resolves the incident', async () => {
    fleet({ 'i-c': 'outside' });
    await h.run(STALL_ALARM);
    const [page] = h.escalations;
    if (!page) throw new Error('no escalation');
    // The escalation workflow's Register takes the incident over and pages it.
    await makeRegisterHandler({
      config: h.config,
      store: h.store,
      logger: new Logger({ logLevel: 'SILENT' }),
      metrics: new RecordingMetrics(),
      now: () => h.clock,
    })({
      input: page.input,
      phase: 'register',
    });
    expect((await h.incident())?.status).toBe('open');
    const replacement = h.hosts.inService().find((id) => id.startsWith('i-c')) as string;
    h.hosts.clear(replacement);
    h.advance(20 * 60);
    const run = await h.run(PERIODIC);
    expect(run.endState).toBe('Resolved');
    expect(h.escalations[1]?.input).toMatchObject({
      alert: { name: 'AI_Service_Stalled' },
      state: 'OK',
      signal: { detail: expect.stringMatching(/^every GPU host is healthy again/) },
    });
    expect(h.hosts.actions).toHaveLength(2);
  });

  test('two stalled hosts, the restart repairs one: only the other is replaced', async () => {
    fleet({ 'i-b': 'task', 'i-c': 'host' });
    const run = await h.run(STALL_ALARM);
    expect(run.endState).toBe('Repaired');
    expect(h.hosts.actions.map((a) => [a.action, a.instanceId])).toEqual([
      ['stop-task', 'i-b'],
      ['stop-task', 'i-c'],
      ['replace', 'i-c'],
    ]);
    expect(h.hosts.inService()).toContain('i-b');
  });

  test('an AWS failure mid-remediation pages Critical with what was started, and keeps later triggers out', async () => {
    fleet({ 'i-c': 'host' });
    h.stopTaskFailures = ['Ecs.AccessDeniedException'];
    const run = await h.run(STALL_ALARM);
    expect(run.endState).toBe('Escalated');
    expect(h.escalations[0]?.input.signal.detail).toMatch(
      /1\. stopped the serving task \(ECS started a new one\) on i-c -> not rechecked \(the workflow failed before\)\. Not tried: the workflow failed before finishing: Ecs\.AccessDeniedException/,
    );
    h.advance(5 * 60);
    const later = await h.run(PERIODIC);
    expect(later.visited).toContain('Joined');
    expect(h.hosts.actions).toEqual([]);
  });

  test('a failure while taking the claim or opening the incident escalates; the escalation takes the incident over', async () => {
    fleet({ 'i-c': 'task' });
    jest
      .spyOn(h.stalls, 'actionsSince')
      .mockRejectedValueOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const run = await h.run(STALL_ALARM);
    expect(run.endState).toBe('Escalated');
    expect(h.hosts.actions).toEqual([]);
    const [page] = h.escalations;
    expect(page?.input.signal.detail).toMatch(
      /Tried: nothing\. Not tried: the workflow failed before finishing: Rate exceeded/,
    );
    const alert = catalogueAlert('AI_Service_Stalled');
    const input = page?.input as never;
    const decision = await h.store.registry.register(input, alert, h.clock, 'register');
    expect(decision).toMatchObject({
      action: 'page',
      incident: { status: 'open', id: (await h.incident())?.id },
    });
  });

  test('a remediating incident its run left behind (no claim) is resolved by the next healthy check', async () => {
    fleet();
    await seedIncident(
      h.store,
      remediatingIncident(
        catalogueAlert('AI_Service_Stalled'),
        STALL_ALARM.subject,
        'INC-orphan',
        h.clock,
        'seen',
      ),
      h.clock,
    );
    const run = await h.run(PERIODIC);
    expect(run.endState).toBe('Resolved');
    expect(h.escalations[0]?.input).toMatchObject({ state: 'OK', subject: STALL_ALARM.subject });
  });

  test('GPU metrics missing: the no-signal path; nothing is remediated, nobody paged, the check recorded', async () => {
    for (const id of ['i-a', 'i-b']) h.hosts.add(id, { silent: true });
    const run = await h.run(STALL_ALARM);
    expect(run.endState).toBe('Recorded');
    expect(run.visited).toContain('NoSignal');
    expect(h.hosts.actions).toEqual([]);
    expect(h.escalations).toEqual([]);
    expect(await h.incident()).toBeUndefined();
    const [record] = await h.stalls.checksSince(new Date(0));
    expect(record).toMatchObject({ outcome: 'no-signal' });
    expect(String(record?.summary)).toMatch(/i-a unknown: no signal: 0 of 5 minutes/);
  });

  test('remediation budget spent: escalates at once and touches nothing', async () => {
    fleet({ 'i-c': 'task' });
    for (const instanceId of ['i-x', 'i-y'])
      await h.stalls.recordAction({
        at: new Date(Date.parse(START) - 20 * 60_000).toISOString(),
        executionId: 'earlier',
        step: 'replace',
        instanceId,
        incidentId: 'INC-earlier',
      });
    const run = await h.run(STALL_ALARM);
    expect(run.endState).toBe('Escalated');
    expect(h.hosts.actions).toEqual([]);
    expect(h.escalations).toHaveLength(1);
    expect(h.escalations[0]?.input.signal.detail).toMatch(
      /Tried: nothing\. Not tried: remediation budget spent: 2 of 2 host replacements used in the last hour/,
    );
  });

  test('more hosts stalled than the fleet share allows: people look at it, nothing is touched', async () => {
    fleet({ 'i-a': 'outside', 'i-b': 'outside', 'i-c': 'outside' });
    const run = await h.run(PERIODIC);
    expect(run.endState).toBe('Escalated');
    expect(h.hosts.actions).toEqual([]);
    expect(h.escalations[0]?.input.signal.detail).toMatch(/3 of 4 GPU hosts stalled: more than 2 at once/);
  });

  test('two triggers for one stall: the second joins the open incident; one incident, one remediation', async () => {
    fleet({ 'i-c': 'host' });
    let second: Awaited<ReturnType<StallHarness['run']>> | undefined;
    h.onRecheck = async (step) => {
      if (step === 'restart') second = await h.run(STALL_ALARM, 'second-trigger');
    };
    const first = await h.run(PERIODIC, 'first-trigger');
    expect(first.endState).toBe('Repaired');
    expect(second?.endState).toBe('Recorded');
    expect(second?.visited).toContain('Joined');
    expect(h.hosts.actions.map((a) => a.action)).toEqual(['stop-task', 'replace']);
    const incident = await h.incident();
    expect(incident).toMatchObject({ status: 'resolved', count: 2 });
    // A retried Act of the second trigger does not count it twice.
    expect(await h.stalls.join(incident?.id ?? '', second?.executionId ?? '', h.clock)).toBe(false);
    expect((await h.store.incident(incident?.id ?? ''))?.count).toBe(2);
  });

  test('a maintenance window on flux-gpu holds the workflow back: recorded, nothing touched, no incident', async () => {
    fleet({ 'i-c': 'task' });
    await h.store.putMaintenance({
      id: 'm1',
      component: 'flux-gpu',
      start: '2026-11-23T09:30:00.000Z',
      end: '2026-11-23T11:00:00.000Z',
      reason: 'new Flux image',
      createdBy: 'alice',
    });
    const run = await h.run(STALL_ALARM);
    expect(run.endState).toBe('Recorded');
    expect(run.visited).toContain('Held');
    expect(h.hosts.actions).toEqual([]);
    expect(await h.incident()).toBeUndefined();
    const [record] = await h.stalls.checksSince(new Date(0));
    expect(String(record?.findings)).toMatch(
      /maintenance window on flux-gpu until 2026-11-23T11:00:00.000Z \(new Flux image\)/,
    );
  });

  test('a dry run confirms and reports; nothing is changed or recorded', async () => {
    fleet({ 'i-c': 'task' });
    const run = await h.run({ dryRun: true, requestedBy: 'alice' });
    expect(run.endState).toBe('DryRunReport');
    expect(run.result).toMatchObject({ status: 'stalled', dryRun: true, trigger: 'manual by alice' });
    expect(run.result.stalled).toEqual([{ instanceId: 'i-c', taskArn: expect.stringContaining('i-c') }]);
    expect(h.hosts.actions).toEqual([]);
    expect(await h.incident()).toBeUndefined();
    expect(await h.stalls.checksSince(new Date(0))).toEqual([]);
  });

  test.each([
    ['a misspelt field', { dryrun: true }, 'input.dryrun: not a field of a GPU check (dryRun, requestedBy)'],
    ['a dry run that is not a boolean', { dryRun: 'yes' }, 'input.dryRun:'],
    ['an alarm input in state OK', { ...STALL_ALARM, state: 'OK' }, 'input.state: must be ALARM'],
  ])(
    'a bad console input (%s) fails the execution naming the field; nothing is changed or recorded',
    async (_case, input, message) => {
      fleet({ 'i-c': 'task' });
      const run = await h.run(input);
      expect(run.endState).toBe('InvalidRequest');
      expect(run.error?.message ?? '').toContain(message);
      expect(h.hosts.actions).toEqual([]);
      expect(await h.incident()).toBeUndefined();
      expect(await h.stalls.checksSince(new Date(0))).toEqual([]);
    },
  );

  test('run twice with the same input: the second run finds the fleet healthy and changes nothing', async () => {
    fleet({ 'i-c': 'task' });
    await h.run(STALL_ALARM);
    h.advance(15 * 60);
    const again = await h.run(STALL_ALARM);
    expect(again.endState).toBe('Recorded');
    expect(again.visited).toContain('NothingStalled');
    expect(h.hosts.actions).toHaveLength(1);
  });
});
