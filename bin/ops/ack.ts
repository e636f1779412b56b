import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { controlPlaneNames } from '../../lib/config/naming';
import { signAcknowledgementProof } from '../../lambdas/incident-ack/sign-proof';
import type { AckResult } from '../../lambdas/incident-ack';

/**
 * `ops ack INCIDENT [--comment TEXT]`: acknowledges through the incident-ack function. Who
 * acknowledges is not stated but proven: the request carries a GetCallerIdentity request signed
 * with the operator's own credentials (the ones that invoke the function) and bound to the
 * incident; the function has STS verify it and records the ARN STS answers (`by` in the result).
 */
export async function ack(
  clients: { lambda: LambdaClient },
  envName: string,
  incidentId: string,
  comment: string | undefined,
  now: Date = new Date(),
): Promise<AckResult> {
  const proof = await signAcknowledgementProof({
    incidentId,
    region: await clients.lambda.config.region(),
    credentials: clients.lambda.config.credentials,
    now,
  });
  const response = await clients.lambda.send(
    new InvokeCommand({
      FunctionName: controlPlaneNames(envName).ackFunction,
      Payload: Buffer.from(JSON.stringify({ incidentId, ...(comment ? { comment } : {}), proof })),
    }),
  );
  const body = JSON.parse(
    Buffer.from(response.Payload ?? new Uint8Array()).toString('utf8') || 'null',
  ) as unknown;
  if (response.FunctionError) throw new Error(`incident-ack failed: ${JSON.stringify(body)}`);
  return body as AckResult;
}
