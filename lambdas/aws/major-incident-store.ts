import { conditionalWrite } from './dynamo';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StakeholderList } from '../../lib/config/major-incident-lists';

/**
 * The major incidents in the state table:
 *   MAJOR#ACTIVE / STATE   the register every declaration and end goes through: `active` (with the
 *                          major incident's id) or `ended`, with the execution that changed it and
 *                          when that execution was started (`changedAt`, Step Functions' clock)
 *   MAJOR#<id>   / RECORD  one major incident: who declared it, why, whom it notified, who ended it
 * Every change is a conditional write on the register, ordered by when each request was made
 * (its execution's start), not by when it is processed: a second declaration while one is active
 * is refused (nobody is notified twice); an end that finds nothing active leaves a mark, so that a
 * declaration requested before it but recorded after it (out of order) is superseded instead of
 * notifying everyone of an incident already declared over; a retried step of the same execution
 * finds its own change and goes on.
 */

const ACTIVE_KEY = { pk: 'MAJOR#ACTIVE', sk: 'STATE' } as const;
const recordKey = (majorId: string) => ({ pk: `MAJOR#${majorId}`, sk: 'RECORD' });

export interface Change {
  readonly executionName: string;
  /** When the request was made: the execution's start (ISO 8601, Step Functions' clock). */
  readonly requestedAt: string;
  readonly requestedBy: string;
  readonly reason: string;
  /** The execution's ARN: how the record is joined to CloudTrail's StartExecution event. */
  readonly executionId: string;
}

export interface MajorRecord {
  readonly majorId: string;
  readonly reason: string;
  readonly declaredBy: string;
  readonly declaredAt: string;
  readonly broadImpact: boolean;
  readonly lists: StakeholderList[];
  readonly declareExecution: string;
  readonly endedAt?: string;
  readonly endedBy?: string;
  readonly endReason?: string;
  readonly endExecution?: string;
  readonly deliveries?: Record<string, unknown>;
}

export type DeclareOutcome =
  | { readonly outcome: 'declared' }
  | { readonly outcome: 'already-active'; readonly activeId: string; readonly since: string }
  | { readonly outcome: 'superseded'; readonly endedAt: string };

export type EndOutcome =
  | { readonly outcome: 'ended'; readonly record: MajorRecord }
  | { readonly outcome: 'not-active'; readonly why: string };

interface Register {
  readonly state: 'active' | 'ended';
  readonly majorId?: string;
  readonly changedBy: string;
  readonly changedAt: string;
}

