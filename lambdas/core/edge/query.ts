import type { FailureRow } from './detect';

/**
 * The detector's CloudWatch Logs Insights query over the Odoo log group: the addon's JSON
 * `login_failed` lines (platform/odoo/addons/influencegen_signals), counted by address, login and
 * account kind. One query answers both halves of Admin_Account_Brute_Force_Suspected: the counts
 * per (address, login) are exact, and the distinct admin logins per address are counted from the
 * rows (`count_distinct` would give only the second half, and is an estimate at high cardinality).
 * Insights discovers the fields of a JSON log event by itself; Odoo's own text line for the same
 * attempt has no `event` field, so it is not counted twice. Logins tried are attacker-chosen:
 * admins only (the addon's `account`, or a configured admin login) keep the rows few.
 */
const MAX_QUERY_ROWS = 10_000;

/** Config admin logins are validated to hold no quote or backslash; quoted here all the same. */
function quoted(text: string): string {
  return JSON.stringify(text.toLowerCase());
}

export function failedLoginQuery(adminLogins: readonly string[]): string {
  const named = adminLogins.length ? ` or lower(login) in [${adminLogins.map(quoted).join(', ')}]` : '';
  return [
    `filter event = "login_failed" and (account = "admin"${named})`,
    'stats count(*) as attempts by ip, login, account',
    `limit ${MAX_QUERY_ROWS}`,
  ].join('\n| ');
}

/** A result row as GetQueryResults returns it: a list of field/value pairs. */
export type ResultRow = readonly { readonly field?: string; readonly value?: string }[];

/** The rows as FailureRows; a row missing a field is returned apart with why. */
export function parseRows(results: readonly ResultRow[]): {
  rows: FailureRow[];
  ignored: { row: unknown; reason: string }[];
} {
  const rows: FailureRow[] = [];
  const ignored: { row: unknown; reason: string }[] = [];
  for (const result of results) {
    const fields = Object.fromEntries(result.map((f) => [f.field ?? '', f.value]));
    const missing = ['ip', 'login', 'account', 'attempts'].filter((k) => fields[k] === undefined);
    if (missing.length) {
      ignored.push({ row: fields, reason: `missing ${missing.join(', ')}` });
      continue;
    }
    const attempts = Number(fields.attempts);
    if (!Number.isInteger(attempts) || attempts < 1) {
      ignored.push({ row: fields, reason: 'attempts is not a positive integer' });
      continue;
    }
    rows.push({
      ip: String(fields.ip),
      login: String(fields.login),
      account: String(fields.account),
      attempts,
    });
  }
  return { rows, ignored };
}
