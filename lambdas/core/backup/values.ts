import { parseAwsTimestamp } from '../signals/timestamps';

/**
 * AWS Backup's values as its APIs and events deliver them: times as ISO strings or epoch numbers
 * (seconds from the SDK integrations' JSON, milliseconds from some events), sizes as strings in
 * some shapes and numbers in others (strings parsed as the alarms' are, `+0000` offsets
 * included). Unreadable values are absent, never zero.
 */
export function timeOf(value: unknown): Date | undefined {
  if (typeof value === 'number' && Number.isFinite(value))
    return new Date(value < 1e12 ? value * 1000 : value);
  if (typeof value === 'string' && value.trim() !== '') {
    const numeric = Number(value);
    if (Number.isFinite(numeric)) return timeOf(numeric);
    const parsed = parseAwsTimestamp(value.trim());
    return parsed === undefined ? undefined : new Date(parsed);
  }
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
  return undefined;
}

export function bytesOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}