export class MajorIncidentStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Declares a major incident (its id: the execution's name), unless one is active already. */
  async declare(
    change: Change,
    declaration: { readonly broadImpact: boolean; readonly lists: StakeholderList[] },
  ): Promise<DeclareOutcome> {
    const majorId = change.executionName;
    const taken = await this.setRegister(
      { state: 'active', majorId, changedBy: majorId, changedAt: change.requestedAt },
      // Free, or ended before this request was made, or already this execution's (a retry).
      'attribute_not_exists(pk) OR (#state = :ended AND changedAt < :at) OR (#state = :active AND changedBy = :me)',
    );
    if (!taken) {
      const now = await this.register();
      if (now?.state === 'active')
        return { outcome: 'already-active', activeId: String(now.majorId), since: now.changedAt };
      return { outcome: 'superseded', endedAt: now?.changedAt ?? 'unknown' };
    }
    // Written after the register, and idempotent (the same values again on a retry); the end's
    // fields, written only once this is active, are left alone.
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: recordKey(majorId),
        UpdateExpression:
          'SET majorId = :id, reason = :reason, declaredBy = :by, declaredAt = :at, broadImpact = :broad, lists = :lists, declareExecution = :execution',
        ExpressionAttributeValues: {
          ':id': majorId,
          ':reason': change.reason,
          ':by': change.requestedBy,
          ':at': change.requestedAt,
          ':broad': declaration.broadImpact,
          ':lists': declaration.lists,
          ':execution': change.executionId,
        },
      }),
    );
    return { outcome: 'declared' };
  }

  /** Ends the active major incident; with none active, leaves the mark that supersedes an older declaration. */
  async end(change: Change): Promise<EndOutcome> {
    const me = change.executionName;
    const now = await this.register();
    if (now?.state === 'ended' && now.changedBy === me && now.majorId) {
      // A retry of this end, which had ended it.
      const record = await this.record(now.majorId);
      if (record) return { outcome: 'ended', record };
    }
    if (now?.state === 'active' && now.majorId) {
      // Requested before (or as) the active one was declared: this end was not meant for it.
      if (now.changedAt >= change.requestedAt)
        return {
          outcome: 'not-active',
          why: `the active major incident ${now.majorId} was declared after this end was requested; it stays active`,
        };
      const ended = await this.setRegister(
        { state: 'ended', majorId: now.majorId, changedBy: me, changedAt: change.requestedAt },
        '#state = :active AND majorId = :id AND changedAt < :at',
        { ':id': now.majorId },
      );
      // Ended by someone else meanwhile: told as not active (their end notified everyone).
      if (!ended) return this.end(change);
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: recordKey(now.majorId),
          UpdateExpression:
            'SET endedAt = :at, endedBy = :by, endReason = :reason, endExecution = :execution',
          ExpressionAttributeValues: {
            ':at': change.requestedAt,
            ':by': change.requestedBy,
            ':reason': change.reason,
            ':execution': change.executionId,
          },
        }),
      );
      const record = await this.record(now.majorId);
      if (record) return { outcome: 'ended', record };
      return { outcome: 'not-active', why: `major incident ${now.majorId} has no record` };
    }
    // Nothing active: mark the end, so that a declaration requested before it and recorded after it
    // is superseded. A newer mark stays.
    await this.setRegister(
      { state: 'ended', changedBy: me, changedAt: change.requestedAt },
      'attribute_not_exists(pk) OR (#state = :ended AND changedAt < :at)',
    );
    return {
      outcome: 'not-active',
      why:
        now?.state === 'ended' && now.majorId
          ? `major incident ${now.majorId} was already ended at ${now.changedAt}`
          : 'no major incident is active',
    };
  }

  /** Adds what one step's notifications reached to the record (a repeat overwrites its own key). */
  async recordDeliveries(majorId: string, action: 'declare' | 'end', deliveries: unknown): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: recordKey(majorId),
        UpdateExpression: 'SET deliveries = if_not_exists(deliveries, :empty)',
        ExpressionAttributeValues: { ':empty': {} },
      }),
    );
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: recordKey(majorId),
        UpdateExpression: 'SET deliveries.#action = :deliveries',
        ExpressionAttributeNames: { '#action': action },
        ExpressionAttributeValues: { ':deliveries': deliveries },
      }),
    );
  }

  async record(majorId: string): Promise<MajorRecord | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.table, Key: recordKey(majorId), ConsistentRead: true }),
    );
    return result.Item as MajorRecord | undefined;
  }

  /** The active major incident's id, if one is active. */
  async active(): Promise<string | undefined> {
    const now = await this.register();
    return now?.state === 'active' ? now.majorId : undefined;
  }

  private async register(): Promise<Register | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.table, Key: ACTIVE_KEY, ConsistentRead: true }),
    );
    return result.Item as Register | undefined;
  }

  /** One conditional write of the register; false when the condition did not hold. */
  private setRegister(
    to: Register,
    condition: string,
    values: Record<string, unknown> = {},
  ): Promise<boolean> {
    return conditionalWrite(
      this.db,
      new UpdateCommand({
        TableName: this.table,
        Key: ACTIVE_KEY,
        UpdateExpression: `SET #state = :state, changedBy = :me, changedAt = :at${to.majorId ? ', majorId = :major' : ' REMOVE majorId'}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':state': to.state,
          ':me': to.changedBy,
          ':at': to.changedAt,
          ...(condition.includes(':active') ? { ':active': 'active' } : {}),
          ...(condition.includes(':ended') ? { ':ended': 'ended' } : {}),
          ...(to.majorId ? { ':major': to.majorId } : {}),
          ...values,
        },
      }),
    );
  }
}
