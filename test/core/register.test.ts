import type { RuntimeAlert } from '../../lib/config/alert-runtime';
import { catalogueAlert } from '../../lambdas/core/escalation/catalogue';
import { routedAlarmInput } from '../support/alarm-signals';
import { memberKey, phaseKey, signalKey } from '../../lambdas/core/escalation/ids';
import { register, type RegisterOutcome, type RegisterPhase } from '../../lambdas/core/escalation/register';
import type {
  AlertState,
  EscalationInput,
  Incident,
  MaintenanceWindow,
  RegisterDecision,
  RegisterSnapshot,
} from '../../lambdas/core/escalation/types';

/** `10:00` or `10:00:30` on the test day, as ISO. */
const iso = (time: string) =>
  new Date(`2026-11-23T${time.length === 5 ? `${time}:00` : time}.000Z`).toISOString();
const at = (time: string) => new Date(iso(time));
const NOW = at('10:00');

const alert = (name: string): RuntimeAlert => catalogueAlert(name);
const subjectOf = (name: string) => `influencegen-prod-${name}`;
const memberOf = (name: string) => memberKey(name, subjectOf(name));
const alertField = (name: string): EscalationInput['alert'] => ({
  name,
  kind: alert(name).kind,
  component: alert(name).component,
  severity: alert(name).severity,
});

/** A CloudWatch alarm state change of a catalogue alert, at its own change time, as routed. */
const alarm = (name: string, state: 'ALARM' | 'OK' = 'ALARM', time = '10:00'): EscalationInput =>
  routedAlarmInput(name, state, iso(time));

/** An incident a control-plane workflow raises (a remediation gave up, an escalation failed). */
const fromWorkflow = (name: string, workflow: string, detail: string, time = '10:00'): EscalationInput => ({
  alert: alertField(name),
  subject: subjectOf(name),
  state: 'ALARM',
  signal: { type: 'workflow', workflow, eventId: `${workflow}-${time}`, time: iso(time), detail },
});

const EMPTY: RegisterSnapshot = { alertState: { transitions: [] }, activeMaintenance: [] };

const incident = (over: Partial<Incident> = {}): Incident => ({
  id: 'INC-20261123T0958-aaaaaa',
  alertName: 'Odoo_Server_High_CPU',
  component: 'odoo',
  subject: subjectOf('Odoo_Server_High_CPU'),
  severity: 'High',
  correlationGroup: 'odoo_resources',
  acknowledgementRequiresComment: false,
  status: 'open',
  openedAt: iso('09:58'),
  lastSignalAt: iso('09:58'),
  count: 1,
  members: ['Odoo_Server_High_CPU'],
  activeMembers: [memberOf('Odoo_Server_High_CPU')],
  pages: [],
  ...over,
});

/** The state of an alert whose ALARM (at `time`) belongs to `owned`. */
const inAlarm = (name: string, owned: Pick<Incident, 'id'>, time = '09:58'): AlertState => ({
  lastState: 'ALARM',
  lastChangeAt: iso(time),
  lastSignalKey: signalKey(alarm(name, 'ALARM', time)),
  transitions: [iso(time)],
  incidentId: owned.id,
});

/** A snapshot in which the alert's ALARM belongs to `owned`, as the state table would load it. */
const owning = (name: string, owned: Incident): Partial<RegisterSnapshot> => ({
  alertState: inAlarm(name, owned),
  alertIncident: owned,
});

const run = (
  input: EscalationInput,
  snapshot: Partial<RegisterSnapshot> = {},
  now: Date = NOW,
  phase: RegisterPhase = 'register',
  definition: RuntimeAlert = alert(input.alert.name),
): RegisterOutcome => register(input, definition, { ...EMPTY, ...snapshot }, now, phase);

const decide = (name: string, snapshot: Partial<RegisterSnapshot> = {}, state: 'ALARM' | 'OK' = 'ALARM') =>
  run(alarm(name, state), snapshot).decision;

type Page = Extract<RegisterDecision, { action: 'page' }>;
const paged = (outcome: RegisterOutcome): Page => {
  expect(outcome.decision.action).toBe('page');
  return outcome.decision as Page;
};

const window: MaintenanceWindow = {
  component: 'odoo',
  start: iso('09:00'),
  end: iso('11:00'),
  reason: 'Odoo upgrade',
};

