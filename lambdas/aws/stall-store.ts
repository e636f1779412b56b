import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { RemediationStep } from '../core/gpu/recheck';
import { RETENTION } from '../../lib/config/escalation';
import { epochSeconds, expiresAfterDays, queryAll } from './dynamo';

/**
 * The stalled-GPU workflow's items in the state table (the incident itself is the escalation's
 * INCIDENT# item, see state-store.ts):
 *   STALL#CLAIM   / CLAIM                        the one execution remediating now (expires; an
 *                                                escalated stall keeps it until then, so that later
 *                                                triggers join the paged incident)
 *   STALL#ACTIONS / <execution>#<step>#<instance> every task restart and host replacement, kept a
 *                                                week; keyed by execution so a re-run records once
 *   STALL#CHECKS  / <checkedAt>#<execution>      every check's outcome and what it saw, two weeks
 */

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
            expiresAt: epochSeconds(until),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR #owner = :me',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':now': epochSeconds(now), ':me': executionId },
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
    if (!item || Number(item.expiresAt) < epochSeconds(now)) return undefined;
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
    return queryAll<RemediationAction>(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :execution)',
      ExpressionAttributeValues: { ':pk': 'STALL#ACTIONS', ':execution': `${executionId}#` },
    });
  }

  /**
   * Records an action once (a retried step does not count twice against the budget); false when
   * this execution had already recorded it.
   */
  async recordAction(action: RemediationAction): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: 'STALL#ACTIONS',
            sk: `${action.executionId}#${action.step}#${action.instanceId}`,
            ...action,
            expiresAt: expiresAfterDays(new Date(action.at), RETENTION.stallActionDays),
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

  /** Actions taken since `since`: the partition holds a week of them (its TTL), filtered by time. */
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
          expiresAt: expiresAfterDays(new Date(check.checkedAt), RETENTION.stallCheckDays),
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
