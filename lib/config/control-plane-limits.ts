/**
 * The control plane's own safety limits (not the seeds': these protect the paging path from what
 * AWS and callers may send). The modules that enforce them explain each choice where it applies.
 */
export const CONTROL_PLANE_LIMITS = {
  router: {
    /** A free-text field of a signal (alarm reason, event detail) before it is truncated with a marker. */
    fieldBytes: 4 * 1024,
    /** An identity field (alarm name, state, time, event id), never truncated: over it, ignored. */
    identityBytes: 1024,
    /** A whole workflow input after truncation: an eighth of Step Functions' 256 KiB. */
    inputBudgetBytes: 32 * 1024,
    /** How far a signal's own time may be from the router's clock, either way. */
    signalWindowHours: 24,
  },
  acknowledgement: {
    /** How far a proof's signing time may be from the ack function's clock, either way. */
    proofMaxSkewMinutes: 5,
  },
  /** The correlation group's lock: a lease inside a 30 s Lambda, and how long a contender waits. */
  groupLock: { leaseSeconds: 20, waitSeconds: 15 },
} as const;
