import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TicketingConfig } from '../../lib/config/ticketing';
import { catalogueAlert } from '../core/escalation/catalogue';
import type { Incident } from '../core/escalation/types';
import { InvalidInputError } from '../core/invalid-input';
import {
  dueUpdates,
  ticketContent,
  ticketEligibility,
  type TicketUpdateKind,
} from '../core/ticketing/ticket';
import { defaultDeps, type Deps } from '../aws/deps';
import { documentClient } from '../aws/dynamo';
import { readTicketing } from '../aws/ticketing-config';
import { JiraServiceManagement } from '../aws/jira-service-management';
import { lazyHandler } from '../aws/lazy-handler';
import { OdooHelpdesk } from '../aws/odoo-helpdesk';
import { TicketSystemError } from '../aws/ticket-http';
import { stringFields, TicketSecret } from '../aws/ticket-secrets';
import { TicketStore, type TicketRecord } from '../aws/ticket-store';
import type { TicketSystem } from '../aws/ticket-system';
import { TicketingFailureMetrics, type TicketingFailureSink } from '../aws/ticketing-metrics';

/** The error a step throws while another execution holds the claim to open the ticket (the Retry reads it). */
const BUSY = 'TicketBusy';

/**
 * `open`: after the first page of a new incident. `sync`: after an acknowledgement or the
 * resolution (and whenever an open failed before: the ticket is opened then). `failed`: the
 * workflow's Catch, after a step's retries ran out: recorded, counted, alerted on.
 */
export interface TicketEvent {
  readonly phase: 'open' | 'sync' | 'failed';
  readonly incidentId: string;
  readonly executionId?: string;
  /** For `failed`: what the Catch caught (Step Functions' `Error` and `Cause`). */
  readonly error?: { readonly Error?: string; readonly Cause?: string };
}

export type TicketResult =
  | { readonly status: 'skipped'; readonly reason: string }
  | {
      readonly status: 'opened' | 'found' | 'exists' | 'updated';
      readonly ticketId: string;
      readonly url: string;
      readonly updates: readonly TicketUpdateKind[];
    }
  | { readonly status: 'failure-recorded'; readonly error: string }
  /** The step gave up waiting on another execution's live claim: that execution owns the outcome. */
  | { readonly status: 'deferred'; readonly reason: string };

export interface TicketDeps extends Deps {
  readonly db: Pick<DynamoDBDocumentClient, 'send'>;
  readonly ticketing: TicketingConfig;
  /** Undefined when the environment opens no tickets (`system: none`). */
  readonly system: TicketSystem | undefined;
  /** Dropped on an authentication refusal, so a rotated secret is read on the next attempt. */
  readonly invalidateSecret: () => void;
  readonly failures: TicketingFailureSink;
}

/**
 * Opens and updates the ticket of an incident (seed 004 "Ticketing Integration"). Never pages and
 * never holds the group lock: the workflow pages first and runs this beside the escalation; a
 * ticket system that is down only delays this step's retries, then is recorded.
 */
