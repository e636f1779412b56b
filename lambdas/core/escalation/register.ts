import type { AlertDefinition } from '../../../lib/config/alert-schema';
import { SEVERITIES } from '../../../lib/config/constants';
import { NOISE_CONTROLS } from '../../../lib/config/escalation';
import { incidentId } from './ids';
import { newIncident } from './new-incident';
import { escalationSteps } from './plan';
import type { EscalationInput, Incident, RegisterDecision, RegisterSnapshot } from './types';

const MINUTE = 60_000;

export interface RegisterOutcome {
  readonly decision: RegisterDecision;
  /** The alert's state-change history to store back (trimmed to the flapping window). */
  readonly stateChanges: readonly string[];
  readonly flappingUntil?: string;
}

/**
 * Decides what one signal means, in seed 004's order: a duplicate delivery does nothing; a return
 * to OK resolves; a flapping alert is dampened; a maintenance window holds it back (never for
 * security or backup alerts); the same alert on the same subject within the dedup window, or
 * while its incident is open, only counts; a child under an open parent is linked to it; an alert
 * of a correlation group with a young open incident joins it (up to the group size); an alert that
 * needs confirmation is confirmed first; anything else opens an incident and pages.
 * `confirmed` is set when the workflow has already confirmed the alarm.
 */
export function register(
  input: EscalationInput,
  alert: AlertDefinition,
  snapshot: RegisterSnapshot,
  now: Date,
  confirmed = false,
): RegisterOutcome {
  const nowIso = now.toISOString();
  const windowStart = now.getTime() - NOISE_CONTROLS.flappingWindowMinutes * MINUTE;
  const stateChanges = confirmed
    ? snapshot.stateChanges
    : [...snapshot.stateChanges, nowIso].filter((t) => Date.parse(t) >= windowStart);
  let flappingUntil = snapshot.flappingUntil;
  if (
    stateChanges.length >= NOISE_CONTROLS.flappingStateChanges &&
    !(flappingUntil && Date.parse(flappingUntil) > now.getTime())
  ) {
    flappingUntil = new Date(
      now.getTime() + NOISE_CONTROLS.flappingSuppressionMinutes * MINUTE,
    ).toISOString();
  }
  const outcome = (decision: RegisterDecision): RegisterOutcome => ({
    decision,
    stateChanges,
    ...(flappingUntil ? { flappingUntil } : {}),
  });

  if (snapshot.signalAlreadySeen && !confirmed) {
    return {
      decision: { action: 'duplicate', reason: 'this state change was already registered; nothing to do' },
      stateChanges: snapshot.stateChanges,
      ...(snapshot.flappingUntil ? { flappingUntil: snapshot.flappingUntil } : {}),
    };
  }

  const latest = snapshot.latestIncident;
  const latestIsOpen =
    latest !== undefined &&
    (latest.status === 'open' ||
      latest.status === 'acknowledged' ||
      latest.status === 'linked' ||
      latest.status === 'remediating');

  if (input.state === 'OK') {
    return outcome(
      latestIsOpen
        ? { action: 'resolve', reason: `${alert.name} returned to OK`, incidentId: latest.id }
        : { action: 'resolve', reason: `${alert.name} returned to OK; no incident was open` },
    );
  }

  // A remediation workflow that could not repair the fault hands its incident over: page it now,
  // with what the workflow saw and tried (flapping and maintenance do not hold back a failed repair).
  if (latest?.status === 'remediating' && input.signal.type === 'workflow') {
    return outcome({
      action: 'page',
      reason: `remediation of incident ${latest.id} did not repair it; paging`,
      incident: { ...latest, status: 'open', lastSignalAt: nowIso, ...findingsOf(input) },
      steps: escalationSteps(alert),
    });
  }

  if (flappingUntil && Date.parse(flappingUntil) > now.getTime()) {
    return outcome({
      action: 'suppressed',
      reason: `flapping: ${stateChanges.length} state changes in ${NOISE_CONTROLS.flappingWindowMinutes} minutes; dampened until ${flappingUntil}`,
    });
  }

  const maintenance = snapshot.activeMaintenance[0];
  if (maintenance && alert.suppressedByMaintenance && !alert.security && alert.kind !== 'backup') {
    return outcome({
      action: 'suppressed',
      reason: `maintenance window on ${maintenance.component} until ${maintenance.end} (${maintenance.reason})`,
    });
  }

  const dedupStart = now.getTime() - NOISE_CONTROLS.dedupWindowMinutes * MINUTE;
  if (latest && (latestIsOpen || Date.parse(latest.lastSignalAt) >= dedupStart)) {
    return outcome({
      action: 'deduplicated',
      reason: `same alert on ${input.subject} as incident ${latest.id} (${latestIsOpen ? 'still open' : `within ${NOISE_CONTROLS.dedupWindowMinutes} minutes`}); count incremented`,
      incidentId: latest.id,
    });
  }

  if (alert.parent && snapshot.parentIncident) {
    return outcome({
      action: 'linked',
      reason: `child of open incident ${snapshot.parentIncident.id} (${alert.parent}); linked, not paged`,
      incident: incidentOf(input, alert, now, { status: 'linked', parentId: snapshot.parentIncident.id }),
    });
  }

  const group = snapshot.groupIncident;
  if (
    group &&
    Date.parse(group.openedAt) >= dedupStart &&
    group.members.length < NOISE_CONTROLS.maxGroupSize &&
    !group.members.includes(alert.name) &&
    // A more severe alert is never hidden inside a milder incident: it pages on its own.
    SEVERITIES.indexOf(alert.severity) >= SEVERITIES.indexOf(group.severity as AlertDefinition['severity'])
  ) {
    return outcome({
      action: 'grouped',
      reason: `grouped into incident ${group.id} of correlation group ${alert.correlationGroup} (${group.members.length + 1}/${NOISE_CONTROLS.maxGroupSize})`,
      incidentId: group.id,
    });
  }

  if (!confirmed && alert.confirmation.count > 1 && input.signal.type === 'alarm') {
    const checks = alert.confirmation.count - 1;
    return outcome({
      action: 'confirm',
      reason: `needs ${alert.confirmation.count} confirmations within ${alert.confirmation.windowMinutes} minutes`,
      checks,
      intervalSeconds: Math.max(1, Math.floor((alert.confirmation.windowMinutes * 60) / checks)),
    });
  }

  return outcome({
    action: 'page',
    reason: `new ${alert.severity} incident`,
    incident: incidentOf(input, alert, now, { status: 'open' }),
    steps: escalationSteps(alert),
  });
}

function incidentOf(
  input: EscalationInput,
  alert: AlertDefinition,
  now: Date,
  extra: { status: Incident['status']; parentId?: string },
): Incident {
  return newIncident(alert, {
    id: incidentId(input, now),
    subject: input.subject,
    now,
    ...extra,
    ...findingsOf(input),
  });
}

/** A workflow's signal carries what it saw and tried: the page shows it. */
function findingsOf(input: EscalationInput): { findings?: string } {
  const detail = input.signal.type === 'workflow' ? (input.signal as { detail?: unknown }).detail : undefined;
  return typeof detail === 'string' && detail.length > 0 ? { findings: detail } : {};
}
