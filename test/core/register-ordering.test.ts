import type { RuntimeAlert } from '../../lib/config/alert-runtime';
import { ALERT_CATALOGUE } from '../../lib/config/alerts';
import { catalogueAlert } from '../../lambdas/core/escalation/catalogue';
import { routedAlarmInput } from '../support/alarm-signals';
import { memberKey, signalKey } from '../../lambdas/core/escalation/ids';
import { isUnresolved } from '../../lambdas/core/escalation/incident-state';
import { register, type RegisterOutcome, type RegisterPhase } from '../../lambdas/core/escalation/register';
import type {
  AlertState,
  EscalationInput,
  Incident,
  RegisterDecision,
} from '../../lambdas/core/escalation/types';

/**
 * Register decisions chained the way the state table chains them: each outcome's alert state is
 * the next snapshot's, and each decision's effects on the incidents (opened, absorbed, left,
 * resolved) are what the next snapshot reads.
 */

/** `10:00` or `10:00:30` on the test day, as ISO. */
const iso = (time: string) =>
  new Date(`2026-11-23T${time.length === 5 ? `${time}:00` : time}.000Z`).toISOString();

const alert = (name: string): RuntimeAlert => catalogueAlert(name);
const subjectOf = (name: string) => `influencegen-prod-${name}`;
const alertField = (name: string): EscalationInput['alert'] => ({
  name,
  kind: alert(name).kind,
  component: alert(name).component,
  severity: alert(name).severity,
});

const alarm = (name: string, state: 'ALARM' | 'OK', time: string): EscalationInput =>
  routedAlarmInput(name, state, iso(time));

type Page = Extract<RegisterDecision, { action: 'page' }>;
const paged = (outcome: RegisterOutcome): Page => {
  expect(outcome.decision.action).toBe('page');
  return outcome.decision as Page;
};

/** The state table in memory: alert states, incidents, and the incident each group gathers into. */
class StateTable {
  private readonly alerts = new Map<string, AlertState>();
  private readonly incidents = new Map<string, Incident>();
  private readonly gathering = new Map<string, string>();

  /** Registers one signal at `now` (ISO or `10:00`) and applies the decision's effects. */
  deliver(input: EscalationInput, now: string, phase: RegisterPhase = 'register'): RegisterOutcome {
    const definition = alert(input.alert.name);
    const member = memberKey(definition.name, input.subject);
    const alertState = this.alertState(definition.name, input.subject);
    const alertIncident = alertState.incidentId ? this.incidents.get(alertState.incidentId) : undefined;
    const gatheringId = this.gathering.get(definition.correlationGroup);
    const groupIncident = gatheringId ? this.incidents.get(gatheringId) : undefined;
    const parentIncident = [...this.incidents.values()].find(
      (i) => definition.parent !== undefined && i.alertName === definition.parent && isUnresolved(i),
    );
    const at = now.length <= 8 ? iso(now) : now;
    const outcome = register(
      input,
      definition,
      {
        alertState,
        ...(alertIncident ? { alertIncident } : {}),
        ...(groupIncident && isUnresolved(groupIncident) ? { groupIncident } : {}),
        ...(parentIncident ? { parentIncident } : {}),
        activeMaintenance: [],
      },
      new Date(at),
      phase,
    );
    if (outcome.changes) {
      this.alerts.set(member, outcome.alertState);
      this.apply(outcome.decision, definition, member, at);
    }
    return outcome;
  }

  alertState(name: string, subject = subjectOf(name)): AlertState {
    return this.alerts.get(memberKey(name, subject)) ?? { transitions: [] };
  }

  incident(id: string): Incident | undefined {
    return this.incidents.get(id);
  }

  get incidentCount(): number {
    return this.incidents.size;
  }

