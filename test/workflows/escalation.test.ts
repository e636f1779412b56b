import { EscalationHarness, harnessPerTest } from './escalation-harness';
import { routedAlarmInput } from '../support/alarm-signals';

/** Monday 10:00 UTC: business hours. */
const MONDAY_MORNING = '2026-11-23T10:00:00.000Z';
const CRITICAL_CHANNELS = ['pagerduty', 'sms', 'slack', 'email'];

const alarmInput = routedAlarmInput;

let h: EscalationHarness;
harnessPerTest(MONDAY_MORNING, (_db, harness) => (h = harness));

const byLevel = (pages: ReturnType<EscalationHarness['pages']>) =>
  pages.reduce<Record<string, string[]>>(
    (acc, p) => ({ ...acc, [p.level]: [...(acc[p.level] ?? []), p.channel] }),
    {},
  );

describe('escalation workflow', () => {
  test('a Critical left unacknowledged for 45 minutes pages L0, L1, L2 and the ultimate level, then stops', async () => {
    const run = await h.run(alarmInput('Payment_Processing_Failure_Rate', 'ALARM', h.clock));
    expect(run.error).toBeUndefined();
    expect(run.endState).toBe('EscalationExhausted');
    expect(byLevel(h.pages())).toEqual({
      '0': CRITICAL_CHANNELS,
      '1': CRITICAL_CHANNELS,
      '2': CRITICAL_CHANNELS,
      '3': CRITICAL_CHANNELS,
    });
    expect(h.clock.toISOString()).toBe('2026-11-23T10:45:00.000Z');
    const [incidentId] = new Set(h.pages().map((p) => p.incidentId));
    const incident = await h.deps.store.incident(incidentId as string);
    expect(incident?.pages.map((p) => [p.level, p.audience, p.at])).toEqual([
      [0, 'Primary On-Call (L1/L2)', '2026-11-23T10:00:00.000Z'],
      [1, 'Secondary On-Call (L2/L3)', '2026-11-23T10:15:00.000Z'],
      [2, 'Support Manager / Team Lead', '2026-11-23T10:30:00.000Z'],
      [3, 'Head of Engineering / CTO', '2026-11-23T10:45:00.000Z'],
    ]);
    expect(h.metrics.datapoints.filter((d) => d.key === 'pages')).toEqual(
      Array.from({ length: 4 }, () => ({ key: 'pages', dimensions: { severity: 'Critical' }, value: 1 })),
    );
    expect(h.metrics.total('incidentsOpened', { severity: 'Critical' })).toBe(1);
  });

  test('an acknowledgement at minute 10 stops the escalation', async () => {
    const run = await h.run(alarmInput('Payment_Processing_Failure_Rate', 'ALARM', h.clock), {
      onAwait: async ({ incidentId, harness }) => {
        harness.advance(10);
        expect(await harness.ack(incidentId)).toMatchObject({
          status: 'rejected',
          reason: expect.stringMatching(/^comment:/),
        });
        expect(await harness.ack(incidentId, 'rolling back the payment provider config')).toMatchObject({
          status: 'acknowledged',
          stoppedEscalation: true,
        });
        return 'keep-waiting';
      },
    });
    expect(run.endState).toBe('Acknowledged');
    expect(byLevel(h.pages())).toEqual({ '0': CRITICAL_CHANNELS });
    const incident = await h.deps.store.incident(h.pages()[0]?.incidentId as string);
    expect(incident).toMatchObject({
      status: 'acknowledged',
      acknowledgedAt: '2026-11-23T10:10:00.000Z',
      acknowledgementComment: 'rolling back the payment provider config',
    });
  });

  test('the same alert on the same component within 5 minutes pages nobody and increments the count', async () => {
    await h.run(alarmInput('Odoo_N8N_API_P95_Latency', 'ALARM', h.clock));
    const first = h.pages();
    expect(first.map((p) => p.channel)).toEqual(['slack', 'email']);
    h.advance(3);
    const again = await h.run(alarmInput('Odoo_N8N_API_P95_Latency', 'ALARM', h.clock));
    expect(again.endState).toBe('Recorded');
    expect(h.pages()).toHaveLength(first.length);
    expect(await h.deps.store.incident(first[0]?.incidentId as string)).toMatchObject({
      count: 2,
      lastSignalAt: '2026-11-23T10:03:00.000Z',
    });
  });

  test('a child under an open parent pages nobody and is linked to it', async () => {
    // The parent (Critical, confirmed 3 times) is acknowledged: still open.
    await h.run(alarmInput('High_N8N_AI_Service_API_Error_Rate', 'ALARM', h.clock), {
      alarmStates: ['ALARM', 'ALARM'],
      onAwait: async ({ incidentId, harness }) => {
        await harness.ack(incidentId, 'AI provider degraded, investigating');
        return 'keep-waiting';
      },
    });
    const parentPages = h.pages().length;
    const parentId = h.pages()[0]?.incidentId as string;
    h.advance(2);
    const child = await h.run(alarmInput('AI_Image_Generation_Failure_Rate', 'ALARM', h.clock));
    expect(child.endState).toBe('Recorded');
    expect(h.pages()).toHaveLength(parentPages);
    const register = (child.result as { register: { result: { action: string; incident: { id: string } } } })
      .register.result;
    expect(register.action).toBe('linked');
    expect(await h.deps.store.incident(register.incident.id)).toMatchObject({ status: 'linked', parentId });
  });

  test('inside a maintenance window an alert is recorded, not paged, unless it is a security or backup alert', async () => {
    for (const component of ['odoo', 'security', 'backup']) {
      await h.deps.store.putMaintenance({
        id: `mw-${component}`,
        component,
        start: '2026-11-23T09:00:00.000Z',
        end: '2026-11-23T12:00:00.000Z',
        reason: 'planned upgrade',
        createdBy: 'test',
      });
    }
    const suppressed = await h.run(alarmInput('Odoo_Server_High_CPU', 'ALARM', h.clock));
    expect(suppressed.endState).toBe('Recorded');
    expect(
      (suppressed.result as { register: { result: { action: string; reason: string } } }).register.result,
    ).toEqual({
      action: 'suppressed',
      reason: 'maintenance window on odoo until 2026-11-23T12:00:00.000Z (planned upgrade)',
    });
    expect(h.pages()).toEqual([]);
  });

  test('backup and security alerts are paged during maintenance', async () => {
    for (const component of ['security', 'backup']) {
      await h.deps.store.putMaintenance({
        id: `mw-${component}`,
        component,
        start: '2026-11-23T09:00:00.000Z',
        end: '2026-11-23T12:00:00.000Z',
        reason: 'planned',
        createdBy: 'test',
      });
    }
    const ackAtOnce = async ({ incidentId, harness }: { incidentId: string; harness: EscalationHarness }) => {
      await harness.ack(incidentId, 'looking');
      return 'keep-waiting' as const;
    };
    await h.run(alarmInput('Odoo_Backup_Failure', 'ALARM', h.clock), { onAwait: ackAtOnce });
    await h.run(alarmInput('Admin_Account_Multiple_Failed_Logins', 'ALARM', h.clock), { onAwait: ackAtOnce });
    expect(byLevel(h.pages())['0']).toEqual([
      ...CRITICAL_CHANNELS,
      'pagerduty-security',
      'slack-security',
      'email-security',
    ]);
  });

  test('a security alert goes to the security channels only', async () => {
    await h.run(alarmInput('Admin_Account_Multiple_Failed_Logins', 'ALARM', h.clock));
    const pages = h.pages();
    expect(new Set(pages.map((p) => p.channel))).toEqual(
      new Set(['pagerduty-security', 'slack-security', 'email-security']),
    );
    // The security path: L0, the security lead after 5 minutes, the ultimate after 10.
    expect(Object.keys(byLevel(pages))).toEqual(['0', '1', '2']);
    expect(h.clock.toISOString()).toBe('2026-11-23T10:10:00.000Z');
  });

  test('a flapping alert is dampened for 30 minutes, then paged if it is still in ALARM', async () => {
    const states: Array<'ALARM' | 'OK'> = ['ALARM', 'OK', 'ALARM', 'OK', 'ALARM'];
    const runs = [];
    for (const state of states) {
      runs.push(await h.run(alarmInput('Odoo_N8N_API_P95_Latency', state, h.clock)));
      h.advance(2);
    }
    // A re-fire after a resolution is a new incident, not a duplicate of the resolved one.
    const openedBy = runs.map(
      (r) => (r.result as { register: { result: { action: string } } }).register.result,
    );
    expect(openedBy.slice(0, 4).map((d) => d.action)).toEqual(['page', 'resolve', 'page', 'resolve']);
    const fifth = runs[4];
    expect(fifth?.visited).toContain('WaitForDampening');
    expect(fifth?.endState).toBe('EscalationExhausted');
    const incidents = [
      ...new Set(
        h
          .pages()
          .filter((p) => p.level === '0')
          .map((p) => p.incidentId),
      ),
    ];
    expect(incidents).toHaveLength(3);
    // The dampened change was paged when the dampening ended: 30 minutes after the fifth change.
    const third = await h.deps.store.incident(incidents[2] as string);
    expect(third?.pages[0]?.at).toBe('2026-11-23T10:38:00.000Z');
    expect(
      h
        .pages()
        .filter((p) => p.level === 'resolved')
        .map((p) => p.channel),
    ).toEqual(['slack', 'email', 'slack', 'email']);
  });

  test('a flapping alert that ends in OK is not paged when the dampening ends', async () => {
    const states: Array<'ALARM' | 'OK'> = ['ALARM', 'OK', 'ALARM', 'OK'];
    for (const state of states) {
      await h.run(alarmInput('Odoo_N8N_API_P95_Latency', state, h.clock));
      h.advance(2);
    }
    const dampened = alarmInput('Odoo_N8N_API_P95_Latency', 'ALARM', h.clock);
    h.advance(1);
    // The OK after the fifth change is registered before the dampened execution looks again.
    await h.run(alarmInput('Odoo_N8N_API_P95_Latency', 'OK', h.clock));
    const run = await h.run(dampened);
    expect((run.result as { register: { result: { action: string } } }).register.result.action).toBe('stale');
    expect(new Set(h.pages().map((p) => p.incidentId)).size).toBe(2);
  });

  test('running the same input twice pages once', async () => {
    const input = alarmInput('Odoo_N8N_API_P95_Latency', 'ALARM', h.clock);
    await h.run(input);
    const second = await h.run(input);
    expect(second.endState).toBe('Recorded');
    expect((second.result as { register: { result: { action: string } } }).register.result.action).toBe(
      'duplicate',
    );
    expect(h.pages().map((p) => p.channel)).toEqual(['slack', 'email']);
    expect(h.metrics.datapoints).toEqual([
      { key: 'incidentsOpened', dimensions: { severity: 'Medium' }, value: 1 },
      { key: 'pages', dimensions: { severity: 'Medium' }, value: 1 },
    ]);
  });

  test('an alert that needs 3 confirmations pages once the alarm stayed in ALARM', async () => {
    const run = await h.run(alarmInput('High_AI_Image_Generation_P95_Latency', 'ALARM', h.clock), {
      alarmStates: ['ALARM', 'ALARM'],
      onAwait: async ({ incidentId, harness }) => {
        await harness.ack(incidentId);
        return 'keep-waiting';
      },
    });
    expect(run.visited.filter((s) => s === 'CheckAlarmState')).toHaveLength(2);
    expect(byLevel(h.pages())).toEqual({ '0': ['pagerduty', 'slack', 'email'] });
  });

  test('an alarm that returns to OK before its confirmations pages nobody', async () => {
    const run = await h.run(alarmInput('High_AI_Image_Generation_P95_Latency', 'ALARM', h.clock), {
      alarmStates: ['OK'],
    });
    expect(run.endState).toBe('NotConfirmed');
    expect(h.pages()).toEqual([]);
  });

  test('a return to OK resolves the incident, stops its escalation and notifies the channels paged', async () => {
    let resolution: Promise<unknown> | undefined;
    const run = await h.run(alarmInput('Odoo_Server_High_CPU', 'ALARM', h.clock), {
      onAwait: async ({ harness }) => {
        harness.advance(7);
        resolution = harness.run(alarmInput('Odoo_Server_High_CPU', 'OK', harness.clock));
        await resolution;
        return 'keep-waiting';
      },
    });
    expect(run.endState).toBe('Acknowledged');
    expect((await resolution) as { endState: string }).toMatchObject({ endState: 'Resolved' });
    const pages = h.pages();
    expect(pages.filter((p) => p.level === '0').map((p) => p.channel)).toEqual([
      'pagerduty',
      'slack',
      'email',
    ]);
    expect(pages.filter((p) => p.level === 'resolved').map((p) => p.channel)).toEqual([
      'pagerduty',
      'slack',
      'email',
    ]);
    expect(
      JSON.parse(pages.find((p) => p.level === 'resolved' && p.channel === 'pagerduty')?.message ?? '{}'),
    ).toMatchObject({ NewStateValue: 'OK' });
    expect(await h.deps.store.incident(pages[0]?.incidentId as string)).toMatchObject({
      status: 'resolved',
      resolvedAt: '2026-11-23T10:07:00.000Z',
    });
    expect(h.metrics.total('incidentsOpened', { severity: 'High' })).toBe(1);
    expect(h.metrics.total('incidentsResolved', { severity: 'High' })).toBe(1);
  });

  test('outside business hours a High alert adds SMS and a Medium one goes to email only', async () => {
    h.clock = new Date('2026-11-28T23:00:00.000Z'); // Saturday night
    await h.run(alarmInput('Odoo_Server_High_CPU', 'ALARM', h.clock), {
      onAwait: async ({ incidentId, harness }) => {
        await harness.ack(incidentId);
        return 'keep-waiting';
      },
    });
    await h.run(alarmInput('Odoo_N8N_API_P95_Latency', 'ALARM', h.clock));
    expect(h.pages().map((p) => p.channel)).toEqual(['pagerduty', 'sms', 'slack', 'email', 'email']);
  });

  test('a page carries the runbook link and the acknowledgement command', async () => {
    await h.run(alarmInput('Payment_Processing_Failure_Rate', 'ALARM', h.clock), {
      onAwait: async () => 'timeout',
    });
    const email = h.pages().find((p) => p.channel === 'email');
    expect(email?.subject).toMatch(
      /^CRITICAL Alert: Payment_Processing_Failure_Rate on odoo \(influencegen-prod-/,
    );
    expect(email?.subject?.length).toBeLessThanOrEqual(100);
    expect(email?.message).toContain(
      'Runbook: https://runbooks.example.com/control-plane/runbooks/payment_failures.md',
    );
    expect(email?.message).toMatch(/npm run ops -- ack INC-\S+ --env prod --comment/);
    const sms = h.pages().find((p) => p.channel === 'sms');
    expect(sms?.message.length).toBeLessThanOrEqual(140);
    const slack = JSON.parse(h.pages().find((p) => p.channel === 'slack')?.message ?? '{}') as {
      source: string;
      content: { description: string };
    };
    expect(slack.source).toBe('custom');
    expect(slack.content.description).toContain(
      ':rotating_light: *CRITICAL Alert: Payment_Processing_Failure_Rate*',
    );
  });

  test('a console input naming an unknown alert fails the execution with a message naming the field', async () => {
    const run = await h.run({
      alert: { name: 'Not_An_Alert' },
      subject: 'manual',
      state: 'ALARM',
      signal: { type: 'schedule', schedule: 'manual', time: MONDAY_MORNING },
    });
    // No Catch: the execution fails at Register itself (where a redrive would resume), not retried.
    expect(run.failedAt?.state).toBe('Register');
    expect(run.error?.message ?? '').toContain('input.alert.name: is not in the alert catalogue');
    expect(h.pages()).toEqual([]);
  });
});
