import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';

/**
 * A real DynamoDB API (dynalite, in memory) on a loopback port, with the state table's key
 * schema. Conditional writes, updates and queries behave as DynamoDB's do.
 */
export interface LocalDynamoDB {
  readonly client: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  readonly table: string;
  /** Another empty state table on the same server (cheap: one per generated test case). */
  freshTable(): Promise<LocalDynamoDB>;
  stop(): Promise<void>;
}

let tables = 0;

export async function startLocalDynamoDB(): Promise<LocalDynamoDB> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const withTable = async (): Promise<LocalDynamoDB> => {
    const table = await createStateTable(client);
    return {
      client,
      doc,
      table,
      freshTable: withTable,
      stop: () =>
        new Promise<void>((resolve) => {
          client.destroy();
          server.close(() => resolve());
        }),
    };
  };
  return withTable();
}

/**
 * Creates a table with the state table's key schema on the local server: a fresh numbered one, or
 * the deployed name when a test drives a command that derives the table from the environment.
 */
export async function createStateTable(client: DynamoDBClient, table = `state-${++tables}`): Promise<string> {
  await client.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
  return table;
}
