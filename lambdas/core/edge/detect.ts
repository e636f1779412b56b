import { contains, hostCidr, NON_PUBLIC_RANGES, parseCidr, parseIp, type CidrRange } from './ip';

/**
 * Admin_Account_Brute_Force_Suspected (seed 004, "Compound Conditions"): within the window, from
 * one source address, either
 * - more than `failedLoginsPerAdmin` failed logins to one admin account (Admin_Failed_Login_Attempts), or
 * - failed logins to more than `distinctAdminAccounts` admin accounts
 *   (Multiple_Admin_Failed_Logins_Different_Accounts_Same_IP).
 */
export interface DetectionThresholds {
  readonly failedLoginsPerAdmin: number;
  readonly distinctAdminAccounts: number;
  /** Logins that count as admin whatever the addon classified them as (`admin`, a renamed superuser). */
  readonly adminLogins: readonly string[];
}

/** One row of the detector's query: failed logins of one login from one address in the window. */
export interface FailureRow {
  readonly ip: string;
  readonly login: string;
  /** The addon's classification (res.users._is_admin()): `admin`, `user` or `unknown`. */
  readonly account: string;
  readonly attempts: number;
}

export type Half = 'one-admin' | 'many-admins';

export interface Suspect {
  readonly ip: string;
  readonly halves: readonly Half[];
  /** The admin login tried most from this address, and how often. */
  readonly topLogin: string;
  readonly topAttempts: number;
  readonly distinctAdmins: number;
  readonly admins: readonly string[];
}

export interface Detection {
  readonly suspects: readonly Suspect[];
  /** The largest values over all addresses: what the detector publishes as metrics. */
  readonly maxAttemptsOnOneAdmin: number;
  readonly maxDistinctAdmins: number;
  /** Rows left out, with why (a malformed row is ignored with a reason, never guessed at). */
  readonly ignored: readonly { readonly row: unknown; readonly reason: string }[];
}

function isAdmin(row: Pick<FailureRow, 'login' | 'account'>, adminLogins: readonly string[]): boolean {
  if (row.account === 'admin') return true;
  const login = row.login.toLowerCase();
  return adminLogins.some((a) => a.toLowerCase() === login);
}

export function detect(rows: readonly FailureRow[], thresholds: DetectionThresholds): Detection {
  const byIp = new Map<string, Map<string, number>>();
  const ignored: { row: unknown; reason: string }[] = [];
  for (const row of rows) {
    if (!Number.isInteger(row.attempts) || row.attempts < 1) {
      ignored.push({ row, reason: 'attempts is not a positive integer' });
      continue;
    }
    if (!isAdmin(row, thresholds.adminLogins)) continue;
    // The same address spelt two ways (an IPv4-mapped IPv6) is one source.
    const ip = parseIp(row.ip)?.text ?? row.ip;
    const logins = byIp.get(ip) ?? new Map<string, number>();
    const login = row.login.toLowerCase();
    logins.set(login, (logins.get(login) ?? 0) + row.attempts);
    byIp.set(ip, logins);
  }
  let maxAttemptsOnOneAdmin = 0;
  let maxDistinctAdmins = 0;
  const suspects: Suspect[] = [];
  for (const [ip, logins] of byIp) {
    const ranked = [...logins.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const [topLogin, topAttempts] = ranked[0] as [string, number];
    maxAttemptsOnOneAdmin = Math.max(maxAttemptsOnOneAdmin, topAttempts);
    maxDistinctAdmins = Math.max(maxDistinctAdmins, logins.size);
    const halves: Half[] = [];
    if (topAttempts > thresholds.failedLoginsPerAdmin) halves.push('one-admin');
    if (logins.size > thresholds.distinctAdminAccounts) halves.push('many-admins');
    if (halves.length)
      suspects.push({
        ip,
        halves,
        topLogin,
        topAttempts,
        distinctAdmins: logins.size,
        admins: ranked.map(([login]) => login),
      });
  }
  return { suspects, maxAttemptsOnOneAdmin, maxDistinctAdmins, ignored };
}

/** Why a suspect is (not) blocked, in words for the page and the ledger. */
export function describe(suspect: Suspect, thresholds: DetectionThresholds, windowMinutes: number): string {
  const parts: string[] = [];
  if (suspect.halves.includes('one-admin'))
    parts.push(
      `${suspect.topAttempts} failed logins to admin account ${suspect.topLogin} (more than ${thresholds.failedLoginsPerAdmin})`,
    );
  if (suspect.halves.includes('many-admins'))
    parts.push(
      `failed logins to ${suspect.distinctAdmins} admin accounts (more than ${thresholds.distinctAdminAccounts})`,
    );
  return `${parts.join(' and ')} from ${suspect.ip} in ${windowMinutes} minutes`;
}

export type Verdict =
  | { readonly action: 'block'; readonly ip: string; readonly cidr: string; readonly version: 4 | 6 }
  | { readonly action: 'refuse'; readonly ip: string; readonly reason: string };

/**
 * Whether an address may be blocked: a real address, public, of the version the block list holds,
 * outside every allow-listed range.
 */
export function verdict(ipText: string, allowList: readonly string[], listVersion: 4 | 6): Verdict {
  const ip = parseIp(ipText);
  if (!ip) return { action: 'refuse', ip: ipText, reason: 'not an IP address' };
  const ranges = allowList.map(parseCidr).filter((r): r is CidrRange => r !== undefined);
  const allowed = ranges.find((r) => contains(r, ip));
  if (allowed) return { action: 'refuse', ip: ip.text, reason: `allow-listed (${allowed.text})` };
  const internal = NON_PUBLIC_RANGES.find((r) => contains(r, ip));
  if (internal)
    return {
      action: 'refuse',
      ip: ip.text,
      reason: `not a public address (${internal.text}): Odoo logged a proxy or the load balancer, not the client`,
    };
  if (ip.version !== listVersion)
    return {
      action: 'refuse',
      ip: ip.text,
      reason: `an IPv${ip.version} address; the block list holds IPv${listVersion}`,
    };
  return { action: 'block', ip: ip.text, cidr: hostCidr(ip), version: ip.version };
}
