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

/** The key a Register phase commits under: the signal's own for `register`, suffixed otherwise. */
export function phaseKey(key: string, phase: string): string {
  return phase === 'register' ? key : `${key}#${phase}`;
}

/** `<alert>#<subject>`: one alert on one subject, as an incident counts its active members. */
export function memberKey(alertName: string, subject: string): string {
  return `${alertName}#${subject}`;
}

/**
 * When the state changed, by the source's own clock: an alarm's `stateChangeTime`, an event's
 * `time`. Register orders changes by it, whatever order they are delivered in.
 */
export function changeTimeOf(input: EscalationInput): string {
  const s = input.signal as { type: string; stateChangeTime?: string; time?: string };
  const at = s.type === 'alarm' ? s.stateChangeTime : s.time;
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at)))
    throw new Error(`signal.${s.type === 'alarm' ? 'stateChangeTime' : 'time'}: not a time`);
  return new Date(at).toISOString();
}

/** `INC-<minute>-<6 hex of the key>`: the same key and minute always give the same id. */
export function derivedIncidentId(key: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').slice(0, 13); // 20261123T1005
  return `INC-${stamp}-${createHash('sha256').update(key).digest('hex').slice(0, 6)}`;
}
