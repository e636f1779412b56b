/**
 * Who may acknowledge an incident, and how they prove it. No AWS SDK here: the proof is checked as
 * data, sent to STS by lambdas/aws/caller-identity.ts, and the identity STS answers is mapped here.
 *
 * The proof is a presigned `sts:GetCallerIdentity` request (the scheme of HashiCorp Vault's AWS IAM
 * auth): the caller signs it with its own credentials, the function forwards it to STS, and STS
 * answers with the signer's ARN. A Lambda function cannot tell who invoked it, nor a function-URL
 * invocation from a direct one imitating it; a signature only STS can verify it can. A signed
 * header binds the proof to one incident, and the signing time limits how long it can be replayed
 * (replaying it acknowledges the same incident as the same person again: a no-op).
 */

import { CONTROL_PLANE_LIMITS } from '../../../lib/config/control-plane-limits';

/** The signed header that binds a proof to the incident it acknowledges. */
export const INCIDENT_HEADER = 'x-influencegen-incident';
/** The one request a proof may carry. */
export const GET_CALLER_IDENTITY_BODY = 'Action=GetCallerIdentity&Version=2011-06-15';
export const PROOF_CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=utf-8';
/** How far a proof's x-amz-date may be from the function's clock, either way. */
export const PROOF_MAX_SKEW_MINUTES = CONTROL_PLANE_LIMITS.acknowledgement.proofMaxSkewMinutes;

