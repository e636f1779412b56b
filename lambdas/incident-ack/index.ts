import * as z from 'zod/mini';
import type { TokenDeps } from '../aws/deps';
import { stsCallerVerifier, type CallerVerifier } from '../aws/caller-identity';
import { lazyHandler } from '../aws/lazy-handler';
import { tokenDeps } from '../aws/token-deps';
import { completeWaitingStep } from '../aws/task-tokens';
import {
  checkProof,
  describePrincipal,
  isAcknowledger,
  principalOf,
  samePrincipal,
} from '../core/escalation/acknowledger';

export type { CallerVerifier } from '../aws/caller-identity';

/**
 * Acknowledges an incident, from `ops ack` (Lambda Invoke) or through the function URL (AWS_IAM).
 * Neither tells the function who called, and a direct invoke can imitate the URL's event, so the
 * acknowledger is proven, not stated: every request carries a presigned sts:GetCallerIdentity
 * request bound to the incident (lambdas/core/escalation/acknowledger.ts), which the function
 * checks, sends to STS, and whose answer (the signer's ARN) must be one of the environment's
 * acknowledgers (RuntimeConfig.acknowledgers). A Critical (or security) acknowledgement needs a
 * comment (seed 004).
 */
const ProofSchema = z.strictObject({
  url: z.string().check(z.maxLength(200)),
  method: z.string().check(z.maxLength(10)),
  headers: z.record(z.string().check(z.maxLength(64)), z.string().check(z.maxLength(8192))),
  body: z.string().check(z.maxLength(200)),
});

const AckRequestSchema = z.strictObject({
  incidentId: z
    .string()
    .check(z.regex(/^INC-[0-9T]+-[0-9a-f]{6}$/, 'must be an incident id such as INC-20261123T1005-a1b2c3')),
  comment: z.optional(z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(2000))),
  proof: ProofSchema,
});

export type AckResult =
  | {
      readonly status: 'acknowledged';
      readonly incidentId: string;
      /** The acknowledger's ARN, as STS verified it (a role session names the person). */
      readonly by: string;
      readonly stoppedEscalation: boolean;
    }
  | {
      readonly status: 'already-acknowledged' | 'already-resolved' | 'not-found' | 'rejected';
      readonly incidentId?: string;
      readonly reason: string;
    };

/** What the function is built from: the escalation deps, and the proof's verifier (STS). */
export interface AckDeps extends TokenDeps {
  readonly verifyCaller: CallerVerifier;
}

/**
 * A verifier that answers `arn` for every proof, without STS: for tests and local harnesses. The
 * proof's own checks (endpoint, incident, time) still run before it.
 */
export function fixedCaller(arn: string): CallerVerifier {
  return async () => ({ ok: true, arn });
}

/** The function URL request, as Lambda delivers it with AWS_IAM auth (or as a direct invoke imitates it). */
interface FunctionUrlEvent {
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly requestContext: { readonly authorizer?: { readonly iam?: { readonly userArn?: unknown } } };
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

const rejected = (reason: string, incidentId?: string): AckResult => ({
  status: 'rejected',
  ...(incidentId ? { incidentId } : {}),
  reason,
});

/** The request's shape, refused before any AWS call: a stated acknowledger above all. */
function parseRequest(raw: unknown): z.infer<typeof AckRequestSchema> | string {
  if (typeof raw === 'object' && raw !== null && Object.hasOwn(raw, 'by')) {
    return 'by: not accepted: the acknowledger is the identity the proof (a signed sts:GetCallerIdentity request) proves, never a name in the request';
  }
  const parsed = AckRequestSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    const at = issue.path.map(String).join('.');
    return `${at ? `${at}: ` : ''}unknown field ${issue.keys.join(', ')}`;
  }
  return `${issue?.path.map(String).join('.') || 'request'}: ${issue?.message ?? 'invalid'}`;
}

export function makeAckHandler(deps: AckDeps) {
  /** `urlCaller`: the function URL authorizer's userArn, when the event carries one. */
  const acknowledge = async (raw: unknown, urlCaller?: string): Promise<AckResult> => {
    const request = parseRequest(raw);
    if (typeof request === 'string') return rejected(request);
    const { incidentId, comment, proof } = request;

    const checked = checkProof(proof, incidentId, deps.now());
    if (!checked.ok) return refuse(checked.reason, incidentId);
    const verified = await deps.verifyCaller(checked.request);
    if (!verified.ok) return refuse(`proof: ${verified.reason}`, incidentId);
    const by = verified.arn;
    const principal = principalOf(by);
    if (!principal) return refuse(`${by} is not an IAM role or user: it cannot acknowledge`, incidentId, by);
    if (urlCaller !== undefined) {
      const caller = principalOf(urlCaller);
      if (!caller || !samePrincipal(caller, principal)) {
        return refuse(
          `the request was made by ${urlCaller}, but its proof is signed by ${by}`,
          incidentId,
          by,
        );
      }
    }
    if (!isAcknowledger(principal, deps.config.acknowledgers ?? [])) {
      return refuse(
        `${by} (${describePrincipal(principal)}) is not an acknowledger of ${deps.config.environment} (alerts.acknowledgers)`,
        incidentId,
        by,
      );
    }

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
      return rejected(
        `comment: acknowledging a ${incident.severity} incident requires a comment (--comment TEXT)`,
        incidentId,
      );
    }
    const before = await deps.store.acknowledge(incidentId, by, comment, deps.now());
    if (!before) return { status: 'already-acknowledged', incidentId, reason: 'acknowledged concurrently' };
    const stoppedEscalation = before.taskToken
      ? await completeWaitingStep(deps.sfn, before.taskToken, { outcome: 'acknowledged', by })
      : false;
    deps.logger.info('acknowledged', { incidentId, by, comment, stoppedEscalation });
    return { status: 'acknowledged', incidentId, by, stoppedEscalation };
  };

  /** A refused identity is worth a warning: someone tried to acknowledge who may not. */
  const refuse = (reason: string, incidentId: string, principal?: string): AckResult => {
    deps.logger.warn('acknowledgement refused', { incidentId, reason, ...(principal ? { principal } : {}) });
    return rejected(reason, incidentId);
  };

  return async (event: unknown): Promise<AckResult | HttpResponse> => {
    if (!isFunctionUrlEvent(event)) return acknowledge(event);
    // The URL's shape earns nothing: its body must carry the same proof as a direct invoke.
    let body: unknown;
    try {
      const text = event.isBase64Encoded
        ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
        : (event.body ?? '');
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const userArn = event.requestContext.authorizer?.iam?.userArn;
    const result =
      body === undefined
        ? rejected('request: the body must be a JSON acknowledgement request with its proof')
        : await acknowledge(body, userArn === undefined ? undefined : String(userArn));
    return {
      statusCode: HTTP_STATUS[result.status],
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(result),
    };
  };
}

function isFunctionUrlEvent(event: unknown): event is FunctionUrlEvent {
  return typeof event === 'object' && event !== null && 'requestContext' in event;
}

function ackDeps(): AckDeps {
  return { ...tokenDeps(), verifyCaller: stsCallerVerifier() };
}

export const handler = lazyHandler(ackDeps, makeAckHandler);
