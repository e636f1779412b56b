import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RETENTION } from '../../lib/config/escalation';
import { TICKET_CLAIM_STALE_MS } from '../../lib/config/ticketing-timing';
import type { TicketUpdateKind } from '../core/ticketing/ticket';
import { expiresAfterDays } from './dynamo';
import type { TicketRef } from './ticket-system';

type TicketStatus = 'creating' | 'open' | 'failed';

interface UpdateClaim {
  readonly status: 'sending' | 'done';
  readonly by: string;
  readonly atMs: number;
}

export interface TicketRecord {
  readonly incidentId: string;
  readonly status: TicketStatus;
  readonly system: string;
  readonly claimedBy?: string;
  readonly claimedAtMs?: number;
  readonly ticketId?: string;
  readonly ticketUrl?: string;
  readonly openedAt?: string;
  readonly updates: Readonly<Partial<Record<TicketUpdateKind, UpdateClaim>>>;
  readonly lastError?: string;
  readonly failures?: number;
}

type OpenClaim =
  /** `retaken`: an earlier attempt held the claim, and may have opened the ticket before it failed. */
  | { readonly claimed: true; readonly retaken: boolean }
  | { readonly claimed: false; readonly record: TicketRecord };

/**
 * An incident's ticket on the state table, `TICKET#<incident id>` / `TICKET`: the claim that makes
 * one ticket per incident (whatever the redeliveries and executions), the ticket once open, and
 * each update pushed to it. A claim older than TICKET_CLAIM_STALE_MS belongs to an attempt that
 * died: another may take it over, after looking for the ticket it may have opened.
 */
export class TicketStore {
  constructor(
    private readonly db: Pick<DynamoDBDocumentClient, 'send'>,
    private readonly table: string,
  ) {}

  private key(incidentId: string) {
    return { pk: `TICKET#${incidentId}`, sk: 'TICKET' };
  }

  async get(incidentId: string): Promise<TicketRecord | undefined> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.table, Key: this.key(incidentId), ConsistentRead: true }),
    );
    return r.Item as TicketRecord | undefined;
  }

  /**
   * The claim to open the incident's ticket: taken when there is none, when the last attempt
   * failed, when this execution holds it (its own retry) or when its holder is stale.
   */
  async claimOpen(incidentId: string, system: string, by: string, now: Date): Promise<OpenClaim> {
    try {
      const r = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: this.key(incidentId),
          UpdateExpression:
            'SET incidentId = :id, #status = :creating, #system = :system, claimedBy = :by, claimedAtMs = :now, ' +
            'updates = if_not_exists(updates, :none), expiresAt = :expires',
          ConditionExpression:
            'attribute_not_exists(pk) OR #status = :failed OR (#status = :creating AND (claimedBy = :by OR claimedAtMs < :stale))',
          ExpressionAttributeNames: { '#status': 'status', '#system': 'system' },
          ExpressionAttributeValues: {
            ':id': incidentId,
            ':creating': 'creating',
            ':failed': 'failed',
            ':system': system,
            ':by': by,
            ':now': now.getTime(),
            ':stale': now.getTime() - TICKET_CLAIM_STALE_MS,
            ':none': {},
            ':expires': expiresAfterDays(now, RETENTION.incidentDays),
          },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return { claimed: true, retaken: r.Attributes !== undefined };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const record = await this.get(incidentId);
      if (!record) throw error;
      return { claimed: false, record };
    }
  }

  async markOpen(incidentId: string, ticket: TicketRef, now: Date): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: this.key(incidentId),
        UpdateExpression:
          'SET #status = :open, ticketId = :ticket, ticketUrl = :url, openedAt = :at REMOVE lastError',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':open': 'open',
          ':ticket': ticket.id,
          ':url': ticket.url,
          ':at': now.toISOString(),
        },
      }),
    );
  }

  /** The claim's attempt failed: the next attempt may claim at once (and looks for the ticket first). */
  async releaseOpen(incidentId: string, by: string, error: string): Promise<void> {
    await this.conditional(
      new UpdateCommand({
        TableName: this.table,
        Key: this.key(incidentId),
        UpdateExpression: 'SET #status = :failed, lastError = :error',
        ConditionExpression: '#status = :creating AND claimedBy = :by',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':failed': 'failed',
          ':creating': 'creating',
          ':by': by,
          ':error': error,
        },
      }),
    );
  }

  /** A ticket step gave up after its retries: counted on the record (which stays as it was otherwise). */
  async recordFailure(incidentId: string, error: string, now: Date): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: this.key(incidentId),
        UpdateExpression:
          'SET incidentId = :id, lastError = :error, failedAt = :at, #status = if_not_exists(#status, :failed), ' +
          'updates = if_not_exists(updates, :none), expiresAt = if_not_exists(expiresAt, :expires) ADD failures :one',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':id': incidentId,
          ':error': error,
          ':at': now.toISOString(),
          ':failed': 'failed',
          ':none': {},
          ':one': 1,
          ':expires': expiresAfterDays(now, RETENTION.incidentDays),
        },
      }),
    );
  }

  /** The claim to push one update to the open ticket; false when it is done or another attempt is sending it. */
  async claimUpdate(incidentId: string, kind: TicketUpdateKind, by: string, now: Date): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.table,
        Key: this.key(incidentId),
        UpdateExpression: 'SET updates.#kind = :claim',
        ConditionExpression:
          '#status = :open AND (attribute_not_exists(updates.#kind) OR ' +
          '(updates.#kind.#state = :sending AND (updates.#kind.#by = :by OR updates.#kind.atMs < :stale)))',
        ExpressionAttributeNames: { '#status': 'status', '#kind': kind, '#state': 'status', '#by': 'by' },
        ExpressionAttributeValues: {
          ':open': 'open',
          ':sending': 'sending',
          ':by': by,
          ':stale': now.getTime() - TICKET_CLAIM_STALE_MS,
          ':claim': { status: 'sending', by, atMs: now.getTime() } satisfies UpdateClaim,
        },
      }),
    );
  }

  async finishUpdate(incidentId: string, kind: TicketUpdateKind, by: string, now: Date): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: this.key(incidentId),
        UpdateExpression: 'SET updates.#kind = :done',
        ExpressionAttributeNames: { '#kind': kind },
        ExpressionAttributeValues: {
          ':done': { status: 'done', by, atMs: now.getTime() } satisfies UpdateClaim,
        },
      }),
    );
  }

  /** The update failed: the next attempt may send it at once. */
  async releaseUpdate(incidentId: string, kind: TicketUpdateKind, by: string): Promise<void> {
    await this.conditional(
      new UpdateCommand({
        TableName: this.table,
        Key: this.key(incidentId),
        UpdateExpression: 'REMOVE updates.#kind',
        ConditionExpression: 'updates.#kind.#state = :sending AND updates.#kind.#by = :by',
        ExpressionAttributeNames: { '#kind': kind, '#state': 'status', '#by': 'by' },
        ExpressionAttributeValues: { ':sending': 'sending', ':by': by },
      }),
    );
  }

  private async conditional(command: UpdateCommand): Promise<boolean> {
    try {
      await this.db.send(command);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
