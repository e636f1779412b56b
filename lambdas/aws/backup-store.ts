import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The backup-verification workflow's record in the state table:
 *   BACKUP#CHECKS / <at>#<execution>#<phase>   every assessment: what each resource looked like, 30 days
 */
const RETENTION_SECONDS = 30 * 86_400;

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
          expiresAt: Math.floor(Date.parse(check.at) / 1000) + RETENTION_SECONDS,
        },
      }),
    );
  }

  /** The assessments since `since`, oldest first. */
  async checksSince(since: Date): Promise<BackupCheck[]> {
    const items: BackupCheck[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND sk >= :since',
          ExpressionAttributeValues: { ':pk': 'BACKUP#CHECKS', ':since': since.toISOString() },
          ExclusiveStartKey: start,
        }),
      );
      items.push(...((page.Items ?? []) as BackupCheck[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
