import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RETENTION } from '../../lib/config/escalation';
import { epochSeconds, expiresAfterDays, queryAll } from './dynamo';

/**
 * The backup-verification workflow's record in the state table:
 *   BACKUP#CHECKS / <at>#<execution>#<phase>   every assessment: what each resource looked like, 30 days
 *   BACKUP#RERUN#<resource> / RERUN            the one automatic re-run of a resource, until it expires
 *   BACKUP#VALIDATOR#<resource> / CLAIM        the restore test using a resource's validation function,
 *                                              until it releases it or the claim expires
 */

/** Who holds a claim: the execution, when it took it. */
export interface ClaimHolder {
  readonly at: string;
  readonly executionId: string;
}

export interface BackupCheck {
  readonly executionId: string;
  readonly at: string;
  readonly phase: string;
  readonly trigger: string;
  readonly outcome: string;
  readonly summary: string;
  readonly resources: Readonly<Record<string, string>>;
}

export class BackupStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async recordCheck(check: BackupCheck): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: 'BACKUP#CHECKS',
          sk: `${check.at}#${check.executionId}#${check.phase}`,
          ...check,
          expiresAt: expiresAfterDays(new Date(check.at), RETENTION.backupCheckDays),
        },
      }),
    );
  }

  /**
   * Takes the one automatic re-run of a resource for a window: whichever run (the hourly check, a
   * job's failure event, the re-run's own failure event) asks first starts it; the others do not.
   * `again`: this execution already held it (a re-run of the step), so nothing new is started.
   */
  async claimRerun(
    resourceId: string,
    executionId: string,
    until: Date,
    now: Date,
  ): Promise<{ claimed: true; again: boolean } | { claimed: false; at: string; executionId: string }> {
    try {
      const put = await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: `BACKUP#RERUN#${resourceId}`,
            sk: 'RERUN',
            executionId,
            at: now.toISOString(),
            expiresAt: epochSeconds(until),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR executionId = :me',
          ExpressionAttributeValues: { ':now': epochSeconds(now), ':me': executionId },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const previous = put.Attributes;
      const again = previous?.executionId === executionId && Number(previous.expiresAt) >= epochSeconds(now);
      return { claimed: true, again };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const held = await this.db.send(
        new GetCommand({
          TableName: this.table,
          Key: { pk: `BACKUP#RERUN#${resourceId}`, sk: 'RERUN' },
          ConsistentRead: true,
        }),
      );
      return {
        claimed: false,
        at: String(held.Item?.at ?? '?'),
        executionId: String(held.Item?.executionId ?? '?'),
      };
    }
  }

  /**
   * Takes a resource's restore validation function for one restore test (execution) until `until`:
   * the workflow points the function's one file-system configuration at that test's restored copy,
   * so a second test of the same resource must wait for the first to clean up. `again`: this
   * execution already held it (a retried step).
   */
  async claimValidator(
    resourceId: string,
    executionId: string,
    restoreJobId: string,
    until: Date,
    now: Date,
  ): Promise<{ claimed: true; again: boolean } | ({ claimed: false; restoreJobId: string } & ClaimHolder)> {
    const key = { pk: `BACKUP#VALIDATOR#${resourceId}`, sk: 'CLAIM' };
    try {
      const put = await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...key, executionId, restoreJobId, at: now.toISOString(), expiresAt: epochSeconds(until) },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR executionId = :me',
          ExpressionAttributeValues: { ':now': epochSeconds(now), ':me': executionId },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const previous = put.Attributes;
      return {
        claimed: true,
        again: previous?.executionId === executionId && Number(previous.expiresAt) >= epochSeconds(now),
      };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const held = await this.db.send(
        new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }),
      );
      return {
        claimed: false,
        at: String(held.Item?.at ?? '?'),
        executionId: String(held.Item?.executionId ?? '?'),
        restoreJobId: String(held.Item?.restoreJobId ?? '?'),
      };
    }
  }

  /** Gives the validation function back, if this execution still holds it. */
  async releaseValidator(resourceId: string, executionId: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk: `BACKUP#VALIDATOR#${resourceId}`, sk: 'CLAIM' },
          ConditionExpression: 'executionId = :me',
          ExpressionAttributeValues: { ':me': executionId },
        }),
      );
    } catch (error) {
      // Already released, expired and taken by another test: nothing of ours to give back.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** The assessments since `since`, oldest first. */
  async checksSince(since: Date): Promise<BackupCheck[]> {
    return queryAll<BackupCheck>(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk >= :since',
      ExpressionAttributeValues: { ':pk': 'BACKUP#CHECKS', ':since': since.toISOString() },
    });
  }
}
