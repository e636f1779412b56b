import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';

/** The document client every control-plane function uses for the state table (SDK retries: 5). */
export function documentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 5 }), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

/** DynamoDB TTLs and expiry conditions are in epoch seconds. */
export function epochSeconds(at: Date): number {
  return Math.floor(at.getTime() / 1000);
}

/** The TTL of a record kept `days` after `at`. */
export function expiresAfterDays(at: Date, days: number): number {
  return epochSeconds(at) + days * 86_400;
}

/**
 * Every item a query matches, page after page (a query returns at most 1 MB, or `Limit` items, at
 * a time). A plain LastEvaluatedKey loop rather than the SDK's paginateQuery: the paginator accepts
 * only a real DynamoDBDocumentClient instance, and the workflow harnesses hand the stores a bare
 * `{ send }` wrapper that injects faults and orders calls.
 */
export async function queryAll<T>(
  db: Pick<DynamoDBDocumentClient, 'send'>,
  input: QueryCommandInput,
): Promise<T[]> {
  const items: T[] = [];
  let start: QueryCommandInput['ExclusiveStartKey'] = input.ExclusiveStartKey;
  do {
    const page = await db.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...((page.Items ?? []) as T[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * A conditional write whose refusal is an answer, not an error: true when it was written, false when
 * its condition did not hold (already done, taken by someone else, or no longer applicable).
 */
export async function conditionalWrite(
  db: Pick<DynamoDBDocumentClient, 'send'>,
  command: PutCommand | UpdateCommand | DeleteCommand,
): Promise<boolean> {
  try {
    await db.send(command as PutCommand);
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
