import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { RETENTION } from '../../lib/config/escalation';
import type { LedgerAction, ScalingDecision } from '../core/scaling/types';
import { expiresAfterDays, queryAll } from './dynamo';

/**
 * The scaling ledger in the state table: every decision (scale and hold) with its inputs and
 * reason, and for every action its outcome and time to scale.
 *   LEDGER#<component> / <decidedAt>#<execution>   one entry per decision, kept RETENTION.ledgerDays
 *   PLAN#<execution>   / PLAN                       the decision of an execution (re-runs reuse it)
 *   PAUSE#<component>  / PAUSE                      automatic scaling paused (runaway, or ops pause)
 */

export type LedgerOutcome = 'hold' | 'in-progress' | 'succeeded' | 'failed';

export interface LedgerEntry {
  readonly component: string;
  readonly executionId: string;
  readonly decidedAt: string;
  readonly trigger: string;
  readonly decision: ScalingDecision;
  readonly inputs: Record<string, unknown>;
  readonly outcome: LedgerOutcome;
  readonly completedAt?: string;
  readonly timeToScaleSeconds?: number;
  readonly error?: string;
}

export class LedgerStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** The decision already taken by this execution, if any (a retried or re-run Plan reuses it). */
  async plannedBy(executionId: string): Promise<LedgerEntry | undefined> {
    const r = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: `PLAN#${executionId}`, sk: 'PLAN' },
        ConsistentRead: true,
      }),
    );
    return r.Item?.entry as LedgerEntry | undefined;
  }

  /** Records a decision once per execution; returns the entry that stands, and whether this call wrote it. */
  async record(entry: LedgerEntry): Promise<{ entry: LedgerEntry; recordedNow: boolean }> {
    const expiresAt = expiresAfterDays(new Date(entry.decidedAt), RETENTION.ledgerDays);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: `PLAN#${entry.executionId}`, sk: 'PLAN', entry, expiresAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        return { entry: (await this.plannedBy(entry.executionId)) as LedgerEntry, recordedNow: false };
      throw error;
    }
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `LEDGER#${entry.component}`, sk: sortKey(entry), ...entry, expiresAt },
      }),
    );
    return { entry, recordedNow: true };
  }

  /**
   * Closes an in-progress action with its outcome and time to scale. The first completion stands:
   * a re-run Record gets the entry as it was closed, with `completedNow: false`. A ledger entry
   * that is missing (a Plan that died between its two writes and was retried) is written closed.
   */
  async complete(
    entry: LedgerEntry,
    outcome: 'succeeded' | 'failed',
    at: Date,
    error?: string,
  ): Promise<{ entry: LedgerEntry; completedNow: boolean }> {
    const timeToScaleSeconds = Math.round((at.getTime() - Date.parse(entry.decidedAt)) / 1000);
    const closed: LedgerEntry = {
      ...entry,
      outcome,
      completedAt: at.toISOString(),
      ...(outcome === 'succeeded' ? { timeToScaleSeconds } : {}),
      ...(error ? { error } : {}),
    };
    const key = { pk: `LEDGER#${entry.component}`, sk: sortKey(entry) };
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression:
            'SET outcome = :outcome, completedAt = :at' +
            (outcome === 'succeeded' ? ', timeToScaleSeconds = :tts' : '') +
            (error ? ', #error = :error' : ''),
          ConditionExpression: 'outcome = :inProgress',
          ExpressionAttributeValues: {
            ':outcome': outcome,
            ':at': at.toISOString(),
            ':inProgress': 'in-progress',
            ...(outcome === 'succeeded' ? { ':tts': timeToScaleSeconds } : {}),
            ...(error ? { ':error': error } : {}),
          },
          ...(error ? { ExpressionAttributeNames: { '#error': 'error' } } : {}),
        }),
      );
      return { entry: closed, completedNow: true };
    } catch (failure) {
      if (!(failure instanceof ConditionalCheckFailedException)) throw failure;
    }
    const stored = await this.db.send(
      new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }),
    );
    if (stored.Item) {
      const standing: Record<string, unknown> = { ...stored.Item };
      for (const storageKey of ['pk', 'sk', 'expiresAt']) delete standing[storageKey];
      return { entry: standing as unknown as LedgerEntry, completedNow: false };
    }
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...key,
            ...closed,
            expiresAt: expiresAfterDays(new Date(entry.decidedAt), RETENTION.ledgerDays),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { entry: closed, completedNow: true };
    } catch (failure) {
      // Another Record wrote it in between: its outcome stands.
      if (!(failure instanceof ConditionalCheckFailedException)) throw failure;
      return this.complete(entry, outcome, at, error);
    }
  }

  /** The component's ledger since `since`, oldest first. */
  async entries(component: string, since: Date): Promise<LedgerEntry[]> {
    return queryAll<LedgerEntry>(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk >= :since',
      ExpressionAttributeValues: { ':pk': `LEDGER#${component}`, ':since': since.toISOString() },
    });
  }

  /** The actions (not holds) since `since`, as the decision engine reads them. */
  async actions(component: string, since: Date): Promise<LedgerAction[]> {
    return (await this.entries(component, since))
      .filter((e) => e.outcome !== 'hold')
      .map((e) => ({
        at: e.decidedAt,
        from: e.decision.from,
        to: e.decision.to,
        outcome: e.outcome as LedgerAction['outcome'],
      }));
  }

  async pause(component: string, reason: string, by: string, at: Date): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `PAUSE#${component}`, sk: 'PAUSE', reason, by, at: at.toISOString() },
      }),
    );
  }

  async resume(component: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({ TableName: this.table, Key: { pk: `PAUSE#${component}`, sk: 'PAUSE' } }),
    );
  }

  async pausedBecause(component: string): Promise<string | undefined> {
    const r = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: `PAUSE#${component}`, sk: 'PAUSE' },
        ConsistentRead: true,
      }),
    );
    return r.Item ? `${String(r.Item.reason)} (by ${String(r.Item.by)} at ${String(r.Item.at)})` : undefined;
  }
}

function sortKey(entry: LedgerEntry): string {
  return `${entry.decidedAt}#${entry.executionId}`;
}
