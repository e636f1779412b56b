import { createHash } from 'node:crypto';
import type { EscalationInput } from './types';

/**
 * What identifies one delivery of one state change, whatever shape it came in: the alarm, its
 * state and its change time, or the EventBridge event id. Two runs of the same input share it.
 */
export function signalKey(input: EscalationInput): string {
  const s = input.signal;
  const identity =
    s.type === 'alarm'
      ? `${s.alarmName}|${s.state}|${s.stateChangeTime}`
      : s.type === 'schedule'
        ? `${s.schedule}|${s.time}`
        : `${s.type}|${s.eventId}`;
  return `${input.alert.name}|${input.subject}|${input.state}|${identity}`;
}

/** Incident ids are derived from the signal that opened them, so a re-run cannot open a second one. */
export function incidentId(input: EscalationInput, at: Date): string {
  return derivedIncidentId(signalKey(input), at);
}

/** `INC-<minute>-<6 hex of the key>`: the same key and minute always give the same id. */
export function derivedIncidentId(key: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').slice(0, 13); // 20261123T1005
  return `INC-${stamp}-${createHash('sha256').update(key).digest('hex').slice(0, 6)}`;
}
