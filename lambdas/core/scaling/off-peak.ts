import type { ComponentPolicy } from '../../../lib/config/schema';

/** Minutes since midnight of `at` in `timezone`. */
function minuteOfDay(at: Date, timezone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

/** Whether the off-peak window (which may cross midnight) covers `at`. */
export function inOffPeak(offPeak: ComponentPolicy['offPeak'], at: Date): boolean {
  if (!offPeak.enabled) return false;
  const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const now = minuteOfDay(at, offPeak.timezone);
  const start = toMinutes(offPeak.start);
  const end = toMinutes(offPeak.end);
  return start <= end ? now >= start && now < end : now >= start || now < end;
}

/** The off-peak count (seed 002's off-peak minimum), never above the environment's maximum. */
export function offPeakCount(policy: ComponentPolicy): number {
  return Math.min(policy.offPeak.minCapacity, policy.capacity.max);
}

/** The floor in force now: the off-peak count inside the window, the policy's minimum otherwise. */
export function floorAt(policy: ComponentPolicy, at: Date): number {
  return inOffPeak(policy.offPeak, at) ? offPeakCount(policy) : policy.capacity.min;
}
