import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { RemediationStep } from '../core/gpu/recheck';
import { queryAll } from './dynamo';

/**
 * The stalled-GPU workflow's items in the state table (the incident itself is the escalation's
 * INCIDENT# item, see state-store.ts):
 *   STALL#CLAIM   / CLAIM                        the one execution remediating now (expires; an
 *                                                escalated stall keeps it until then, so that later
 *                                                triggers join the paged incident)
 *   STALL#ACTIONS / <at>#<execution>#<step>#<id> every task restart and host replacement, 7 days
 *   STALL#CHECKS  / <checkedAt>#<execution>      every check's outcome and what it saw, 14 days
 */
const DAY_SECONDS = 86_400;

export interface RemediationAction {
  readonly at: string;
  readonly executionId: string;
  readonly step: RemediationStep;
  readonly instanceId: string;
  readonly incidentId: string;
}

export type Claim =
  | { readonly claimed: true }
  | { readonly claimed: false; readonly owner: string; readonly incidentId: string };

export class StallStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * Takes the remediation claim, or finds who holds it. One execution remediates at a time; a
   * second trigger joins its incident. A claim outlives a crashed execution only until it expires.
   */
  async claim(executionId: string, incidentId: string, until: Date, now: Date): Promise<Claim> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: 'STALL#CLAIM',
            sk: 'CLAIM',
            owner: executionId,
            incidentId,
            claimedAt: now.toISOString(),
            expiresAt: epoch(until),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR #owner = :me',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':now': epoch(now), ':me': executionId },
        }),
      );
      return { claimed: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const holder = await this.db.send(
        new GetCommand({
          TableName: this.table,
          Key: { pk: 'STALL#CLAIM', sk: 'CLAIM' },
          ConsistentRead: true,
        }),
      );
      return {
        claimed: false,
        owner: String(holder.Item?.owner ?? 'unknown'),
        incidentId: String(holder.Item?.incidentId ?? ''),
      };
    }
  }

  /** Gives the claim back, if this execution still holds it. */
  async release(executionId: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk: 'STALL#CLAIM', sk: 'CLAIM' },
          ConditionExpression: '#owner = :me',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':me': executionId },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** Who holds the remediation claim now, if anyone (an expired claim is no one's). */
  async holder(now: Date): Promise<{ owner: string; incidentId: string } | undefined> {
    const result = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: 'STALL#CLAIM', sk: 'CLAIM' },
        ConsistentRead: true,
      }),
    );
    const item = result.Item;
    if (!item || Number(item.expiresAt) < epoch(now)) return undefined;
    return { owner: String(item.owner), incidentId: String(item.incidentId) };
  }

  /**
   * Counts a trigger into the incident being handled, once per execution (a retried Lambda does
   * not count twice); false when the incident does not exist or this execution already joined.
   */
  async join(incidentId: string, executionId: string, now: Date): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `INCIDENT#${incidentId}`, sk: 'INCIDENT' },
          UpdateExpression: 'SET #count = #count + :one, lastSignalAt = :now ADD joinedBy :me',
          ConditionExpression: 'attribute_exists(pk) AND NOT contains(joinedBy, :execution)',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: {
            ':one': 1,
            ':now': now.toISOString(),
            ':me': new Set([executionId]),
            ':execution': executionId,
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** This execution's recorded actions: what it started, even if it failed before rechecking. */
  async actionsOf(executionId: string): Promise<RemediationAction[]> {
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :execution)',
        ExpressionAttributeValues: { ':pk': 'STALL#ACTIONS', ':execution': `${executionId}#` },
      }),
    );
    return (page.Items ?? []) as RemediationAction[];
  }

  /** Records an action once: a retried step does not count twice against the budget. */
  /** Records an action once; false when this execution had already recorded it (a re-run). */
  async recordAction(action: RemediationAction): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: 'STALL#ACTIONS',
            sk: `${action.executionId}#${action.step}#${action.instanceId}`,
            ...action,
            expiresAt: epoch(new Date(action.at)) + 7 * DAY_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return false;
    }
  }

  /** Actions taken since `since` (TTL keeps the partition to a week of them). */
  async actionsSince(since: Date): Promise<RemediationAction[]> {
    return queryAll<RemediationAction>(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: '#at >= :since',
      ExpressionAttributeNames: { '#at': 'at' },
      ExpressionAttributeValues: { ':pk': 'STALL#ACTIONS', ':since': since.toISOString() },
    });
  }

  async recordCheck(check: {
    readonly executionId: string;
    readonly checkedAt: string;
    readonly trigger: string;
    readonly outcome: string;
    readonly summary: string;
    readonly incidentId?: string;
    readonly findings?: string;
  }): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: 'STALL#CHECKS',
          sk: `${check.checkedAt}#${check.executionId}`,
          ...check,
          expiresAt: epoch(new Date(check.checkedAt)) + 14 * DAY_SECONDS,
        },
      }),
    );
  }

  /** The runs since `since`, oldest first: what each saw and how it ended (`ops gpu-history`). */
  async checksSince(since: Date): Promise<Array<Record<string, unknown>>> {
    return queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk >= :since',
      ExpressionAttributeValues: { ':pk': 'STALL#CHECKS', ':since': since.toISOString() },
    });
  }
}

function epoch(at: Date): number {
  return Math.floor(at.getTime() / 1000);
}
