import type { RuntimeAlert } from '../../../lib/config/alert-runtime';
import { SEVERITIES } from '../../../lib/config/constants';
import { NOISE_CONTROLS } from '../../../lib/config/escalation';
import { changeTimeOf, derivedIncidentId, memberKey, phaseKey, signalKey } from './ids';
import { isUnresolved, resumeStep } from './incident-state';
import { newIncident } from './new-incident';
import { escalationSteps } from './plan';
import type { AlertState, EscalationInput, Incident, RegisterDecision, RegisterSnapshot } from './types';

const MINUTE = 60_000;

/**
 * `register`: a state change delivered by the router (or a workflow). `confirmed`: the workflow saw
 * the alarm stay in ALARM for its confirmation count. `dampening-ended`: the flapping dampening
 * that held this change back is over, and the workflow looks again.
 */
export type RegisterPhase = 'register' | 'confirmed' | 'dampening-ended';

export interface RegisterOutcome {
  readonly decision: RegisterDecision;
  /** The alert's state to commit (the store bumps its version), unchanged for duplicates. */
  readonly alertState: AlertState;
  /** The key this decision is committed under (the signal's, or the signal's and the phase's). */
  readonly key: string;
  /** Whether anything is to be committed: false for stale, superseded and duplicate signals. */
  readonly changes: boolean;
}

/**
 * Decides what one signal means, given the state table as read under the correlation group's lock.
 * In order: a change older than the latest registered one (by the alarm's own time) is stale; a return to OK resolves the
 * alert's incident (a grouped incident when its last member returns); a failed repair or a failed
 * escalation hands its incident over to be paged; a flapping alert is dampened until the dampening
 * ends (then looked at again); a maintenance window holds it back (never for security or backup
 * alerts); an alert whose incident is open only counts; a child under an open parent is linked;
 * an alert of a correlation group with a young open incident joins it; an alert that needs
 * confirmation is confirmed first; anything else opens an incident and pages. Deduplication
 * applies to open incidents only: a re-fire after a resolution opens a new incident.
 */
export function register(
  input: EscalationInput,
  alert: RuntimeAlert,
  snapshot: RegisterSnapshot,
  now: Date,
  phase: RegisterPhase = 'register',
): RegisterOutcome {
  const baseKey = signalKey(input);
  const key = phaseKey(baseKey, phase);
  const state = snapshot.alertState;
  const unchanged = (decision: RegisterDecision): RegisterOutcome => ({
    decision,
    alertState: state,
    key,
    changes: false,
  });

  const ctx: Context = { input, alert, snapshot, now, key, member: memberKey(alert.name, input.subject) };

  if (phase !== 'register') {
    if (state.lastSignalKey !== baseKey) {
      return unchanged({
        action: 'superseded',
        reason: `a later state change of ${alert.name} (at ${state.lastChangeAt ?? '?'}, ${state.lastState ?? '?'}) decides instead`,
      });
    }
    const flapping = activeFlapping(state.flappingUntil, now);
    if (flapping) return commit(ctx, state, dampened(state.transitions.length, flapping));
    return commit(ctx, state, alarmDecision(ctx, { confirmed: true }));
  }

  // A workflow raising (or clearing) an alarm-backed alert is not a state change of the alarm: it
  // hands over or closes the incident, and neither orders nor counts as a transition.
  if (input.signal.type === 'workflow' && alert.signal.type !== 'workflow') {
    const kept = (decision: RegisterDecision) => commit(ctx, state, decision);
    if (input.state === 'OK') return kept(okDecision(ctx));
    const handOver = takeOver(ctx);
    if (handOver) return kept(handOver);
    if (state.lastState === 'OK') {
      return unchanged({
        action: 'superseded',
        reason: `${alert.name} returned to OK at ${state.lastChangeAt ?? '?'}; nothing to raise`,
      });
    }
    return kept(alarmDecision(ctx, { confirmed: true }));
  }

  const changeAt = changeTimeOf(input);
  // Flapping counts transitions (ALARM <-> OK) by their own times inside the window, whatever
  // order they are delivered in: a late change still happened, so it counts even when stale.
  const windowStart = now.getTime() - NOISE_CONTROLS.flappingWindowMinutes * MINUTE;
  const stale = state.lastChangeAt !== undefined && Date.parse(changeAt) <= Date.parse(state.lastChangeAt);
  const transitions = [
    ...state.transitions,
    ...(isTransition(input, state, stale) && !state.transitions.includes(changeAt) ? [changeAt] : []),
  ]
    .filter((t) => Date.parse(t) >= windowStart)
    .sort();
  let flappingUntil = activeFlapping(state.flappingUntil, now);
  if (!flappingUntil && transitions.length >= NOISE_CONTROLS.flappingStateChanges) {
    flappingUntil = new Date(
      now.getTime() + NOISE_CONTROLS.flappingSuppressionMinutes * MINUTE,
    ).toISOString();
  }

  if (stale) {
    const decision: RegisterDecision = {
      action: 'stale',
      reason: `${input.state} changed at ${changeAt}, not after the latest registered change (${state.lastState ?? '?'} at ${state.lastChangeAt}); counted for flapping only`,
    };
    if (transitions.length === state.transitions.length && flappingUntil === state.flappingUntil)
      return unchanged(decision);
    return commit(ctx, { ...state, transitions, ...(flappingUntil ? { flappingUntil } : {}) }, decision);
  }

  const next: AlertState = {
    lastState: input.state,
    lastChangeAt: changeAt,
    lastSignalKey: baseKey,
    transitions,
    ...(flappingUntil ? { flappingUntil } : {}),
    ...(state.incidentId ? { incidentId: state.incidentId } : {}),
  };

  if (input.state === 'OK') return commit(ctx, next, okDecision(ctx));
  if (flappingUntil) {
    // A failed repair or escalation is still handed over (a person must hear of it), flapping or not.
    const handOver = takeOver(ctx);
    return commit(ctx, next, handOver ?? dampened(transitions.length, flappingUntil));
  }
  return commit(ctx, next, alarmDecision(ctx, { confirmed: false }));
}

