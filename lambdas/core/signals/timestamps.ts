/**
 * AWS writes alarm timestamps as `2019-10-02T17:04:40.985+0000` (no colon in the offset), which
 * `Date.parse` rejects on some runtimes. Returns ISO 8601 UTC, or undefined when unparsable.
 */
export function parseAwsTimestamp(value: string): string | undefined {
  const withColon = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(withColon);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
