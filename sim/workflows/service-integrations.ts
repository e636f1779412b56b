import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeServicesCommand, UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { serviceError } from '../aws/answered-client';
import type { LocalDynamoDB } from '../aws/local-dynamodb';
import type { JSONValue } from './asl';

/** A local stand-in for one Task state's service integration. */
export type TaskHandler = (params: JSONValue) => Promise<JSONValue>;

/** Runs `call`, failing as Step Functions reports a service error: prefixed with the service. */
async function asIntegration(service: string, call: () => Promise<unknown>): Promise<JSONValue> {
  try {
    await call();
  } catch (error) {
    throw serviceError(`${service}.${(error as Error).name}`, (error as Error).message);
  }
  return {};
}

/**
 * `arn:aws:states:::dynamodb:putItem` / `deleteItem` against dynalite, on its table whatever the
 * definition's placeholder says: the lock's conditional writes run for real.
 */
export function dynamoItemTask(db: LocalDynamoDB, operation: 'put' | 'delete'): TaskHandler {
  return (params) => {
    const input = { ...(params as object), TableName: db.table } as never;
    return asIntegration('DynamoDB', () =>
      operation === 'put'
        ? db.client.send(new PutItemCommand(input))
        : db.client.send(new DeleteItemCommand(input)),
    );
  };
}

/** `arn:aws:states:::aws-sdk:ecs:updateService` through an ECS client (the parameters are PascalCase). */
export function updateServiceTask(ecs: ECSClient): TaskHandler {
  return (params) => {
    const p = params as { Cluster: string; Service: string; DesiredCount: number };
    return asIntegration('Ecs', () =>
      ecs.send(
        new UpdateServiceCommand({ cluster: p.Cluster, service: p.Service, desiredCount: p.DesiredCount }),
      ),
    );
  };
}

/**
 * `arn:aws:states:::aws-sdk:ecs:describeServices` through an ECS client: the answer in the
 * integration's PascalCase (`Services[].DesiredCount`), as the definition's ResultSelector reads it.
 */
export function describeServicesTask(ecs: ECSClient): TaskHandler {
  return async (params) => {
    const p = params as { Cluster: string; Services: string[] };
    try {
      const out = await ecs.send(new DescribeServicesCommand({ cluster: p.Cluster, services: p.Services }));
      return { Services: (out.services ?? []).map((s) => ({ DesiredCount: s.desiredCount ?? 0 })) };
    } catch (error) {
      throw serviceError(`Ecs.${(error as Error).name}`, (error as Error).message);
    }
  };
}
