import { z } from 'zod';
import { parseCidr } from '../../lambdas/core/edge/ip';
import type { EnvironmentName } from './constants';

/**
 * Edge blocking: seed 004's automated response to Admin_Account_Brute_Force_Suspected ("temporarily
 * block IP at firewall"). A scheduled detector counts failed admin logins per source address in
 * Odoo's log, adds an offending address to the control plane's WAF IP set (EdgeFirewall's
 * ControlPlaneBlockList) for `blockMinutes`, and removes it when the block expires. Pure data and
 * zod; lib/constructs/control-plane/edge-blocking.ts applies it, docs/edge-blocking.md explains it.
 */

/** Quotes and backslashes would break out of the Logs Insights string the login is put in. */
const AdminLogin = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^"\\\r\n]+$/, 'must not contain quotes, backslashes or line breaks');

const Cidr = z.string().refine((text) => parseCidr(text) !== undefined, {
  message: 'must be a CIDR range with no host bits set (203.0.113.0/24, 2001:db8::/32)',
});

export const EdgeBlockingSchema = z
  .object({
    /** false: detect, publish the metrics and page, but never touch the WAF (a dry run in production). */
    blockingEnabled: z.boolean(),
    /** Seed 004: both halves are counted over 15 minutes. */
    windowMinutes: z.number().int().min(5).max(60),
    /** How often the detector runs (and the sweep removes expired blocks). */
    everyMinutes: z.number().int().min(1).max(15),
    /** Seed 004 Admin_Failed_Login_Attempts: more than 5 failed logins to one admin account from one address. */
    failedLoginsPerAdmin: z.number().int().min(1),
    /** Seed 004 Multiple_Admin_Failed_Logins_Different_Accounts_Same_IP: more than 3 admin accounts. */
    distinctAdminAccounts: z.number().int().min(1),
    /** How long a block lasts ("temporarily"): at most a day, so a wrong block ends by itself. */
    blockMinutes: z.number().int().min(5).max(1440),
    /**
     * Logins counted as admin besides those the addon classifies as admin (res.users._is_admin()):
     * `admin`, Odoo's default superuser login, which an attacker tries whether or not it exists.
     */
    adminLogins: z.array(AdminLogin).max(50),
    /** Ranges never blocked: offices, VPNs, monitoring, pen testers. Private ranges never are anyway. */
    allowList: z.array(Cidr).max(100),
    /** At most this many addresses in the set (WAF allows 10,000): beyond, nothing is added and security is paged. */
    maxBlockedAddresses: z.number().int().min(1).max(10_000),
    /** How long one run waits for its Logs Insights query before stopping it and reporting a failure. */
    queryTimeoutSeconds: z.number().int().min(10).max(600),
  })
  .strict();

export type EdgeBlockingConfig = z.infer<typeof EdgeBlockingSchema>;

const SEED = {
  /** Seed 004: both halves over 15 minutes. */
  windowMinutes: 15,
  /**
   * Three runs per window: an attack is blocked within about 5 minutes of crossing a threshold,
   * while it is still going, for 288 small Insights queries a day.
   */
  everyMinutes: 5,
  failedLoginsPerAdmin: 5,
  distinctAdminAccounts: 3,
  adminLogins: ['admin'],
  allowList: [],
  /**
   * A 15-minute query over one log group completes in seconds; a minute means Insights is in
   * trouble, and the run reports it (DetectorFailures) rather than run into the next one.
   */
  queryTimeoutSeconds: 60,
} as const;

/** Per-environment defaults: blocking everywhere (dev too, so the path is exercised before prod). */
export const EDGE_BLOCKING_DEFAULTS: Readonly<Record<EnvironmentName, EdgeBlockingConfig>> = {
  prod: {
    ...SEED,
    adminLogins: [...SEED.adminLogins],
    allowList: [],
    blockingEnabled: true,
    blockMinutes: 60,
    maxBlockedAddresses: 500,
  },
  staging: {
    ...SEED,
    adminLogins: [...SEED.adminLogins],
    allowList: [],
    blockingEnabled: true,
    blockMinutes: 30,
    maxBlockedAddresses: 100,
  },
  dev: {
    ...SEED,
    adminLogins: [...SEED.adminLogins],
    allowList: [],
    blockingEnabled: true,
    blockMinutes: 15,
    maxBlockedAddresses: 50,
  },
};

/**
 * The environment's settings, validated: an error names the field (`edgeBlocking.allowList.1: ...`)
 * so that a bad range fails at synth.
 */
export function edgeBlockingConfig(input: unknown): EdgeBlockingConfig {
  const parsed = EdgeBlockingSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `edgeBlocking.${issue?.path.map(String).join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

/** The control plane's WAF IP set (EdgeFirewall): `ops unblock` finds it by this name. */
export const controlPlaneBlockListName = (environment: string): string =>
  `influencegen-${environment}-control-plane-blocks`;

export { EDGE_METRICS } from './edge-blocking-metrics';
export { EDGE_TIMING } from './edge-blocking-timing';
