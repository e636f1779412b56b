import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EDGE_TIMING } from '../../lib/config/edge-blocking-timing';
import { RETENTION } from '../../lib/config/escalation';
import { conditionalWrite, expiresAfterDays, queryAll } from './dynamo';

/**
 * The edge blocks in the state table, one partition per address:
 *   EDGEBLOCK#<ip> / CURRENT           the block in force (or the hold after `ops unblock`): who, why, until
 *   EDGEBLOCK#<ip> / <at>#<event>      the ledger: blocked, expired, unblocked, refused, failed (kept RETENTION.ledgerDays)
 *   EDGEBLOCK#<ip> / NOTICE#<kind>     a page already sent for this address in this window (cap reached, failure)
 * CURRENT is written before the WAF set is edited and only by a conditional write, so two detectors
 * running at once block an address once, and the sweep removes only the block it read as expired.
 */
export interface BlockRecord {
  readonly ip: string;
  readonly cidr: string;
  readonly blockId: string;
  /** pending: claimed, the WAF edit not yet confirmed; blocked: in the set; unblocked: ended early, held. */
  readonly state: 'pending' | 'blocked' | 'unblocked';
  readonly blockedAt: string;
  readonly until: string;
  readonly by: string;
  readonly reason: string;
  readonly evidence?: Record<string, unknown>;
  readonly endedBy?: string;
  readonly endedReason?: string;
  readonly endedAt?: string;
}

export type LedgerEvent = 'blocked' | 'expired' | 'unblocked' | 'refused' | 'failed';

const pk = (ip: string) => `EDGEBLOCK#${ip}`;
function storable(record: BlockRecord) {
  return {
    pk: pk(record.ip),
    sk: 'CURRENT',
    ...record,
    expiresAt: expiresAfterDays(new Date(record.until), EDGE_TIMING.recordKeptDays),
  };
}

export class EdgeBlockStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async current(ip: string): Promise<BlockRecord | undefined> {
    const r = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: pk(ip), sk: 'CURRENT' }, ConsistentRead: true }),
    );
    if (!r.Item) return undefined;
    const { pk: _pk, sk: _sk, expiresAt: _e, ...record } = r.Item;
    return record as BlockRecord;
  }

  /**
   * Claims the address for a new block: only where no block is in force (none, or its `until` is
   * past), or where a claim was left `pending` by a run that died before `staleBefore`. False: another
   * run holds it.
   */
  async claim(record: BlockRecord, now: Date, staleBefore: Date): Promise<boolean> {
    return this.conditional(
      new PutCommand({
        TableName: this.table,
        Item: storable(record),
        ConditionExpression:
          'attribute_not_exists(pk) OR #until <= :now OR (#state = :pending AND blockedAt < :stale)',
        ExpressionAttributeNames: { '#until': 'until', '#state': 'state' },
        ExpressionAttributeValues: {
          ':now': now.toISOString(),
          ':pending': 'pending',
          ':stale': staleBefore.toISOString(),
        },
      }),
    );
  }

  /** The claim's WAF edit is done: the block is in force. */
  async confirm(record: BlockRecord): Promise<void> {
    await this.conditional(
      new PutCommand({
        TableName: this.table,
        Item: storable({ ...record, state: 'blocked' }),
        ConditionExpression: 'blockId = :id',
        ExpressionAttributeValues: { ':id': record.blockId },
      }),
    );
  }

  /** Gives up a claim whose WAF edit failed, so the next run tries again. */
  async release(ip: string, blockId: string): Promise<void> {
    await this.conditional(
      new DeleteCommand({
        TableName: this.table,
        Key: { pk: pk(ip), sk: 'CURRENT' },
        ConditionExpression: 'blockId = :id',
        ExpressionAttributeValues: { ':id': blockId },
      }),
    );
  }

  /** Ends the block the sweep removed, unless it was renewed (another blockId) or extended since. */
  async endExpired(ip: string, blockId: string, now: Date): Promise<boolean> {
    return this.conditional(
      new DeleteCommand({
        TableName: this.table,
        Key: { pk: pk(ip), sk: 'CURRENT' },
        ConditionExpression: 'blockId = :id AND #until <= :now',
        ExpressionAttributeNames: { '#until': 'until' },
        ExpressionAttributeValues: { ':id': blockId, ':now': now.toISOString() },
      }),
    );
  }

  /**
   * Ends a block early (`ops unblock`): the record stays, `unblocked`, until `holdUntil`, so the
   * detector does not block again for the attempts it has already counted.
   */
  async endEarly(
    ip: string,
    cidr: string,
    ended: { by: string; reason: string; at: Date; holdUntil: Date },
  ): Promise<BlockRecord | undefined> {
    const previous = await this.current(ip);
    const record: BlockRecord = {
      ...(previous ?? {
        blockId: 'none',
        blockedAt: ended.at.toISOString(),
        by: ended.by,
        reason: 'not blocked',
      }),
      ip,
      cidr,
      state: 'unblocked',
      until: ended.holdUntil.toISOString(),
      endedBy: ended.by,
      endedReason: ended.reason,
      endedAt: ended.at.toISOString(),
    };
    await this.db.send(new PutCommand({ TableName: this.table, Item: storable(record) }));
    return previous;
  }

  /** Whether this run is the first to page about `kind` for the address before `until`. */
  async firstNotice(ip: string, kind: string, now: Date, until: Date): Promise<boolean> {
    return this.conditional(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: pk(ip),
          sk: `NOTICE#${kind}`,
          until: until.toISOString(),
          // Only tidies up: the condition on `until` is what ends the notice's window.
          expiresAt: expiresAfterDays(until, 1),
        },
        ConditionExpression: 'attribute_not_exists(pk) OR #until <= :now',
        ExpressionAttributeNames: { '#until': 'until' },
        ExpressionAttributeValues: { ':now': now.toISOString() },
      }),
    );
  }

  /** One ledger line: who did what to the address, why, and until when. */
  async record(ip: string, event: LedgerEvent, at: Date, fields: Record<string, unknown>): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: pk(ip),
          sk: `${at.toISOString()}#${event}`,
          ip,
          event,
          at: at.toISOString(),
          ...fields,
          expiresAt: expiresAfterDays(at, RETENTION.ledgerDays),
        },
      }),
    );
  }

  /** The address's ledger, oldest first (CURRENT and notices left out). */
  async ledger(ip: string): Promise<Record<string, unknown>[]> {
    const items = await queryAll<Record<string, unknown>>(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk(ip) },
    });
    return items.filter((i) => /^\d{4}-/.test(String(i.sk)));
  }

  /** A conditional write: false when its condition did not hold (lambdas/aws/dynamo.ts). */
  private conditional(command: PutCommand | DeleteCommand): Promise<boolean> {
    return conditionalWrite(this.db, command);
  }
}