  private apply(d: RegisterDecision, definition: RuntimeAlert, member: string, at: string): void {
    const update = (id: string, change: (i: Incident) => Incident) => {
      const current = this.incidents.get(id);
      if (current) this.incidents.set(id, change(current));
    };
    const without = (i: Incident) => (i.activeMembers ?? []).filter((m) => m !== member);
    switch (d.action) {
      case 'page':
        if (d.takenOver) update(d.incident.id, (i) => ({ ...i, status: 'open', lastSignalAt: at }));
        else {
          this.incidents.set(d.incident.id, d.incident);
          this.gathering.set(definition.correlationGroup, d.incident.id);
        }
        break;
      case 'linked':
        this.incidents.set(d.incident.id, d.incident);
        break;
      case 'deduplicated':
      case 'grouped':
        update(d.incidentId, (i) => ({
          ...i,
          count: i.count + 1,
          lastSignalAt: at,
          members: d.action === 'grouped' ? [...i.members, definition.name] : i.members,
          activeMembers: [...without(i), member],
        }));
        break;
      case 'resolve':
        if (d.incidentId)
          update(d.incidentId, (i) => ({
            ...i,
            status: 'resolved',
            resolvedAt: at,
            activeMembers: without(i),
          }));
        break;
      case 'left-group':
        update(d.incidentId, (i) => ({ ...i, activeMembers: without(i) }));
        break;
      default:
        break;
    }
  }
}

describe('register: a re-fire after resolution', () => {
  test('a re-fire after resolution opens a new incident', () => {
    const name = 'Payment_Processing_Failure_Rate';
    const table = new StateTable();

    const first = paged(table.deliver(alarm(name, 'ALARM', '10:00'), '10:00'));
    expect(first.incident).toMatchObject({ status: 'open', severity: 'Critical' });

    const ok = table.deliver(alarm(name, 'OK', '10:02'), '10:02');
    expect(ok.decision).toMatchObject({ action: 'resolve', incidentId: first.incident.id });
    expect(table.incident(first.incident.id)?.status).toBe('resolved');
    expect(ok.alertState.incidentId).toBeUndefined();

    const refire = table.deliver(alarm(name, 'ALARM', '10:04'), '10:04');
    const second = paged(refire);
    expect(second.incident.id).not.toBe(first.incident.id);
    expect(second).toMatchObject({
      firstStep: 0,
      takenOver: false,
      incident: { status: 'open', alertName: name, openedAt: iso('10:04'), count: 1 },
    });
    expect(refire.alertState).toMatchObject({
      lastState: 'ALARM',
      lastChangeAt: iso('10:04'),
      incidentId: second.incident.id,
    });
    expect(table.incident(first.incident.id)).toMatchObject({ status: 'resolved', count: 1 });
    expect(table.incidentCount).toBe(2);
  });
});

describe('register: state changes delivered out of order', () => {
  const name = 'Payment_Processing_Failure_Rate';

  test('a stale OK changes nothing', () => {
    // OK at 10:01 was registered first; the ALARM at 10:00 arrives after it.
    const afterOk: AlertState = {
      lastState: 'OK',
      lastChangeAt: iso('10:01'),
      lastSignalKey: signalKey(alarm(name, 'OK', '10:01')),
      transitions: [iso('10:01')],
    };
    const late = register(
      alarm(name, 'ALARM', '10:00'),
      alert(name),
      { alertState: afterOk, activeMaintenance: [] },
      new Date(iso('10:01:30')),
    );
    expect(late.decision.action).toBe('stale');
    expect(late.changes).toBe(false);
    expect(late.alertState).toEqual(afterOk);

    // The same through the table: ALARM 10:00 and OK 10:01 happen, the OK is delivered first.
    const table = new StateTable();
    const ok = table.deliver(alarm(name, 'OK', '10:01'), '10:01:10');
    expect(ok.decision).toEqual({ action: 'resolve', reason: expect.any(String) });
    const before = table.alertState(name);
    const alarmLate = table.deliver(alarm(name, 'ALARM', '10:00'), '10:01:20');
    expect(alarmLate.decision.action).toBe('stale');
    expect(alarmLate.changes).toBe(false);
    expect(table.alertState(name)).toEqual(before);
    expect(table.incidentCount).toBe(0);
  });

  test('a late change that says what it changed from still counts toward flapping', () => {
    // Four transitions registered in order; a fifth, older one (ALARM from OK at 10:00:30) comes late.
    const registered: AlertState = {
      lastState: 'OK',
      lastChangeAt: iso('10:04'),
      lastSignalKey: signalKey(alarm(name, 'OK', '10:04')),
      transitions: [iso('10:00'), iso('10:02'), iso('10:03'), iso('10:04')],
    };
    const late = { ...alarm(name, 'ALARM', '10:00:30') };
    const withPrevious = { ...late, signal: { ...late.signal, previousState: 'OK' as const } };
    const outcome = register(
      withPrevious,
      alert(name),
      { alertState: registered, activeMaintenance: [] },
      new Date(iso('10:05')),
    );
    expect(outcome.decision.action).toBe('stale');
    expect(outcome.changes).toBe(true);
    expect(outcome.alertState).toEqual({
      ...registered,
      transitions: [iso('10:00'), iso('10:00:30'), iso('10:02'), iso('10:03'), iso('10:04')],
      flappingUntil: iso('10:35'),
    });
    // Without what it changed from, a late change cannot be told from a repeat: not counted.
    expect(
      register(late, alert(name), { alertState: registered, activeMaintenance: [] }, new Date(iso('10:05')))
        .changes,
    ).toBe(false);
  });

  test('an OK older than the registered ALARM leaves its incident open', () => {
    const table = new StateTable();
    const opened = paged(table.deliver(alarm(name, 'ALARM', '10:01'), '10:01:10'));
    const before = table.alertState(name);
    const late = table.deliver(alarm(name, 'OK', '10:00'), '10:01:20');
    expect(late.decision.action).toBe('stale');
    expect(late.changes).toBe(false);
    expect(table.alertState(name)).toEqual(before);
    expect(table.incident(opened.incident.id)?.status).toBe('open');
  });

  test('equal change time is stale', () => {
    const alarmFirst = new StateTable();
    paged(alarmFirst.deliver(alarm(name, 'ALARM', '10:00'), '10:00:10'));
    const ok = alarmFirst.deliver(alarm(name, 'OK', '10:00'), '10:00:20');
    expect(ok.decision.action).toBe('stale');
    expect(ok.changes).toBe(false);

    const okFirst = new StateTable();
    okFirst.deliver(alarm(name, 'OK', '10:00'), '10:00:10');
    const before = okFirst.alertState(name);
    const late = okFirst.deliver(alarm(name, 'ALARM', '10:00'), '10:00:20');
    expect(late.decision.action).toBe('stale');
    expect(late.alertState).toEqual(before);
    expect(okFirst.incidentCount).toBe(0);
  });
});

