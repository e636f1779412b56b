import type { AlertDefinition } from '../../../lib/config/alert-schema';
import {
  BUSINESS_HOURS,
  FALLBACK_CHANNELS,
  OFF_HOURS_CHANNELS,
  SECURITY_CHANNELS,
  SEVERITY_CHANNELS,
} from '../../../lib/config/escalation';
import type { ChannelId } from '../../../lib/config/schema';

type BusinessHours = {
  readonly timezone: string;
  readonly startHour: number;
  readonly endHour: number;
  readonly weekdays: readonly number[];
};

/** Whether `at` falls in business hours, in the configured time zone. */
export function isBusinessHours(at: Date, hours: BusinessHours = BUSINESS_HOURS): boolean {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: hours.timezone,
    weekday: 'short',
    hour: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(at);
  const weekday =
    ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(
      parts.find((p) => p.type === 'weekday')?.value ?? '',
    ) + 1;
  const hour = Number(parts.find((p) => p.type === 'hour')?.value);
  return hours.weekdays.includes(weekday) && hour >= hours.startHour && hour < hours.endHour;
}

/** The channel a step's page falls back to when one of its channels fails (lib/config). */
export function fallbackChannelFor(planned: readonly ChannelId[]): ChannelId {
  return planned.some((c) => SECURITY_CHANNELS.includes(c))
    ? FALLBACK_CHANNELS.security
    : FALLBACK_CHANNELS.general;
}

/**
 * Seed 004's routing: security alerts of High or Critical severity go to the security channels
 * only (priority 0); others by severity, with the off-hours table outside business hours.
 */
export function channelsFor(
  alert: Pick<AlertDefinition, 'severity' | 'security'>,
  at: Date,
  hours: BusinessHours = BUSINESS_HOURS,
): readonly ChannelId[] {
  if (alert.security && (alert.severity === 'Critical' || alert.severity === 'High'))
    return SECURITY_CHANNELS;
  return isBusinessHours(at, hours) ? SEVERITY_CHANNELS[alert.severity] : OFF_HOURS_CHANNELS[alert.severity];
}
