import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { controlPlaneNames } from '../../lib/constructs/control-plane/runtime';
import type { AckResult } from '../../lambdas/incident-ack';

/**
 * `ops ack INCIDENT [--comment TEXT]`: acknowledges through the incident-ack function, with the
 * caller's own IAM identity (Lambda Invoke is IAM-authenticated; the function records the ARN).
 */
export async function ack(
  clients: { lambda: LambdaClient; sts: STSClient },
  envName: string,
  incidentId: string,
  comment: string | undefined,
): Promise<AckResult> {
  const identity = await clients.sts.send(new GetCallerIdentityCommand({}));
  const response = await clients.lambda.send(
    new InvokeCommand({
      FunctionName: controlPlaneNames(envName).ackFunction,
      Payload: Buffer.from(JSON.stringify({ incidentId, by: identity.Arn, ...(comment ? { comment } : {}) })),
    }),
  );
  const body = JSON.parse(
    Buffer.from(response.Payload ?? new Uint8Array()).toString('utf8') || 'null',
  ) as unknown;
  if (response.FunctionError) throw new Error(`incident-ack failed: ${JSON.stringify(body)}`);
  return body as AckResult;
}
