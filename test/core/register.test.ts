import { ALERT_CATALOGUE } from '../../lib/config/alerts';
import { register } from '../../lambdas/core/escalation/register';
import type { EscalationInput, Incident, RegisterSnapshot } from '../../lambdas/core/escalation/types';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const alert = (name: string) => {
  const found = ALERT_CATALOGUE.find((a) => a.name === name);
  if (!found) throw new Error(name);
  return found;
};
const input = (name: string, state: 'ALARM' | 'OK' = 'ALARM'): EscalationInput => ({
  alert: { name, kind: 'incident', component: alert(name).component, severity: alert(name).severity },
  subject: `influencegen-prod-${name}`,
  state,
  signal: {
    type: 'alarm',
    alarmName: `influencegen-prod-${name}`,
    state,
    stateChangeTime: NOW.toISOString(),
    reason: '',
    alarmKind: 'metric',
    delivery: 'eventbridge',
  },
});
const empty: RegisterSnapshot = { signalAlreadySeen: false, stateChanges: [], activeMaintenance: [] };
const incident = (over: Partial<Incident>): Incident => ({
  id: 'INC-20261123T0958-aaaaaa',
  alertName: 'Odoo_Server_High_CPU',
  component: 'odoo',
  subject: 's',
  severity: 'High',
  correlationGroup: 'odoo_resources',
  acknowledgementRequiresComment: false,
  status: 'open',
  openedAt: '2026-11-23T09:58:00.000Z',
  lastSignalAt: '2026-11-23T09:58:00.000Z',
  count: 1,
  members: ['Odoo_Server_High_CPU'],
  pages: [],
  ...over,
});
const decide = (name: string, snapshot: Partial<RegisterSnapshot> = {}, state: 'ALARM' | 'OK' = 'ALARM') =>
  register(input(name, state), alert(name), { ...empty, ...snapshot }, NOW).decision;

describe('register: correlation groups', () => {
  test('an alert of a young group incident joins it instead of paging', () => {
    expect(decide('Odoo_Server_Memory_Utilization', { groupIncident: incident({}) })).toMatchObject({
      action: 'grouped',
      incidentId: 'INC-20261123T0958-aaaaaa',
    });
  });

  test('a group holds at most 10 alerts; the eleventh opens its own incident', () => {
    const members = Array.from({ length: 10 }, (_, i) => `Member_${i}`);
    expect(decide('Odoo_Server_Memory_Utilization', { groupIncident: incident({ members }) })).toMatchObject({
      action: 'page',
    });
    expect(
      decide('Odoo_Server_Memory_Utilization', { groupIncident: incident({ members: members.slice(1) }) }),
    ).toMatchObject({ action: 'grouped' });
  });

  test('a group incident older than 5 minutes gathers nothing more', () => {
    expect(
      decide('Odoo_Server_Memory_Utilization', {
        groupIncident: incident({ openedAt: '2026-11-23T09:54:59.000Z' }),
      }),
    ).toMatchObject({ action: 'page' });
    expect(
      decide('Odoo_Server_Memory_Utilization', {
        groupIncident: incident({ openedAt: '2026-11-23T09:55:00.000Z' }),
      }),
    ).toMatchObject({ action: 'grouped' });
  });

  test('a more severe alert is not hidden in a milder group incident', () => {
    expect(
      decide('Odoo_Server_Low_Disk_Space', { groupIncident: incident({ severity: 'High' }) }),
    ).toMatchObject({ action: 'page' });
  });
});

