/**
 * The edge-block detector's metrics: what it emits (lambdas/aws/edge-metrics.ts) and what the
 * catalogue's alarms read. On its own module, with no zod, so the function's bundle carries only
 * this table.
 */
/** Where the detector's metrics go (one environment per account, so no environment dimension). */
export const EDGE_METRICS = {
  namespace: 'InfluenceGen/EdgeBlocking',
  /** Per run: the most failed logins to one admin account from one address in the window. */
  maxAttemptsOnOneAdmin: 'AdminFailedLoginsPerAccountPerIp',
  /** Per run: the most distinct admin accounts with failed logins from one address in the window. */
  maxDistinctAdmins: 'DistinctAdminAccountsFailedPerIp',
  /** Addresses added to the block list. */
  blocks: 'AddressesBlocked',
  /** A run that could not look (query failed or timed out) or could not block (WAF). */
  failures: 'DetectorFailures',
} as const;