interface Context {
  readonly input: EscalationInput;
  readonly alert: RuntimeAlert;
  readonly snapshot: RegisterSnapshot;
  readonly now: Date;
  readonly key: string;
  /** `<alert>#<subject>`: how the alert is counted among an incident's active members. */
  readonly member: string;
}

/** The decision with the alert state that goes with it: which incident the alert now belongs to. */
function commit(ctx: Context, next: AlertState, decision: RegisterDecision): RegisterOutcome {
  const rest: AlertState = { ...next };
  delete (rest as { incidentId?: string }).incidentId;
  const belongsTo =
    decision.action === 'page' || decision.action === 'linked'
      ? decision.incident.id
      : decision.action === 'deduplicated' || decision.action === 'grouped'
        ? decision.incidentId
        : decision.action === 'resolve' || decision.action === 'left-group'
          ? undefined
          : next.incidentId;
  return {
    decision,
    alertState: { ...rest, ...(belongsTo ? { incidentId: belongsTo } : {}) },
    key: ctx.key,
    changes: true,
  };
}

/**
 * Whether a change is a transition: an alarm says what it changed from (CloudWatch always changes
 * state). Without that (events, repeated ALARMs) an in-order change is one if it differs from the
 * latest registered state, and a late one cannot tell, so it is not counted.
 */
function isTransition(input: EscalationInput, state: AlertState, stale: boolean): boolean {
  const previous = (input.signal as { previousState?: string }).previousState;
  if (previous !== undefined) return previous !== input.state;
  return !stale && state.lastState !== input.state;
}

function activeFlapping(until: string | undefined, now: Date): string | undefined {
  return until && Date.parse(until) > now.getTime() ? until : undefined;
}

function dampened(transitions: number, until: string): RegisterDecision {
  return {
    action: 'suppressed',
    reason: `flapping: ${transitions} state changes in ${NOISE_CONTROLS.flappingWindowMinutes} minutes; dampened until ${until}, then looked at again`,
    recheckAt: until,
  };
}

function okDecision(ctx: Context): RegisterDecision {
  const { alert, snapshot, member } = ctx;
  const incident = openAlertIncident(snapshot);
  if (!incident) return { action: 'resolve', reason: `${alert.name} returned to OK; no incident was open` };
  const others = (incident.activeMembers ?? [member]).filter((m) => m !== member);
  if (others.length > 0) {
    return {
      action: 'left-group',
      reason: `${alert.name} returned to OK; incident ${incident.id} stays open for ${others.join(', ')}`,
      incidentId: incident.id,
    };
  }
  return { action: 'resolve', reason: `${alert.name} returned to OK`, incidentId: incident.id };
}

/** The alert's incident if it is not resolved. */
function openAlertIncident(snapshot: RegisterSnapshot): Incident | undefined {
  const incident = snapshot.alertIncident;
  return incident && snapshot.alertState.incidentId === incident.id && isUnresolved(incident)
    ? incident
    : undefined;
}