describe('register: dedup, flapping and order of the rules', () => {
  test('exactly 5 minutes after the last signal still deduplicates; a second later pages', () => {
    const resolved = incident({ status: 'resolved', lastSignalAt: '2026-11-23T09:55:00.000Z' });
    expect(decide('Odoo_Server_High_CPU', { latestIncident: resolved })).toMatchObject({
      action: 'deduplicated',
    });
    expect(
      decide('Odoo_Server_High_CPU', {
        latestIncident: { ...resolved, lastSignalAt: '2026-11-23T09:54:59.000Z' },
      }),
    ).toMatchObject({ action: 'page' });
  });

  test('the fifth state change inside 10 minutes starts a 30-minute dampening; the fourth does not', () => {
    const changes = ['2026-11-23T09:51:00.000Z', '2026-11-23T09:53:00.000Z', '2026-11-23T09:55:00.000Z'];
    expect(
      register(
        input('Odoo_Server_High_CPU'),
        alert('Odoo_Server_High_CPU'),
        { ...empty, stateChanges: changes },
        NOW,
      ).decision.action,
    ).toBe('page');
    const outcome = register(
      input('Odoo_Server_High_CPU'),
      alert('Odoo_Server_High_CPU'),
      { ...empty, stateChanges: ['2026-11-23T09:50:30.000Z', ...changes] },
      NOW,
    );
    expect(outcome.decision).toMatchObject({
      action: 'suppressed',
      reason: expect.stringMatching(/^flapping/),
    });
    expect(outcome.flappingUntil).toBe('2026-11-23T10:30:00.000Z');
  });

  test('state changes older than the window do not count', () => {
    const old = [
      '2026-11-23T09:40:00.000Z',
      '2026-11-23T09:45:00.000Z',
      '2026-11-23T09:49:00.000Z',
      '2026-11-23T09:49:59.000Z',
    ];
    expect(decide('Odoo_Server_High_CPU', { stateChanges: old })).toMatchObject({ action: 'page' });
  });

  test('a duplicate is recognised before anything else, even during maintenance', () => {
    const window = {
      component: 'odoo',
      start: '2026-11-23T09:00:00Z',
      end: '2026-11-23T11:00:00Z',
      reason: 'x',
    };
    expect(
      decide('Odoo_Server_High_CPU', { signalAlreadySeen: true, activeMaintenance: [window] }),
    ).toMatchObject({ action: 'duplicate' });
  });

  test('a return to OK resolves the open incident whatever the noise controls say', () => {
    expect(
      decide(
        'Odoo_Server_High_CPU',
        { latestIncident: incident({}), flappingUntil: '2026-11-23T10:20:00.000Z' },
        'OK',
      ),
    ).toEqual({
      action: 'resolve',
      reason: 'Odoo_Server_High_CPU returned to OK',
      incidentId: 'INC-20261123T0958-aaaaaa',
    });
  });

  test('Medium and Low pages have one step; Critical ones four', () => {
    const medium = decide('Odoo_N8N_API_P95_Latency');
    const critical = decide('Payment_Processing_Failure_Rate');
    expect(medium.action === 'page' && medium.steps.map((s) => [s.level, s.waitSeconds, s.isLast])).toEqual([
      [0, 0, true],
    ]);
    expect(
      critical.action === 'page' && critical.steps.map((s) => [s.level, s.waitSeconds, s.isLast]),
    ).toEqual([
      [0, 900, false],
      [1, 900, false],
      [2, 900, false],
      [3, 0, true],
    ]);
  });
});

describe('register: an incident a workflow is remediating', () => {
  const remediating = incident({
    alertName: 'AI_Service_Stalled',
    component: 'flux-gpu',
    severity: 'Critical',
    status: 'remediating',
    findings: 'Seen: i-1 stalled.',
  });
  const fromWorkflow = (detail: string): EscalationInput => ({
    ...input('AI_Service_Stalled'),
    signal: { type: 'workflow', workflow: 'stalled-gpu', eventId: 'e', time: NOW.toISOString(), detail },
  });

  test('its workflow escalating takes it over: paged now, open, with what was seen and tried', () => {
    const detail = 'Seen: i-1 stalled. Tried: 1. stopped the serving task.';
    const decision = register(
      fromWorkflow(detail),
      alert('AI_Service_Stalled'),
      { ...empty, latestIncident: remediating, activeMaintenance: [] },
      NOW,
    ).decision;
    expect(decision).toMatchObject({
      action: 'page',
      incident: { id: remediating.id, status: 'open', findings: detail, pages: [] },
    });
  });

  test('the alarm returning to OK resolves it', () => {
    expect(decide('AI_Service_Stalled', { latestIncident: remediating }, 'OK')).toMatchObject({
      action: 'resolve',
      incidentId: remediating.id,
    });
  });

  test('another alarm signal while it is remediated only counts', () => {
    expect(decide('AI_Service_Stalled', { latestIncident: remediating })).toMatchObject({
      action: 'deduplicated',
      incidentId: remediating.id,
    });
  });
});
