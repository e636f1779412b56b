import * as z from 'zod/mini';
import type { TokenDeps } from '../aws/deps';
import { lazyHandler } from '../aws/lazy-handler';
import { tokenDeps } from '../aws/token-deps';
import { completeWaitingStep } from '../aws/task-tokens';

/**
 * Acknowledges an incident, from `ops ack` (Lambda Invoke, IAM-authenticated) or from the
 * function URL (AWS_IAM auth: the caller's verified ARN is the acknowledger). There is no
 * unauthenticated way in. A Critical (or security) acknowledgement needs a comment (seed 004).
 */
const AckRequestSchema = z.object({
  incidentId: z
    .string()
    .check(z.regex(/^INC-[0-9T]+-[0-9a-f]{6}$/, 'must be an incident id such as INC-20261123T1005-a1b2c3')),
  by: z.optional(z.string().check(z.minLength(1))),
  comment: z.optional(z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(2000))),
});

export type AckResult =
  | {
      readonly status: 'acknowledged';
      readonly incidentId: string;
      readonly by: string;
      readonly stoppedEscalation: boolean;
    }
  | {
      readonly status: 'already-acknowledged' | 'already-resolved' | 'not-found' | 'rejected';
      readonly incidentId?: string;
      readonly reason: string;
    };

/** The function URL request, as Lambda delivers it with AWS_IAM auth. */
interface FunctionUrlEvent {
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly requestContext: { readonly authorizer?: { readonly iam?: { readonly userArn?: string } } };
}

interface HttpResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const HTTP_STATUS: Record<AckResult['status'], number> = {
  acknowledged: 200,
  'already-acknowledged': 200,
  'already-resolved': 409,
  'not-found': 404,
  rejected: 400,
};

export function makeAckHandler(deps: TokenDeps) {
  const acknowledge = async (raw: unknown, verifiedCaller?: string): Promise<AckResult> => {
    const parsed = AckRequestSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return {
        status: 'rejected',
        reason: `${issue?.path.map(String).join('.') || 'request'}: ${issue?.message ?? 'invalid'}`,
      };
    }
    const { incidentId, comment } = parsed.data;
    const by = verifiedCaller ?? parsed.data.by;
    if (!by) return { status: 'rejected', incidentId, reason: 'by: who acknowledges is required' };

    const incident = await deps.store.incident(incidentId);
    if (!incident)
      return { status: 'not-found', incidentId, reason: `incident ${incidentId} does not exist` };
    if (incident.status === 'acknowledged') {
      return {
        status: 'already-acknowledged',
        incidentId,
        reason: `acknowledged by ${incident.acknowledgedBy ?? '?'} at ${incident.acknowledgedAt ?? '?'}`,
      };
    }
    if (incident.status === 'resolved')
      return { status: 'already-resolved', incidentId, reason: `resolved at ${incident.resolvedAt ?? '?'}` };
    if (incident.acknowledgementRequiresComment && !comment) {
      return {
        status: 'rejected',
        incidentId,
        reason: `comment: acknowledging a ${incident.severity} incident requires a comment (--comment TEXT)`,
      };
    }
    const before = await deps.store.acknowledge(incidentId, by, comment, deps.now());
    if (!before) return { status: 'already-acknowledged', incidentId, reason: 'acknowledged concurrently' };
    const stoppedEscalation = before.taskToken
      ? await completeWaitingStep(deps.sfn, before.taskToken, { outcome: 'acknowledged', by })
      : false;
    deps.logger.info('acknowledged', { incidentId, by, comment, stoppedEscalation });
    return { status: 'acknowledged', incidentId, by, stoppedEscalation };
  };

  return async (event: unknown): Promise<AckResult | HttpResponse> => {
    if (isFunctionUrlEvent(event)) {
      let body: unknown;
      try {
        const text = event.isBase64Encoded
          ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
          : (event.body ?? '');
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      const caller = event.requestContext.authorizer?.iam?.userArn;
      const result = caller
        ? await acknowledge(body, caller)
        : ({ status: 'rejected', reason: 'the request carries no IAM identity' } as const);
      return {
        statusCode: HTTP_STATUS[result.status],
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(result),
      };
    }
    return acknowledge(event);
  };
}

function isFunctionUrlEvent(event: unknown): event is FunctionUrlEvent {
  return typeof event === 'object' && event !== null && 'requestContext' in event;
}

export const handler = lazyHandler(tokenDeps, makeAckHandler);