describe('register: a new incident', () => {
  test('an ALARM with no history opens an incident and pages from the first step', () => {
    const outcome = run(alarm('Odoo_Server_High_CPU'));
    const page = paged(outcome);
    expect(page).toMatchObject({
      firstStep: 0,
      takenOver: false,
      incident: {
        alertName: 'Odoo_Server_High_CPU',
        subject: subjectOf('Odoo_Server_High_CPU'),
        severity: 'High',
        correlationGroup: 'odoo_resources',
        status: 'open',
        openedAt: iso('10:00'),
        count: 1,
        members: ['Odoo_Server_High_CPU'],
        activeMembers: [memberOf('Odoo_Server_High_CPU')],
        pages: [],
      },
    });
    expect(outcome.changes).toBe(true);
    expect(outcome.key).toBe(signalKey(alarm('Odoo_Server_High_CPU')));
    expect(outcome.alertState).toEqual({
      lastState: 'ALARM',
      lastChangeAt: iso('10:00'),
      lastSignalKey: signalKey(alarm('Odoo_Server_High_CPU')),
      transitions: [iso('10:00')],
      incidentId: page.incident.id,
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

  test('incident id is derived from the signal and its own time', () => {
    const signal = alarm('Payment_Processing_Failure_Rate', 'ALARM', '10:00:20');
    const first = paged(run(signal, {}, at('10:00:30')));
    const retried = paged(run(signal, {}, at('10:03:10')));
    expect(retried.incident.id).toBe(first.incident.id);
    expect(first.incident.id).toMatch(/^INC-20261123T1000-[0-9a-f]{6}$/);
    // The incident itself is opened when Register runs.
    expect(first.incident.openedAt).toBe(iso('10:00:30'));
    expect(retried.incident.openedAt).toBe(iso('10:03:10'));
    // Another change of the same alarm is another incident.
    const later = paged(run(alarm('Payment_Processing_Failure_Rate', 'ALARM', '10:04'), {}, at('10:04')));
    expect(later.incident.id).not.toBe(first.incident.id);
  });
});

describe('register: correlation groups', () => {
  test('an alert of a young group incident joins it instead of paging', () => {
    const outcome = run(alarm('Odoo_Server_Memory_Utilization'), { groupIncident: incident() });
    expect(outcome.decision).toMatchObject({ action: 'grouped', incidentId: 'INC-20261123T0958-aaaaaa' });
    expect(outcome.alertState).toMatchObject({ lastState: 'ALARM', incidentId: 'INC-20261123T0958-aaaaaa' });
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
      decide('Odoo_Server_Memory_Utilization', { groupIncident: incident({ openedAt: iso('09:54:59') }) }),
    ).toMatchObject({ action: 'page' });
    expect(
      decide('Odoo_Server_Memory_Utilization', { groupIncident: incident({ openedAt: iso('09:55') }) }),
    ).toMatchObject({ action: 'grouped' });
  });

  test('a more severe alert is not hidden in a milder group incident', () => {
    expect(
      decide('Odoo_Server_Low_Disk_Space', { groupIncident: incident({ severity: 'High' }) }),
    ).toMatchObject({ action: 'page' });
    expect(
      decide('Odoo_Server_Memory_Utilization', { groupIncident: incident({ severity: 'Critical' }) }),
    ).toMatchObject({ action: 'grouped' });
  });

  test('a resolved group incident gathers nothing', () => {
    expect(
      decide('Odoo_Server_Memory_Utilization', {
        groupIncident: incident({ status: 'resolved', resolvedAt: iso('09:59') }),
      }),
    ).toMatchObject({ action: 'page' });
  });

  test('a grouped alert returning to OK leaves the group incident open while another member is in ALARM', () => {
    const grouped = incident({
      count: 2,
      members: ['Odoo_Server_High_CPU', 'Odoo_Server_Memory_Utilization'],
      activeMembers: [memberOf('Odoo_Server_High_CPU'), memberOf('Odoo_Server_Memory_Utilization')],
    });
    const left = run(alarm('Odoo_Server_Memory_Utilization', 'OK', '10:00'), {
      alertState: inAlarm('Odoo_Server_Memory_Utilization', grouped, '09:59'),
      alertIncident: grouped,
      groupIncident: grouped,
    });
    expect(left.decision).toMatchObject({ action: 'left-group', incidentId: grouped.id });
    expect(left.changes).toBe(true);
    expect(left.alertState.lastState).toBe('OK');
    expect(left.alertState.incidentId).toBeUndefined();

    // The last member still in ALARM returns to OK: the incident resolves.
    const last = { ...grouped, activeMembers: [memberOf('Odoo_Server_High_CPU')] };
    const resolved = run(
      alarm('Odoo_Server_High_CPU', 'OK', '10:01'),
      owning('Odoo_Server_High_CPU', last),
      at('10:01'),
    );
    expect(resolved.decision).toMatchObject({ action: 'resolve', incidentId: grouped.id });
    expect(resolved.alertState.incidentId).toBeUndefined();
  });
});

describe('register: deduplication', () => {
  test.each(['open', 'acknowledged', 'linked', 'remediating'] as const)(
    'an ALARM of an alert whose incident is %s only counts',
    (status) => {
      const own = incident({ status });
      const outcome = run(
        alarm('Odoo_Server_High_CPU', 'ALARM', '10:00'),
        owning('Odoo_Server_High_CPU', own),
      );
      expect(outcome.decision).toMatchObject({ action: 'deduplicated', incidentId: own.id });
      expect(outcome.alertState.incidentId).toBe(own.id);
    },
  );

  test('dedup applies to open incidents only', () => {
    // Resolved a minute ago, its last signal two minutes ago: well inside the 5-minute window.
    const resolved = incident({ status: 'resolved', lastSignalAt: iso('09:58'), resolvedAt: iso('09:59') });
    const outcome = run(alarm('Odoo_Server_High_CPU', 'ALARM', '10:00'), {
      ...owning('Odoo_Server_High_CPU', resolved),
      groupIncident: resolved,
    });
    const page = paged(outcome);
    expect(page.incident.id).not.toBe(resolved.id);
    expect(page).toMatchObject({ firstStep: 0, takenOver: false, incident: { status: 'open' } });
    expect(outcome.alertState.incidentId).toBe(page.incident.id);
  });

  test('an incident the alert state does not name is not the alert’s own', () => {
    const other = incident();
    const outcome = run(alarm('Odoo_Server_High_CPU'), {
      alertState: { ...inAlarm('Odoo_Server_High_CPU', { id: 'INC-20261123T0900-bbbbbb' }) },
      alertIncident: other,
    });
    expect(paged(outcome).incident.id).not.toBe(other.id);
  });
});

describe('register: flapping', () => {
  const name = 'Odoo_Server_High_CPU';
  /** The alert came back to OK at 09:59 after these earlier transitions. */
  const settled = (transitions: readonly string[]): AlertState => ({
    lastState: 'OK',
    lastChangeAt: iso('09:59'),
    lastSignalKey: signalKey(alarm(name, 'OK', '09:59')),
    transitions: [...transitions, iso('09:59')],
  });

  test('the fifth transition inside 10 minutes starts a 30-minute dampening; the fourth does not', () => {
    const earlier = [iso('09:53'), iso('09:55'), iso('09:57')];
    const fourth = run(alarm(name), { alertState: settled(earlier.slice(1)) });
    expect(fourth.decision.action).toBe('page');
    expect(fourth.alertState.flappingUntil).toBeUndefined();

    const fifth = run(alarm(name), { alertState: settled(earlier) });
    expect(fifth.decision).toEqual({
      action: 'suppressed',
      reason: expect.stringMatching(/^flapping/),
      recheckAt: iso('10:30'),
    });
    expect(fifth.changes).toBe(true);
    expect(fifth.alertState).toEqual({
      lastState: 'ALARM',
      lastChangeAt: iso('10:00'),
      lastSignalKey: signalKey(alarm(name)),
      transitions: [...earlier, iso('09:59'), iso('10:00')],
      flappingUntil: iso('10:30'),
    });
  });

  test('transitions older than the window do not count', () => {
    const old = [iso('09:40'), iso('09:45'), iso('09:49'), iso('09:49:59')];
    const outcome = run(alarm(name), { alertState: settled(old) });
    expect(outcome.decision.action).toBe('page');
    expect(outcome.alertState.transitions).toEqual([iso('09:59'), iso('10:00')]);

    // The window's first instant still counts.
    const edge = run(alarm(name), { alertState: settled([iso('09:50'), ...old.slice(1)]) });
    expect(edge.alertState.transitions).toEqual([iso('09:50'), iso('09:59'), iso('10:00')]);
  });

  test('a return to OK resolves the open incident whatever the noise controls say', () => {
    const own = incident();
    const outcome = run(alarm(name, 'OK'), {
      alertState: { ...inAlarm(name, own), flappingUntil: iso('10:20') },
      alertIncident: own,
      activeMaintenance: [window],
    });
    expect(outcome.decision).toEqual({
      action: 'resolve',
      reason: 'Odoo_Server_High_CPU returned to OK',
      incidentId: own.id,
    });
    expect(outcome.alertState).toMatchObject({ lastState: 'OK', flappingUntil: iso('10:20') });
    expect(outcome.alertState.incidentId).toBeUndefined();
  });

  test('while dampened, a new ALARM is held back until the same dampening ends', () => {
    const outcome = run(alarm(name), {
      alertState: { ...settled([iso('09:57')]), flappingUntil: iso('10:20') },
    });
    expect(outcome.decision).toMatchObject({ action: 'suppressed', recheckAt: iso('10:20') });
    expect(outcome.alertState.flappingUntil).toBe(iso('10:20'));
  });

  test('flapping that ends in ALARM pages when the dampening ends', () => {
    const last = alarm(name, 'ALARM', '10:00');
    const dampened: AlertState = {
      lastState: 'ALARM',
      lastChangeAt: iso('10:00'),
      lastSignalKey: signalKey(last),
      transitions: [iso('09:56'), iso('09:57'), iso('09:58'), iso('09:59'), iso('10:00')],
      flappingUntil: iso('10:30'),
    };

    // The dampening is over: the alert is still in ALARM, so it pages.
    const ended = run(last, { alertState: dampened }, at('10:30'), 'dampening-ended');
    const page = paged(ended);
    expect(page).toMatchObject({ firstStep: 0, takenOver: false, incident: { status: 'open' } });
    expect(ended.changes).toBe(true);
    expect(ended.key).toBe(phaseKey(signalKey(last), 'dampening-ended'));
    expect(ended.alertState).toMatchObject({ lastState: 'ALARM', incidentId: page.incident.id });

    // Too early (the dampening still runs): held back again until it ends.
    const early = run(last, { alertState: dampened }, at('10:29'), 'dampening-ended');
    expect(early.decision).toMatchObject({ action: 'suppressed', recheckAt: iso('10:30') });

    // A later change was registered meanwhile: that one decides.
    const later = { ...dampened, lastState: 'OK' as const, lastChangeAt: iso('10:10') };
    const superseded = run(
      last,
      { alertState: { ...later, lastSignalKey: signalKey(alarm(name, 'OK', '10:10')) } },
      at('10:31'),
      'dampening-ended',
    );
    expect(superseded.decision.action).toBe('superseded');
    expect(superseded.changes).toBe(false);
    expect(superseded.alertState).toEqual({ ...later, lastSignalKey: signalKey(alarm(name, 'OK', '10:10')) });
  });
});

describe('register: maintenance', () => {
  test('an ALARM during a maintenance window of its component is held back', () => {
    const outcome = run(alarm('Odoo_Server_High_CPU'), { activeMaintenance: [window] });
    expect(outcome.decision).toEqual({
      action: 'suppressed',
      reason: expect.stringContaining('maintenance window on odoo'),
    });
    expect(outcome.alertState).toMatchObject({ lastState: 'ALARM', lastChangeAt: iso('10:00') });
    expect(outcome.alertState.incidentId).toBeUndefined();
  });

  test('backup and security alerts are never held back by maintenance', () => {
    for (const name of ['Odoo_Backup_Failure', 'Admin_Account_Multiple_Failed_Logins']) {
      const during = { activeMaintenance: [{ ...window, component: alert(name).component }] };
      expect(decide(name, during).action).toBe('page');
      // Not even if the catalogue marked them as suppressible.
      const suppressible = { ...alert(name), suppressedByMaintenance: true };
      expect(run(alarm(name), during, NOW, 'register', suppressible).decision.action).toBe('page');
    }
  });

  test('a return to OK during maintenance still resolves', () => {
    const own = incident();
    expect(
      decide(
        'Odoo_Server_High_CPU',
        { ...owning('Odoo_Server_High_CPU', own), activeMaintenance: [window] },
        'OK',
      ),
    ).toMatchObject({ action: 'resolve', incidentId: own.id });
  });
});

describe('register: parent and child alerts', () => {
  const child = 'Odoo_Database_Connection_Errors';
  const parent = incident({
    id: 'INC-20261123T0957-cccccc',
    alertName: 'PostgreSQL_Unavailable',
    component: 'postgresql',
    severity: 'Critical',
    correlationGroup: 'db_availability',
    members: ['PostgreSQL_Unavailable'],
    activeMembers: [memberOf('PostgreSQL_Unavailable')],
  });

  test('a child under an open parent incident is linked, not paged', () => {
    const outcome = run(alarm(child), { parentIncident: parent });
    expect(outcome.decision).toMatchObject({
      action: 'linked',
      incident: { alertName: child, status: 'linked', parentId: parent.id, activeMembers: [memberOf(child)] },
    });
    const linked = outcome.decision.action === 'linked' ? outcome.decision.incident.id : undefined;
    expect(outcome.alertState.incidentId).toBe(linked);
  });

  test('without an open parent incident the child pages on its own', () => {
    expect(decide(child)).toMatchObject({ action: 'page', incident: { status: 'open' } });
  });

  test('a linked child returning to OK resolves its linked incident', () => {
    const linked = incident({
      id: 'INC-20261123T0958-dddddd',
      alertName: child,
      status: 'linked',
      parentId: parent.id,
      activeMembers: [memberOf(child)],
    });
    expect(decide(child, { ...owning(child, linked), parentIncident: parent }, 'OK')).toMatchObject({
      action: 'resolve',
      incidentId: linked.id,
    });
  });
});

describe('register: confirmation', () => {
  const name = 'High_Odoo_N8N_API_Error_Rate'; // 2 confirmations within 2 minutes

  test('an alert that needs confirmation is confirmed before it pages', () => {
    const outcome = run(alarm(name));
    expect(outcome.decision).toMatchObject({ action: 'confirm', checks: 1, intervalSeconds: 120 });
    expect(outcome.changes).toBe(true);
    expect(outcome.alertState).toMatchObject({ lastState: 'ALARM', lastSignalKey: signalKey(alarm(name)) });
    expect(outcome.alertState.incidentId).toBeUndefined();
    expect(decide('High_N8N_AI_Service_API_Error_Rate')).toMatchObject({
      action: 'confirm',
      checks: 2,
      intervalSeconds: 150,
    });
  });

  test('once confirmed, it pages', () => {
    const registered = run(alarm(name));
    const confirmed = run(alarm(name), { alertState: registered.alertState }, at('10:02'), 'confirmed');
    const page = paged(confirmed);
    expect(page).toMatchObject({ firstStep: 0, takenOver: false, incident: { status: 'open' } });
    expect(confirmed.key).toBe(phaseKey(signalKey(alarm(name)), 'confirmed'));
    expect(confirmed.alertState.incidentId).toBe(page.incident.id);
  });

  test('confirmed phase superseded by a newer change', () => {
    const registered = run(alarm(name, 'ALARM', '10:00'));
    const ok = run(alarm(name, 'OK', '10:01'), { alertState: registered.alertState }, at('10:01'));
    const confirmed = run(
      alarm(name, 'ALARM', '10:00'),
      { alertState: ok.alertState },
      at('10:02'),
      'confirmed',
    );
    expect(confirmed.decision.action).toBe('superseded');
    expect(confirmed.changes).toBe(false);
    expect(confirmed.alertState).toEqual(ok.alertState);
  });

  test('an incident a workflow raises needs no confirmation', () => {
    expect(run(fromWorkflow(name, 'scale-decision', 'could not scale')).decision.action).toBe('page');
  });
});

describe('register: incidents a workflow hands over', () => {
  const remediating = incident({
    id: 'INC-20261123T0950-eeeeee',
    alertName: 'AI_Service_Stalled',
    component: 'flux-gpu',
    subject: subjectOf('AI_Service_Stalled'),
    severity: 'Critical',
    correlationGroup: 'ai_generation',
    status: 'remediating',
    members: ['AI_Service_Stalled'],
    activeMembers: [memberOf('AI_Service_Stalled')],
    findings: 'Seen: i-1 stalled.',
  });
  const stalled: Partial<RegisterSnapshot> = {
    alertState: { transitions: [], incidentId: remediating.id },
    alertIncident: remediating,
  };

  test('its workflow escalating takes it over: paged now, open, with what was seen and tried', () => {
    const detail = 'Seen: i-1 stalled. Tried: 1. stopped the serving task.';
    const outcome = run(fromWorkflow('AI_Service_Stalled', 'stalled-gpu', detail, '10:00'), stalled);
    expect(outcome.decision).toMatchObject({
      action: 'page',
      takenOver: true,
      firstStep: 0,
      incident: {
        id: remediating.id,
        status: 'open',
        findings: detail,
        pages: [],
        lastSignalAt: iso('10:00'),
      },
    });
    expect(outcome.alertState.incidentId).toBe(remediating.id);
  });

  test('a remediation gives up during maintenance: still paged', () => {
    const during = { ...stalled, activeMaintenance: [{ ...window, component: 'flux-gpu' }] };
    expect(run(fromWorkflow('AI_Service_Stalled', 'stalled-gpu', 'gave up'), during).decision).toMatchObject({
      action: 'page',
      takenOver: true,
    });
  });

  test('the alarm returning to OK resolves it', () => {
    expect(decide('AI_Service_Stalled', stalled, 'OK')).toMatchObject({
      action: 'resolve',
      incidentId: remediating.id,
    });
  });

  test('another alarm signal while it is remediated only counts', () => {
    expect(decide('AI_Service_Stalled', stalled)).toMatchObject({
      action: 'deduplicated',
      incidentId: remediating.id,
    });
  });

  const name = 'Payment_Processing_Failure_Rate';
  const paging = incident({
    id: 'INC-20261123T0940-ffffff',
    alertName: name,
    subject: subjectOf(name),
    severity: 'Critical',
    correlationGroup: 'external_services',
    members: [name],
    activeMembers: [memberOf(name)],
    openedAt: iso('09:40'),
    stepPlans: {
      '0': { channels: ['pagerduty', 'sms', 'slack', 'email'], at: iso('09:40') },
      '1': { channels: ['pagerduty', 'sms', 'slack', 'email'], at: iso('09:55') },
    },
  });
  const failure = 'escalation execution x FAILED: States.TaskFailed: Notify timed out';

  test('a failed escalation hands its open incident over', () => {
    // The alarm went (back) into ALARM at 09:55; its escalation failed at 09:58.
    const outcome = run(fromWorkflow(name, 'escalation', failure, '09:58'), {
      alertState: inAlarm(name, paging, '09:55'),
      alertIncident: paging,
    });
    const page = paged(outcome);
    expect(page).toMatchObject({
      takenOver: true,
      firstStep: 1,
      incident: { id: paging.id, status: 'open', findings: failure, lastSignalAt: iso('10:00') },
    });
    expect(page.steps).toHaveLength(4);
    expect(outcome.alertState).toMatchObject({ lastState: 'ALARM', incidentId: paging.id });
    // The failure is no state change of the alarm: it counts toward no flapping.
    expect(outcome.alertState.transitions).toEqual([iso('09:55')]);
  });

  test('a failed escalation is handed over even while the alert is flapping', () => {
    const outcome = run(fromWorkflow(name, 'escalation', failure, '09:58'), {
      alertState: { ...inAlarm(name, paging, '09:40'), flappingUntil: iso('10:20') },
      alertIncident: paging,
    });
    expect(outcome.decision).toMatchObject({ action: 'page', takenOver: true, firstStep: 1 });
  });

  test('a failed escalation of an acknowledged incident pages nobody again', () => {
    const acknowledged = { ...paging, status: 'acknowledged' as const, acknowledgedBy: 'alice' };
    expect(
      run(fromWorkflow(name, 'escalation', failure, '09:58'), {
        alertState: inAlarm(name, acknowledged, '09:40'),
        alertIncident: acknowledged,
      }).decision,
    ).toMatchObject({ action: 'deduplicated', incidentId: paging.id });
  });
});