/**
 * A remediation workflow that could not repair the fault, or an escalation execution that failed
 * (the router re-raises the alert for it), hands its incident over: page it now, resuming where
 * paging stopped, with what the workflow saw and tried.
 */
function takeOver(ctx: Context): RegisterDecision | undefined {
  const { input, alert, snapshot, now } = ctx;
  const incident = openAlertIncident(snapshot);
  if (!incident || input.signal.type !== 'workflow') return undefined;
  const failedEscalation = (input.signal as { workflow?: string }).workflow === 'escalation';
  if (incident.status === 'remediating' || (failedEscalation && incident.status === 'open')) {
    return {
      action: 'page',
      reason:
        incident.status === 'remediating'
          ? `remediation of incident ${incident.id} did not repair it; paging`
          : `the escalation of incident ${incident.id} failed; paging resumes where it stopped`,
      incident: {
        ...incident,
        status: 'open',
        lastSignalAt: now.toISOString(),
        ...findingsOf(input),
      },
      steps: escalationSteps(alert),
      firstStep: resumeStep(incident),
      takenOver: true,
    };
  }
  return undefined;
}

function alarmDecision(ctx: Context, options: { confirmed: boolean }): RegisterDecision {
  const { input, alert, snapshot, now } = ctx;
  const handOver = takeOver(ctx);
  if (handOver) return handOver;

  const maintenance = snapshot.activeMaintenance[0];
  if (maintenance && alert.suppressedByMaintenance && !alert.security && alert.kind !== 'backup') {
    return {
      action: 'suppressed',
      reason: `maintenance window on ${maintenance.component} until ${maintenance.end} (${maintenance.reason})`,
    };
  }

  const own = openAlertIncident(snapshot);
  if (own) {
    return {
      action: 'deduplicated',
      reason: `same alert on ${input.subject} as incident ${own.id} (still ${own.status}); count incremented`,
      incidentId: own.id,
    };
  }

  if (alert.parent && snapshot.parentIncident) {
    return {
      action: 'linked',
      reason: `child of open incident ${snapshot.parentIncident.id} (${alert.parent}); linked, not paged`,
      incident: incidentOf(ctx, { status: 'linked', parentId: snapshot.parentIncident.id }),
    };
  }

  const dedupStart = now.getTime() - NOISE_CONTROLS.dedupWindowMinutes * MINUTE;
  const group = snapshot.groupIncident;
  if (
    group &&
    group.status !== 'resolved' &&
    Date.parse(group.openedAt) >= dedupStart &&
    group.members.length < NOISE_CONTROLS.maxGroupSize &&
    !group.members.includes(alert.name) &&
    // A more severe alert is never hidden inside a milder incident: it pages on its own.
    SEVERITIES.indexOf(alert.severity) >= SEVERITIES.indexOf(group.severity as RuntimeAlert['severity'])
  ) {
    return {
      action: 'grouped',
      reason: `grouped into incident ${group.id} of correlation group ${alert.correlationGroup} (${group.members.length + 1}/${NOISE_CONTROLS.maxGroupSize})`,
      incidentId: group.id,
    };
  }

  if (!options.confirmed && alert.confirmation.count > 1 && input.signal.type === 'alarm') {
    const checks = alert.confirmation.count - 1;
    return {
      action: 'confirm',
      reason: `needs ${alert.confirmation.count} confirmations within ${alert.confirmation.windowMinutes} minutes`,
      checks,
      intervalSeconds: Math.max(1, Math.floor((alert.confirmation.windowMinutes * 60) / checks)),
    };
  }

  return {
    action: 'page',
    reason: `new ${alert.severity} incident`,
    incident: incidentOf(ctx, { status: 'open' }),
    steps: escalationSteps(alert),
    firstStep: 0,
    takenOver: false,
  };
}

function incidentOf(ctx: Context, extra: { status: Incident['status']; parentId?: string }): Incident {
  return {
    ...newIncident(ctx.alert, {
      // From the signal and its own time: a retried Register derives the same id.
      id: derivedIncidentId(ctx.key, new Date(changeTimeOf(ctx.input))),
      subject: ctx.input.subject,
      now: ctx.now,
      ...extra,
      ...findingsOf(ctx.input),
    }),
    activeMembers: [ctx.member],
  };
}

/** A workflow's signal carries what it saw and tried: the page shows it. */
function findingsOf(input: EscalationInput): { findings?: string } {
  const detail = input.signal.type === 'workflow' ? (input.signal as { detail?: unknown }).detail : undefined;
  return typeof detail === 'string' && detail.length > 0 ? { findings: detail } : {};
}