/** What the caller sends: the signed request, as it would send it to STS itself. */
export interface IdentityProof {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A proof that passed every check, ready to be sent to STS (host and length are the transport's). */
export interface StsRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export type ProofCheck =
  { readonly ok: true; readonly request: StsRequest } | { readonly ok: false; readonly reason: string };

/** Headers a GetCallerIdentity request signed by an SDK signer carries; any other is refused. */
const PROOF_HEADERS = new Set([
  'host',
  'content-type',
  'content-length',
  'x-amz-date',
  'x-amz-security-token',
  'x-amz-content-sha256',
  'authorization',
  INCIDENT_HEADER,
]);
/** Headers the signature must cover: the endpoint, the time and the incident. */
const REQUIRED_SIGNED_HEADERS = ['host', 'x-amz-date', INCIDENT_HEADER] as const;

const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d';
const STS_HOST = new RegExp(`^sts(?:\\.(${REGION}))?\\.amazonaws\\.com$`);
const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([A-Za-z0-9]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

const fail = (reason: string): ProofCheck => ({ ok: false, reason });

/**
 * Checks a proof before anything is sent anywhere: the endpoint is AWS STS over https (the function
 * must not become a way to send signed requests elsewhere), the request is GetCallerIdentity and
 * nothing else, the signature covers the incident header naming `incidentId`, and it was made
 * within PROOF_MAX_SKEW_MINUTES of `now`. Whether the signature is valid only STS can tell.
 */
export function checkProof(proof: IdentityProof, incidentId: string, now: Date): ProofCheck {
  let url: URL;
  try {
    url = new URL(proof.url);
  } catch {
    return fail('proof.url: must be the https URL of AWS STS, such as https://sts.eu-west-1.amazonaws.com/');
  }
  if (url.protocol !== 'https:')
    return fail(`proof.url: must use https, not ${url.protocol.replace(/:$/, '')}`);
  const host = STS_HOST.exec(url.hostname);
  if (!host || url.port !== '' || url.username !== '' || url.password !== '') {
    return fail(`proof.url: ${url.host} is not AWS STS (sts.amazonaws.com or sts.REGION.amazonaws.com)`);
  }
  if (proof.url !== `https://${url.hostname}/`) {
    return fail(`proof.url: must be https://${url.hostname}/ exactly (no path, query or fragment)`);
  }
  const endpointRegion = host[1] ?? 'us-east-1';
  if (proof.method !== 'POST') return fail('proof.method: must be POST');
  if (proof.body !== GET_CALLER_IDENTITY_BODY) {
    return fail(`proof.body: must be exactly ${GET_CALLER_IDENTITY_BODY}`);
  }

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(proof.headers)) {
    const key = name.toLowerCase();
    if (!PROOF_HEADERS.has(key))
      return fail(`proof.headers: ${name} is not a header of a GetCallerIdentity proof`);
    if (key in headers) return fail(`proof.headers: ${key} is given twice`);
    headers[key] = value;
  }
  if (headers.host !== undefined && headers.host !== url.hostname) {
    return fail(`proof.headers: host ${headers.host} is not the URL's ${url.hostname}`);
  }
  const contentType = (headers['content-type'] ?? '').toLowerCase().replace(/\s+/g, '');
  if (
    contentType !== 'application/x-www-form-urlencoded' &&
    contentType !== 'application/x-www-form-urlencoded;charset=utf-8'
  ) {
    return fail(`proof.headers: content-type must be ${PROOF_CONTENT_TYPE}`);
  }
  if (
    headers['content-length'] !== undefined &&
    headers['content-length'] !== String(new TextEncoder().encode(proof.body).length)
  ) {
    return fail('proof.headers: content-length does not match the body');
  }

  const bound = headers[INCIDENT_HEADER];
  if (bound === undefined)
    return fail(`proof: must carry the signed header ${INCIDENT_HEADER}: ${incidentId}`);
  if (bound !== incidentId) return fail(`proof: signed for incident ${bound}, not ${incidentId}`);

  const auth = AUTHORIZATION.exec(headers.authorization ?? '');
  if (!auth)
    return fail('proof.headers: authorization must be an AWS Signature Version 4 (AWS4-HMAC-SHA256) header');
  const [, , scopeDate, scopeRegion, scopeService, signedList] = auth;
  const signed = (signedList ?? '').split(';');
  const unsigned = REQUIRED_SIGNED_HEADERS.filter((h) => !signed.includes(h));
  if (unsigned.length > 0)
    return fail(`proof: the signature must cover ${unsigned.join(', ')} (SignedHeaders)`);
  const absent = signed.filter((h) => headers[h] === undefined);
  if (absent.length > 0) return fail(`proof.headers: signed but absent: ${absent.join(', ')}`);
  if (scopeService !== 'sts') return fail(`proof: signed for the ${scopeService ?? '?'} service, not sts`);
  if (scopeRegion !== endpointRegion) {
    return fail(
      `proof: signed for region ${scopeRegion ?? '?'}, but ${url.hostname} is ${endpointRegion}'s endpoint`,
    );
  }

  const date = AMZ_DATE.exec(headers['x-amz-date'] ?? '');
  if (!date) return fail('proof.headers: x-amz-date must be a signing time such as 20261123T100500Z');
  const [, y, mo, d, h, mi, s] = date;
  const signedAt = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (`${y}${mo}${d}` !== scopeDate) return fail("proof: x-amz-date is not the signature scope's date");
  if (Math.abs(now.getTime() - signedAt) > PROOF_MAX_SKEW_MINUTES * 60_000) {
    return fail(
      `proof: signed at ${new Date(signedAt).toISOString()}, more than ${PROOF_MAX_SKEW_MINUTES} minutes from ${now.toISOString()}; sign a fresh one`,
    );
  }

  const send = Object.fromEntries(
    Object.entries(headers).filter(([name]) => name !== 'host' && name !== 'content-length'),
  );
  return { ok: true, request: { url: proof.url, headers: send, body: proof.body } };
}

/** An IAM role or user as an acknowledger: sessions of a role are that role. */
export interface Principal {
  readonly partition: string;
  readonly account: string;
  readonly kind: 'role' | 'user';
  readonly name: string;
}

const NAME = '[\\w+=,.@-]{1,64}';
/** IAM paths: printable ASCII but "/", between slashes. */
const PATH = '(?:[!-.0-~]+/)*';
const IAM_PRINCIPAL = (account: string) =>
  new RegExp(`^arn:(aws[a-z-]*):iam::(${account}):(role|user)/${PATH}(${NAME})$`);
const IAM_ARN = IAM_PRINCIPAL('\\d{12}');
const ASSUMED_ROLE = new RegExp(`^arn:(aws[a-z-]*):sts::(\\d{12}):assumed-role/(${NAME})/(${NAME})$`);

/**
 * The role or user behind an ARN STS (or a function URL's IAM authorizer) answers: a role session
 * `arn:aws:sts::ACCT:assumed-role/ROLE/SESSION` is the role ROLE (STS drops the role's path), an
 * IAM user is itself. Anything else (an account root, a federated user) is no acknowledger.
 */
export function principalOf(arn: string): Principal | undefined {
  const session = ASSUMED_ROLE.exec(arn);
  if (session)
    return { partition: session[1] ?? '', account: session[2] ?? '', kind: 'role', name: session[3] ?? '' };
  const iam = IAM_ARN.exec(arn);
  if (iam) {
    return {
      partition: iam[1] ?? '',
      account: iam[2] ?? '',
      kind: iam[3] === 'user' ? 'user' : 'role',
      name: iam[4] ?? '',
    };
  }
  return undefined;
}

/** Role and user names are unique in an account whatever their path: the path is not compared. */
export function samePrincipal(a: Principal, b: Principal): boolean {
  return a.partition === b.partition && a.account === b.account && a.kind === b.kind && a.name === b.name;
}

export function describePrincipal(p: Principal): string {
  return `${p.kind} ${p.name} in account ${p.account}`;
}

/** Whether `principal` is one of the configured acknowledgers (IAM role or user ARNs). */
export function isAcknowledger(principal: Principal, acknowledgers: readonly string[]): boolean {
  return acknowledgers.some((arn) => {
    const allowed = IAM_ARN.test(arn) ? principalOf(arn) : undefined;
    return allowed !== undefined && samePrincipal(allowed, principal);
  });
}

/**
 * Why `arn` cannot be a configured acknowledger, or undefined when it can: an IAM role ARN (the
 * unit: an SSO permission set's role, an on-call role people assume) or an IAM user ARN. Groups
 * can be neither a resource policy's principal nor what STS answers, and a session is not a role.
 * `accountPlaceholder`, when given, stands for the environment's account (the config's defaults).
 */
export function acknowledgerArnProblem(arn: string, accountPlaceholder?: string): string | undefined {
  if (/[*?]/.test(arn)) return 'must name one IAM role or user, without wildcards';
  if (/^arn:aws[a-z-]*:iam::[^:]*:group\//.test(arn)) {
    return "an IAM group cannot acknowledge (it is never a principal, in a resource policy or in STS's answer): name the role its members assume, such as the SSO permission set's role";
  }
  if (/^arn:aws[a-z-]*:sts::[^:]*:assumed-role\//.test(arn)) {
    return 'name the role (arn:aws:iam::ACCOUNT:role/NAME), not one of its sessions';
  }
  const account = accountPlaceholder
    ? `\\d{12}|${accountPlaceholder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`
    : '\\d{12}';
  if (!IAM_PRINCIPAL(account).test(arn)) {
    return 'must be an IAM role or user ARN such as arn:aws:iam::123456789012:role/influencegen-prod-oncall';
  }
  return undefined;
}