describe('register: re-checks of a held-back change', () => {
  test('confirmed phase superseded by a newer change (through the table)', () => {
    const name = 'High_Odoo_N8N_API_Error_Rate'; // 2 confirmations within 2 minutes
    const table = new StateTable();
    expect(table.deliver(alarm(name, 'ALARM', '10:00'), '10:00:05').decision.action).toBe('confirm');
    expect(table.deliver(alarm(name, 'OK', '10:01'), '10:01:05').decision.action).toBe('resolve');
    expect(table.deliver(alarm(name, 'ALARM', '10:01:30'), '10:01:35').decision.action).toBe('confirm');

    // The first ALARM's confirmation comes back: a later change decides.
    const before = table.alertState(name);
    const old = table.deliver(alarm(name, 'ALARM', '10:00'), '10:02:05', 'confirmed');
    expect(old.decision.action).toBe('superseded');
    expect(old.changes).toBe(false);
    expect(table.alertState(name)).toEqual(before);
    expect(table.incidentCount).toBe(0);

    // The latest ALARM's confirmation pages.
    const page = paged(table.deliver(alarm(name, 'ALARM', '10:01:30'), '10:03:35', 'confirmed'));
    expect(table.incident(page.incident.id)?.status).toBe('open');
    expect(table.alertState(name).incidentId).toBe(page.incident.id);
  });

  test('flapping: the fifth transition dampens; when the dampening ends the latest ALARM pages', () => {
    const name = 'Odoo_Server_High_CPU';
    const table = new StateTable();
    const first = paged(table.deliver(alarm(name, 'ALARM', '10:00'), '10:00'));
    table.deliver(alarm(name, 'OK', '10:01'), '10:01');
    const second = paged(table.deliver(alarm(name, 'ALARM', '10:02'), '10:02'));
    table.deliver(alarm(name, 'OK', '10:03'), '10:03');
    expect(table.incident(second.incident.id)?.status).toBe('resolved');

    const fifth = table.deliver(alarm(name, 'ALARM', '10:04'), '10:04');
    expect(fifth.decision).toMatchObject({ action: 'suppressed', recheckAt: iso('10:34') });
    expect(fifth.alertState).toMatchObject({ flappingUntil: iso('10:34') });
    // Still flapping: an OK resolves (nothing is open), the next ALARM waits for the same end.
    expect(table.deliver(alarm(name, 'OK', '10:05'), '10:05').decision).toMatchObject({ action: 'resolve' });
    expect(table.deliver(alarm(name, 'ALARM', '10:06'), '10:06').decision).toMatchObject({
      action: 'suppressed',
      recheckAt: iso('10:34'),
    });
    expect(table.incidentCount).toBe(2);

    // Both held-back ALARMs are looked at again when the dampening ends: the latest one pages.
    const earlier = table.deliver(alarm(name, 'ALARM', '10:04'), '10:34', 'dampening-ended');
    expect(earlier.decision.action).toBe('superseded');
    const latest = paged(table.deliver(alarm(name, 'ALARM', '10:06'), '10:34', 'dampening-ended'));
    expect([first.incident.id, second.incident.id]).not.toContain(latest.incident.id);
    expect(table.incident(latest.incident.id)?.status).toBe('open');
    expect(table.incidentCount).toBe(3);
  });

  test('flapping that ends in OK pages nobody when the dampening ends', () => {
    const name = 'Odoo_Server_High_CPU';
    const table = new StateTable();
    ['ALARM', 'OK', 'ALARM', 'OK', 'ALARM', 'OK'].forEach((state, i) =>
      table.deliver(alarm(name, state as 'ALARM' | 'OK', `10:0${i}`), `10:0${i}`),
    );
    expect(table.alertState(name)).toMatchObject({ lastState: 'OK', flappingUntil: iso('10:34') });
    const recheck = table.deliver(alarm(name, 'ALARM', '10:04'), '10:34', 'dampening-ended');
    expect(recheck.decision.action).toBe('superseded');
    expect(table.incidentCount).toBe(2);
  });

  test('transitions, not repeated ALARMs, count toward flapping', () => {
    // ECS keeps reporting placement failures of one service: every event is an ALARM.
    const name = ALERT_CATALOGUE.find(
      (a) => a.signal.type === 'event' && a.signal.source === 'aws.ecs',
    )?.name;
    expect(name).toBe('ECS_Service_Task_Placement_Failure');
    const placementFailure = (n: number): EscalationInput => ({
      alert: alertField('ECS_Service_Task_Placement_Failure'),
      subject: 'influencegen-prod-flux',
      state: 'ALARM',
      signal: {
        type: 'ecs-service-action',
        eventId: `event-${n}`,
        time: iso(`10:0${n}`),
        eventName: 'SERVICE_TASK_PLACEMENT_FAILURE',
        clusterArn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/influencegen-prod',
        serviceName: 'influencegen-prod-flux',
      },
    });
    const table = new StateTable();
    const opened = paged(table.deliver(placementFailure(0), '10:00:05'));
    for (const n of [1, 2, 3, 4, 5]) {
      expect(table.deliver(placementFailure(n), `10:0${n}:05`).decision).toMatchObject({
        action: 'deduplicated',
        incidentId: opened.incident.id,
      });
    }
    const state = table.alertState('ECS_Service_Task_Placement_Failure', 'influencegen-prod-flux');
    expect(state.transitions).toEqual([iso('10:00')]);
    expect(state.flappingUntil).toBeUndefined();
    expect(table.incident(opened.incident.id)).toMatchObject({ status: 'open', count: 6 });
  });
});

describe('register: a correlation group through its members', () => {
  test('the group incident resolves when its last member in ALARM returns to OK', () => {
    const table = new StateTable();
    const cpu = 'Odoo_Server_High_CPU';
    const memory = 'Odoo_Server_Memory_Utilization';
    const opened = paged(table.deliver(alarm(cpu, 'ALARM', '10:00'), '10:00'));
    expect(table.deliver(alarm(memory, 'ALARM', '10:01'), '10:01').decision).toMatchObject({
      action: 'grouped',
      incidentId: opened.incident.id,
    });

    expect(table.deliver(alarm(memory, 'OK', '10:03'), '10:03').decision).toMatchObject({
      action: 'left-group',
      incidentId: opened.incident.id,
    });
    expect(table.incident(opened.incident.id)).toMatchObject({
      status: 'open',
      activeMembers: [memberKey(cpu, subjectOf(cpu))],
    });

    expect(table.deliver(alarm(cpu, 'OK', '10:04'), '10:04').decision).toMatchObject({
      action: 'resolve',
      incidentId: opened.incident.id,
    });
    expect(table.incident(opened.incident.id)?.status).toBe('resolved');
  });
});
