import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateQuery, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

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

/** Every item a query matches, page after page (a query returns at most 1 MB at a time). */
export async function queryAll<T>(db: DynamoDBDocumentClient, input: QueryCommandInput): Promise<T[]> {
  const items: T[] = [];
  // The paginator writes each page's start key into the input it is given: a copy, not the caller's.
  for await (const page of paginateQuery({ client: db }, { ...input }))
    items.push(...((page.Items ?? []) as T[]));
  return items;
}
