import { CONTROL_PLANE_LIMITS } from '../../../lib/config/control-plane-limits';
import type { Signal } from './types';

/**
 * AWS writes alarm timestamps as `2019-10-02T17:04:40.985+0000` (no colon in the offset), which
 * `Date.parse` rejects on some runtimes. Returns ISO 8601 UTC, or undefined when unparsable.
 * Lenient (whatever `Date.parse` accepts): AWS Backup's values go through it. Signals use
 * `parseSignalTime`, which is strict.
 */
export function parseAwsTimestamp(value: string): string | undefined {
  const withColon = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(withColon);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/**
 * ISO 8601 as AWS writes it in events and alarms: a four-digit year, `T`, minutes, optional
 * seconds and fraction, then `Z` or an offset with or without its colon (`+0000`, `+00:00`).
 */
const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):?(\d{2}))$/;

/**
 * Epoch milliseconds of an AWS timestamp, or undefined when it is not one. Strict, unlike
 * `Date.parse`, which reads "1" as 2001 and 30 February as 2 March: every field must be in range.
 */
export function parseSignalTime(value: string): number | undefined {
  const m = ISO_TIMESTAMP.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(
    Number,
  ) as [number, number, number, number, number, number];
  const millis = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const offsetHours = Number(m[9] ?? '0');
  const offsetMinutes = Number(m[10] ?? '0');
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return undefined;
  const offset = (m[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return date.getTime() - offset;
}

/** `parseSignalTime` as ISO 8601 UTC (`2019-10-02T17:04:40.985Z`), or undefined. */
export function signalTimeIso(value: string): string | undefined {
  const ms = parseSignalTime(value);
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/**
 * How far a signal's time may be from the router's clock. AWS delivers state changes within
 * minutes (EventBridge retries for at most 2 hours, Lambda's async queue as long again); a time a
 * day away is a replay, a forgery or a broken clock, and would also name the execution after a
 * moment that never happened. Both edges (exactly one day) are accepted.
 */
export const SIGNAL_TIME_WINDOW_MS = CONTROL_PLANE_LIMITS.router.signalWindowHours * 60 * 60 * 1000;

/**
 * Why a signal's time (`field` holds `value`) cannot be acted on at `now`: unparsable, or outside
 * ±1 day of now. Undefined when it is fine.
 */
export function timeWindowProblem(field: string, value: string, now: Date): string | undefined {
  const ms = parseSignalTime(value);
  if (ms === undefined) return `${field} ${JSON.stringify(value)} is not an ISO 8601 timestamp`;
  const skew = ms - now.getTime();
  if (Math.abs(skew) <= SIGNAL_TIME_WINDOW_MS) return undefined;
  return `${field} ${JSON.stringify(value)} is ${skew < 0 ? 'more than a day before' : 'more than a day after'} now (${now.toISOString()})`;
}

/** The time of a signal the window applies to: the alarm's state change, or the event's `time`. */
export function signalTimeField(signal: Signal): { readonly field: string; readonly value: string } {
  if (signal.type === 'alarm') return { field: 'stateChangeTime', value: signal.stateChangeTime };
  return { field: 'time', value: signal.time };
}

/** Why `signal` is too old, too new or undated to act on at `now`; undefined when it is not. */
export function signalTimeProblem(signal: Signal, now: Date): string | undefined {
  const { field, value } = signalTimeField(signal);
  const problem = timeWindowProblem(field, value, now);
  return problem && `${signal.type} signal: ${problem}`;
}
