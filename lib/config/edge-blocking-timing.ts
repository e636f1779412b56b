/**
 * The edge-block function's fixed timings: the same in every environment, so not settings. On its
 * own module, with no zod, so the function's bundle carries only this table (as
 * edge-blocking-metrics.ts). lib/config/edge-blocking.ts re-exports it.
 */
export const EDGE_TIMING = {
  /**
   * WAF edits (GetIPSet + UpdateIPSet): 6 attempts, 200 ms doubling and jittered (0.2 + 0.4 + ... +
   * 3.2 s, about 6 s at most). A stale lock token (another writer came first) clears in one retry;
   * WAF's control-plane throttling, a few requests a second per account, clears within seconds; a
   * fault lasting longer is reported and the next scheduled run tries again. Six seconds per block
   * keeps a run's blocks well inside `runMarginSeconds`.
   */
  wafRetry: { attempts: 6, baseDelayMs: 200 },
  /**
   * A block claimed (`pending`) by a run that died before confirming it is taken over after this
   * long: Lambda's longest timeout, so a run still alive never loses its claim.
   */
  pendingStaleMinutes: 15,
  /** Logs Insights answers a 15-minute query over one log group in seconds: polled every second. */
  queryPollMs: 1000,
  /** The function's timeout beyond the query's wait: the sweep and a few blocks' WAF retries. */
  runMarginSeconds: 120,
  /** A block's record outlives the block by a week: a sweep that is late or failing still finds it. */
  recordKeptDays: 7,
} as const;
