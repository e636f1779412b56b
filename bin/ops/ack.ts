import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { controlPlaneNames } from '../../lib/config/naming';
import { signAcknowledgementProof } from '../../lambdas/incident-ack/sign-proof';
import type { AckResult } from '../../lambdas/incident-ack';
import { UsageError } from './errors';

/**
 * The incident-ack function's own rules (lambdas/incident-ack/index.ts, AckRequestSchema), checked
 * here first so that a typo is a usage error before anything is signed: an incident id is
 * INC-<minute>-<6 hex> (lambdas/core/escalation/ids.ts), a comment at most 2000 characters.
 */
const INCIDENT_ID = /^INC-[0-9T]+-[0-9a-f]{6}$/;
const COMMENT_MAX_CHARS = 2000;

/** INCIDENT and --comment, checked as the function would before anything is signed or sent. */
export function ackRequest(args: { incident?: unknown; comment?: unknown }): {
  incidentId: string;
  comment?: string;
} {
  if (args.incident === undefined || args.incident === '')
    throw new UsageError(
      'INCIDENT: required: the incident id, such as INC-20261123T1005-a1b2c3 (ops incidents lists them)',
    );
  const incidentId = String(args.incident);
  if (!INCIDENT_ID.test(incidentId))
    throw new UsageError(`INCIDENT: ${incidentId} is not an incident id such as INC-20261123T1005-a1b2c3`);
  if (args.comment === undefined) return { incidentId };
  const comment = String(args.comment).trim();
  if (comment === '') throw new UsageError('--comment: must not be empty');
  if (comment.length > COMMENT_MAX_CHARS)
    throw new UsageError(`--comment: at most ${COMMENT_MAX_CHARS} characters`);
  return { incidentId, comment };
}

/** Acknowledged now, or already: the operator's aim is met. Anything else was refused. */
export function ackSucceeded(result: AckResult): boolean {
  return result.status === 'acknowledged' || result.status === 'already-acknowledged';
}

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
