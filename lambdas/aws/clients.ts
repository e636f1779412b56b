import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * SDK clients, created once per execution environment and passed to the code that uses them.
 * Region and credentials come from the Lambda environment; retries use the SDK's standard mode
 * (throttling is retried with backoff before an error reaches a handler).
 */
export interface AwsClients {
  readonly db: DynamoDBDocumentClient;
  readonly sns: SNSClient;
  readonly sfn: SFNClient;
}

let clients: AwsClients | undefined;

export function awsClients(): AwsClients {
  clients ??= {
    db: DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 5 }), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    sns: new SNSClient({ maxAttempts: 5 }),
    sfn: new SFNClient({ maxAttempts: 5 }),
  };
  return clients;
}