export function makeTicketHandler(deps: TicketDeps) {
  const tickets = new TicketStore(deps.db, deps.config.stateTable);
  const systemName = deps.ticketing.system;

  const open = async (system: TicketSystem, incident: Incident, by: string): Promise<TicketResult> => {
    const eligibility = ticketEligibility(incident);
    if (!eligibility.eligible) return { status: 'skipped', reason: eligibility.reason };
    const now = deps.now();
    const claim = await tickets.claimOpen(incident.id, systemName, by, now);
    if (!claim.claimed) {
      if (claim.record.status === 'open') return sync(system, incident, claim.record, by, 'exists');
      // Another execution is opening it right now: the Retry comes back when it has.
      throw Object.assign(
        new Error(`ticket of ${incident.id} is being opened by ${claim.record.claimedBy}`),
        { name: BUSY },
      );
    }
    try {
      // An earlier attempt may have opened it and died (or timed out) before recording it.
      const found = claim.retaken ? await system.find(incident.id) : undefined;
      const ticket =
        found ??
        (await system.create(
          ticketContent(incident, catalogueAlert(incident.alertName), eligibility.severity, {
            environment: deps.config.environment,
            runbookBaseUrl: deps.config.runbookBaseUrl,
          }),
        ));
      await tickets.markOpen(incident.id, ticket, deps.now());
      deps.logger.info('ticket opened', {
        incident: incident.id,
        system: systemName,
        ticket,
        found: !!found,
      });
      const record = (await tickets.get(incident.id)) as TicketRecord;
      return sync(system, incident, record, by, found ? 'found' : 'opened');
    } catch (error) {
      await tickets.releaseOpen(incident.id, by, messageOf(error));
      throw failure(error);
    }
  };

  const sync = async (
    system: TicketSystem,
    incident: Incident,
    record: TicketRecord,
    by: string,
    status: 'opened' | 'found' | 'exists' | 'updated',
  ): Promise<TicketResult> => {
    const ticket = { id: record.ticketId as string, url: record.ticketUrl as string };
    const done = new Set(
      (Object.keys(record.updates ?? {}) as TicketUpdateKind[]).filter(
        (k) => record.updates[k]?.status === 'done',
      ),
    );
    const pushed: TicketUpdateKind[] = [];
    for (const update of dueUpdates(incident, done)) {
      if (!(await tickets.claimUpdate(incident.id, update.kind, by, deps.now()))) continue;
      try {
        await system.update(ticket, update);
      } catch (error) {
        await tickets.releaseUpdate(incident.id, update.kind, by);
        throw failure(error);
      }
      await tickets.finishUpdate(incident.id, update.kind, by, deps.now());
      pushed.push(update.kind);
    }
    if (pushed.length > 0)
      deps.logger.info('ticket updated', { incident: incident.id, ticket, updates: pushed });
    return { status, ticketId: ticket.id, url: ticket.url, updates: pushed };
  };

  /** An authentication refusal drops the cached secret; the error keeps the name the Retry reads. */
  const failure = (error: unknown): Error => {
    if (error instanceof TicketSystemError && error.authentication) deps.invalidateSecret();
    return error as Error;
  };

  return async (event: TicketEvent): Promise<TicketResult> => {
    if (typeof event?.incidentId !== 'string' || event.incidentId.length === 0)
      throw new InvalidInputError('incidentId: expected the incident id');
    if (!['open', 'sync', 'failed'].includes(event.phase))
      throw new InvalidInputError(`phase: expected open, sync or failed, got ${String(event.phase)}`);
    // One id per execution: a retry of the same step finds its own claim.
    const by = event.executionId ?? `invocation-${deps.now().toISOString()}`;

    if (event.phase === 'failed' && event.error?.Error === BUSY) {
      // Not the ticket system failing: another execution (a redelivery of the same incident) held
      // a live claim for longer than this step's retries (its attempt may take the function's
      // whole timeout). That execution opens the ticket or, failing, records and counts it itself;
      // counting here too would raise Ticketing_Integration_Failing for a system that works.
      const reason = `another execution is opening the ticket: ${parseCause(event.error.Cause)}`;
      deps.logger.info('ticket step deferred to the execution holding the claim', {
        incident: event.incidentId,
        reason,
      });
      return { status: 'deferred', reason: reason.slice(0, 500) };
    }
    if (event.phase === 'failed') {
      const error = `${event.error?.Error ?? 'Error'}: ${parseCause(event.error?.Cause)}`.slice(0, 500);
      await tickets.recordFailure(event.incidentId, error, deps.now());
      deps.failures.failed();
      deps.logger.error('ticket step failed after its retries; the pages went out', {
        incident: event.incidentId,
        system: systemName,
        error,
      });
      return { status: 'failure-recorded', error };
    }
    const system = deps.system;
    if (!system)
      return { status: 'skipped', reason: 'this environment opens no tickets (ticketing.system: none)' };
    const incident = await deps.store.incident(event.incidentId);
    if (!incident) throw new InvalidInputError(`incidentId: incident ${event.incidentId} does not exist`);

    if (event.phase === 'open') return open(system, incident, by);
    const record = await tickets.get(incident.id);
    // Only an incident that was due a ticket has a record; one whose opening failed is opened now.
    if (!record) return { status: 'skipped', reason: 'no ticket was opened for this incident' };
    if (record.status !== 'open') return open(system, incident, by);
    return sync(system, incident, record, by, 'updated');
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 500) : String(error);
}

/** A Lambda error's Cause is its JSON (errorMessage, errorType); anything else is kept as it is. */
function parseCause(cause: string | undefined): string {
  if (!cause) return 'no cause';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : cause;
  } catch {
    return cause;
  }
}

/** The configured system, its credentials read from Secrets Manager once per container. */
export function ticketSystemFor(
  ticketing: TicketingConfig,
  secrets: Pick<SecretsManagerClient, 'send'>,
  fetchImpl: typeof fetch = fetch,
): { system: TicketSystem | undefined; invalidateSecret: () => void } {
  switch (ticketing.system) {
    case 'odoo-helpdesk': {
      const secret = new TicketSecret(
        secrets,
        ticketing.secret,
        stringFields(['login', 'password'] as const),
      );
      return {
        system: new OdooHelpdesk(ticketing, secret.get, fetchImpl),
        invalidateSecret: () => secret.invalidate(),
      };
    }
    case 'jira-service-management': {
      const secret = new TicketSecret(
        secrets,
        ticketing.secret,
        stringFields(['email', 'apiToken'] as const),
      );
      return {
        system: new JiraServiceManagement(ticketing, secret.get, fetchImpl),
        invalidateSecret: () => secret.invalidate(),
      };
    }
    default:
      return { system: undefined, invalidateSecret: () => undefined };
  }
}

export const handler = lazyHandler((): TicketDeps => {
  const deps = defaultDeps();
  const ticketing = readTicketing();
  return {
    ...deps,
    db: documentClient(),
    ticketing,
    ...ticketSystemFor(ticketing, new SecretsManagerClient({ maxAttempts: 3 })),
    failures: new TicketingFailureMetrics(),
  };
}, makeTicketHandler);
