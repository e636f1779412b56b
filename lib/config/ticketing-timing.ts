/**
 * The ticketing integration's timings, plain numbers (no zod: the ticket function's bundle reads
 * them). lib/config/ticketing.ts re-exports them; test/config/ticketing.test.ts holds the escalation
 * workflow's ticket states (state-machines/escalation.asl.json) to TICKET_STEP_RETRY.
 */

/**
 * The ticket function's timeout. Its HTTP calls have their own deadline (`timeoutMs`, 8 s by
 * default) and an attempt makes at most three in a row before the first one that hangs fails it
 * (Odoo: authenticate, search, create), so 30 s holds an attempt with room for a cold start.
 */
export const TICKET_FUNCTION_TIMEOUT_SECONDS = 30;

/**
 * A claim (to open the ticket, or to push one update) older than this belongs to an attempt that
 * died: another attempt may take it over (after looking for the ticket it may have opened). Four
 * function timeouts: a live attempt is never taken over, even one that started late in its
 * container; a dead one holds the ticket back until a later step (an acknowledgement, the
 * resolution) comes by, which is minutes away at the earliest.
 */
export const TICKET_CLAIM_STALE_MS = 4 * TICKET_FUNCTION_TIMEOUT_SECONDS * 1000;

/**
 * How long a container keeps the ticket system's credentials: one Secrets Manager read per
 * container per quarter hour instead of one per ticket step. A rotation reaches every container
 * within this, or at once at the first authentication refusal (which drops the cached secret).
 */
export const TICKET_SECRET_TTL_MS = 15 * 60_000;

/**
 * The Retry of every ticket state (OpenTicket, SyncTicket*) on the ticket system being down
 * (TicketSystemUnavailable), another attempt holding the claim (TicketBusy) and Lambda's transient
 * failures. The ticket step runs after the page, between it and the wait for an acknowledgement:
 * 4 attempts with at most 2 + 4 + 8 s between them (full jitter) give a system that blips (a
 * restart, a 502 from its proxy) about a minute to answer without holding the escalation's next
 * step back by more than that; a lasting failure is then recorded and raises
 * Ticketing_Integration_Failing. At least 3 retries with backoff 2, full jitter and a cap is the
 * house rule for every Task (test/state-machines/retries.test.ts).
 */
export const TICKET_STEP_RETRY = {
  intervalSeconds: 2,
  maxAttempts: 3,
  backoffRate: 2,
  maxDelaySeconds: 10,
} as const;
