import { createHash, createHmac } from 'node:crypto';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { stsCallerVerifier, type CallerVerification } from '../../lambdas/aws/caller-identity';
import { readRuntimeConfig } from '../../lambdas/aws/runtime-config';
import { StateStore } from '../../lambdas/aws/state-store';
import {
  checkProof,
  INCIDENT_HEADER,
  type IdentityProof,
  type StsRequest,
} from '../../lambdas/core/escalation/acknowledger';
import type { Incident } from '../../lambdas/core/escalation/types';
import { fixedCaller, makeAckHandler, type AckDeps, type CallerVerifier } from '../../lambdas/incident-ack';
import { signAcknowledgementProof } from '../../lambdas/incident-ack/sign-proof';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sim/aws/local-dynamodb';
import { twinRuntimeConfig } from '../../sim/aws/twin-account';

const ID = 'INC-20261123T1000-abcdef';
const OTHER_ID = 'INC-20261123T1000-123456';
const NOW = new Date('2026-11-23T10:05:00Z');
const OPENED = new Date('2026-11-23T10:00:00Z');
const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};

/** The environment's acknowledgers: the on-call role, an SRE role with a path, one IAM user. */
const ACKNOWLEDGERS = [
  'arn:aws:iam::123456789012:role/influencegen-prod-oncall',
  'arn:aws:iam::123456789012:role/teams/sre/influencegen-prod-sre',
  'arn:aws:iam::123456789012:user/alice',
];
const ONCALL_SESSION = 'arn:aws:sts::123456789012:assumed-role/influencegen-prod-oncall/carol@example.com';

const incident = (severity: string, alertName: string): Incident => ({
  id: ID,
  alertName,
  component: 'odoo',
  subject: 'influencegen-prod-x',
  severity,
  correlationGroup: 'g',
  acknowledgementRequiresComment: severity === 'Critical',
  status: 'open',
  openedAt: OPENED.toISOString(),
  lastSignalAt: OPENED.toISOString(),
  count: 1,
  members: [alertName],
  pages: [],
});

let db: LocalDynamoDB;
let store: StateStore;
const sfn = new SFNClient({ region: 'eu-west-1' });
const sfnMock = mockClient(sfn);
/** What was sent to "STS": every test that refuses before STS checks it stayed empty. */
let stsCalls: StsRequest[];

/** A verifier recording its calls and answering as STS would for `answer`. */
const sts =
  (answer: CallerVerification): CallerVerifier =>
  async (request) => {
    stsCalls.push(request);
    return answer;
  };
const answers = (arn: string) => sts({ ok: true, arn });

const depsWith = (
  verifyCaller: CallerVerifier,
  acknowledgers: readonly string[] = ACKNOWLEDGERS,
): AckDeps => ({
  config: { ...twinRuntimeConfig('prod', db.table), acknowledgers },
  store,
  sfn,
  logger: new Logger({ logLevel: 'SILENT' }),
  now: () => NOW,
  verifyCaller,
});
const handler = (verifyCaller: CallerVerifier = answers(ONCALL_SESSION)) =>
  makeAckHandler(depsWith(verifyCaller));

const proof = (incidentId = ID, at = NOW, credentials: typeof CREDENTIALS = CREDENTIALS) =>
  signAcknowledgementProof({ incidentId, region: 'eu-west-1', credentials, now: at });

const urlEvent = (body: unknown, userArn?: string) => ({
  body: JSON.stringify(body),
  isBase64Encoded: false,
  requestContext: userArn ? { authorizer: { iam: { userArn } } } : {},
});

async function seed(severity = 'High', alertName = 'Odoo_Server_High_CPU'): Promise<void> {
  expect(await store.putIncident(incident(severity, alertName), OPENED)).toBe(true);
  expect(await store.storeTaskToken(ID, 'token-1')).toBe(true);
}

/** The outcome of every refusal: the incident as it was, and no waiting step completed. */
async function expectUnchanged(): Promise<void> {
  const stored = await store.incident(ID);
  expect(stored).toMatchObject({ status: 'open', taskToken: 'token-1' });
  expect(stored?.acknowledgedBy).toBeUndefined();
  expect(sfnMock).not.toHaveReceivedCommand(SendTaskSuccessCommand);
}

beforeEach(async () => {
  db = await startLocalDynamoDB();
  store = new StateStore(db.doc, db.table);
  stsCalls = [];
  sfnMock.reset();
  sfnMock.on(SendTaskSuccessCommand).resolves({});
});
afterEach(() => db.stop());

describe('an acknowledgement is made by the identity STS verifies', () => {
  test('the happy path: the verified ARN is the acknowledger and the waiting step completes', async () => {
    await seed();
    const result = await handler()({ incidentId: ID, comment: 'looking', proof: await proof() });
    expect(result).toEqual({
      status: 'acknowledged',
      incidentId: ID,
      by: ONCALL_SESSION,
      stoppedEscalation: true,
    });
    expect(stsCalls).toHaveLength(1);
    expect(await store.incident(ID)).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: ONCALL_SESSION,
      acknowledgementComment: 'looking',
      acknowledgedAt: NOW.toISOString(),
    });
    expect(sfnMock).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    const sent = sfnMock.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input;
    expect(sent?.taskToken).toBe('token-1');
    expect(JSON.parse(sent?.output ?? '{}')).toEqual({ outcome: 'acknowledged', by: ONCALL_SESSION });
  });

  test('through the function URL, with the same principal as the IAM authorizer saw (any session)', async () => {
    await seed();
    const response = (await handler()(
      urlEvent(
        { incidentId: ID, proof: await proof() },
        'arn:aws:sts::123456789012:assumed-role/influencegen-prod-oncall/other-session',
      ),
    )) as { statusCode: number; body: string };
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ status: 'acknowledged', by: ONCALL_SESSION });
    expect(await store.incident(ID)).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: ONCALL_SESSION,
    });
  });

  test.each([
    [
      'a role configured with a path (STS drops it)',
      'arn:aws:sts::123456789012:assumed-role/influencegen-prod-sre/bob',
    ],
    ['an IAM user', 'arn:aws:iam::123456789012:user/alice'],
  ])('%s may acknowledge', async (_, arn) => {
    await seed();
    expect(await handler(answers(arn))({ incidentId: ID, proof: await proof() })).toMatchObject({
      status: 'acknowledged',
      by: arn,
    });
    expect(await store.incident(ID)).toMatchObject({ acknowledgedBy: arn });
  });

  test('a Critical acknowledgement needs a comment (seed 004), even from an acknowledger', async () => {
    await seed('Critical', 'Payment_Processing_Failure_Rate');
    expect(await handler()({ incidentId: ID, proof: await proof() })).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/^comment: acknowledging a Critical incident requires a comment/),
    });
    expect(await handler()({ incidentId: ID, comment: '   ', proof: await proof() })).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/^comment/),
    });
    await expectUnchanged();
    expect(await handler()({ incidentId: ID, comment: 'rolling back', proof: await proof() })).toMatchObject({
      status: 'acknowledged',
    });
  });

  test('acknowledging twice is harmless; unknown and malformed ids are refused', async () => {
    await seed();
    expect(await handler()({ incidentId: ID, proof: await proof() })).toMatchObject({
      status: 'acknowledged',
    });
    expect(
      await handler(answers('arn:aws:iam::123456789012:user/alice'))({
        incidentId: ID,
        proof: await proof(),
      }),
    ).toMatchObject({
      status: 'already-acknowledged',
      reason: expect.stringContaining(`acknowledged by ${ONCALL_SESSION}`),
    });
    expect(await store.incident(ID)).toMatchObject({ acknowledgedBy: ONCALL_SESSION });
    expect(await handler()({ incidentId: OTHER_ID, proof: await proof(OTHER_ID) })).toMatchObject({
      status: 'not-found',
    });
    expect(await handler()({ incidentId: 'drop table', proof: await proof() })).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/^incidentId: must be an incident id/),
    });
  });
});

describe('a forged acknowledgement changes nothing', () => {
  beforeEach(() => seed());

  test('a stated acknowledger (`by`) is refused as an unknown field, before any AWS call', async () => {
    const result = await handler()({ incidentId: ID, by: ONCALL_SESSION, proof: await proof() });
    expect(result).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(
        /^by: not accepted: the acknowledger is the identity the proof .* proves/,
      ),
    });
    expect(await handler()({ incidentId: ID, by: 'me' })).toMatchObject({ status: 'rejected' });
    expect(await handler()({ incidentId: ID, proof: await proof(), as: 'admin' })).toMatchObject({
      status: 'rejected',
      reason: 'unknown field as',
    });
    expect(stsCalls).toEqual([]);
    await expectUnchanged();
  });

  test('a direct invoke imitating the function URL, with a valid-looking userArn but no proof', async () => {
    const response = (await handler()(
      urlEvent({ incidentId: ID, comment: 'on it' }, 'arn:aws:iam::123456789012:user/alice'),
    )) as { statusCode: number; body: string };
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/^proof: /),
    });
    const bad = (await handler()({ ...urlEvent(null, ONCALL_SESSION), body: 'not json' })) as {
      statusCode: number;
    };
    expect(bad.statusCode).toBe(400);
    expect(stsCalls).toEqual([]);
    await expectUnchanged();
  });

  test('an imitated function URL event whose proof STS answers for another principal', async () => {
    // The authorizer's userArn names an acknowledger; the proof is signed by someone else.
    const response = (await handler(
      answers('arn:aws:sts::123456789012:assumed-role/influencegen-prod-readonly/mallory'),
    )(urlEvent({ incidentId: ID, proof: await proof() }, 'arn:aws:iam::123456789012:user/alice'))) as {
      statusCode: number;
      body: string;
    };
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({
      status: 'rejected',
      reason:
        'the request was made by arn:aws:iam::123456789012:user/alice, but its proof is signed by arn:aws:sts::123456789012:assumed-role/influencegen-prod-readonly/mallory',
    });
    // Both acknowledgers, but not the same one: still refused.
    const mixed = (await handler(answers(ONCALL_SESSION))(
      urlEvent({ incidentId: ID, proof: await proof() }, 'arn:aws:iam::123456789012:user/alice'),
    )) as { statusCode: number };
    expect(mixed.statusCode).toBe(400);
    await expectUnchanged();
  });

  test.each([
    [
      'a role outside the set',
      'arn:aws:sts::123456789012:assumed-role/influencegen-prod-readonly/mallory',
      'role influencegen-prod-readonly in account 123456789012',
    ],
    [
      'the on-call role of another account',
      'arn:aws:sts::210987654321:assumed-role/influencegen-prod-oncall/eve',
      'role influencegen-prod-oncall in account 210987654321',
    ],
    ['an IAM user outside the set', 'arn:aws:iam::123456789012:user/bob', 'user bob in account 123456789012'],
  ])('%s is rejected, naming the principal', async (_, arn, described) => {
    expect(await handler(answers(arn))({ incidentId: ID, comment: 'x', proof: await proof() })).toEqual({
      status: 'rejected',
      incidentId: ID,
      reason: `${arn} (${described}) is not an acknowledger of prod (alerts.acknowledgers)`,
    });
    await expectUnchanged();
  });

  test('an account root or a federated user is no acknowledger; nor is anyone when none is configured', async () => {
    for (const arn of ['arn:aws:iam::123456789012:root', 'arn:aws:sts::123456789012:federated-user/x']) {
      expect(await handler(answers(arn))({ incidentId: ID, proof: await proof() })).toMatchObject({
        status: 'rejected',
        reason: `${arn} is not an IAM role or user: it cannot acknowledge`,
      });
    }
    expect(
      await makeAckHandler(depsWith(answers(ONCALL_SESSION), []))({ incidentId: ID, proof: await proof() }),
    ).toMatchObject({
      status: 'rejected',
      reason: expect.stringContaining('is not an acknowledger of prod'),
    });
    await expectUnchanged();
  });

  test('a proof STS refuses (a signature that does not match, expired credentials)', async () => {
    const refused = sts({ ok: false, reason: 'STS refused the signed request: SignatureDoesNotMatch' });
    expect(await handler(refused)({ incidentId: ID, proof: await proof() })).toMatchObject({
      status: 'rejected',
      reason: 'proof: STS refused the signed request: SignatureDoesNotMatch',
    });
    expect(stsCalls).toHaveLength(1);
    await expectUnchanged();
  });

  type Tamper = (p: IdentityProof) => IdentityProof;
  const withHeaders = (p: IdentityProof, change: (h: Record<string, string>) => void): IdentityProof => {
    const headers = { ...p.headers };
    change(headers);
    return { ...p, headers };
  };
  test.each<[string, () => Promise<IdentityProof>, Tamper, RegExp]>([
    [
      'bound to another incident',
      () => proof(OTHER_ID),
      (p) => p,
      /^proof: signed for incident INC-20261123T1000-123456, not INC-20261123T1000-abcdef$/,
    ],
    [
      'with the incident header left out of the signature',
      () => proof(),
      (p) =>
        withHeaders(p, (h) => {
          h.authorization = (h.authorization ?? '').replace(`;${INCIDENT_HEADER}`, '');
        }),
      /^proof: the signature must cover x-influencegen-incident/,
    ],
    [
      'without the incident header',
      () => proof(),
      (p) => withHeaders(p, (h) => delete h[INCIDENT_HEADER]),
      /^proof: must carry the signed header x-influencegen-incident/,
    ],
    [
      'to a host that is not STS',
      () => proof(),
      (p) => ({ ...p, url: 'https://evil.example.com/' }),
      /^proof\.url: evil\.example\.com is not AWS STS/,
    ],
    [
      'to a look-alike host',
      () => proof(),
      (p) => ({ ...p, url: 'https://sts.eu-west-1.amazonaws.com.evil.example/' }),
      /^proof\.url: .* is not AWS STS/,
    ],
    [
      'to STS on another port',
      () => proof(),
      (p) => ({ ...p, url: 'https://sts.amazonaws.com:8443/' }),
      /is not AWS STS/,
    ],
    [
      'over http',
      () => proof(),
      (p) => ({ ...p, url: 'http://sts.eu-west-1.amazonaws.com/' }),
      /^proof\.url: must use https, not http$/,
    ],
    [
      'with a path or query',
      () => proof(),
      (p) => ({ ...p, url: 'https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity' }),
      /^proof\.url: must be https:\/\/sts\.eu-west-1\.amazonaws\.com\/ exactly/,
    ],
    [
      'signed six minutes ago',
      () => proof(ID, new Date(NOW.getTime() - 6 * 60_000)),
      (p) => p,
      /^proof: signed at 2026-11-23T09:59:00\.000Z, more than 5 minutes from/,
    ],
    [
      'signed six minutes ahead',
      () => proof(ID, new Date(NOW.getTime() + 6 * 60_000)),
      (p) => p,
      /more than 5 minutes/,
    ],
    [
      'for another action',
      () => proof(),
      (p) => ({ ...p, body: 'Action=GetSessionToken&Version=2011-06-15' }),
      /^proof\.body: must be exactly Action=GetCallerIdentity/,
    ],
    ['with another method', () => proof(), (p) => ({ ...p, method: 'GET' }), /^proof\.method: must be POST$/],
    [
      'with a header no GetCallerIdentity needs',
      () => proof(),
      (p) => withHeaders(p, (h) => (h['X-Forwarded-Host'] = 'evil.example.com')),
      /^proof\.headers: X-Forwarded-Host is not a header of a GetCallerIdentity proof$/,
    ],
    [
      'with a host header other than the URL',
      () => proof(),
      (p) => withHeaders(p, (h) => (h.host = 'evil.example.com')),
      /^proof\.headers: host evil\.example\.com is not the URL's sts\.eu-west-1\.amazonaws\.com$/,
    ],
    [
      'signed for another region than its endpoint',
      () => proof(),
      (p) => ({
        ...withHeaders(p, (h) => (h.host = 'sts.us-west-2.amazonaws.com')),
        url: 'https://sts.us-west-2.amazonaws.com/',
      }),
      /^proof: signed for region eu-west-1, but sts\.us-west-2\.amazonaws\.com is us-west-2's endpoint$/,
    ],
    [
      'with a signature that is not SigV4',
      () => proof(),
      (p) => withHeaders(p, (h) => (h.authorization = 'Bearer abc')),
      /^proof\.headers: authorization must be an AWS Signature Version 4/,
    ],
  ])('a proof %s is rejected before any STS call', async (_, make, tamper, reason) => {
    const result = await handler()({ incidentId: ID, comment: 'x', proof: tamper(await make()) });
    expect(result).toMatchObject({
      status: 'rejected',
      incidentId: ID,
      reason: expect.stringMatching(reason),
    });
    expect(stsCalls).toEqual([]);
    await expectUnchanged();
  });
});

/** STS's side of SigV4, recomputed from what the function would send (and the URL's host). */
function stsSignature(request: StsRequest, secretAccessKey: string): { expected: string; given: string } {
  const headers: Record<string, string> = { ...request.headers, host: new URL(request.url).hostname };
  const auth =
    /^AWS4-HMAC-SHA256 Credential=[^/]+\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      headers.authorization ?? '',
    );
  if (!auth) throw new Error('not SigV4');
  const [, date = '', region = '', service = '', signedList = '', given = ''] = auth;
  const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const canonicalHeaders = signedList
    .split(';')
    .map((h) => `${h}:${(headers[h] ?? '').trim()}\n`)
    .join('');
  const canonical = ['POST', '/', '', canonicalHeaders, signedList, sha256(request.body)].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', headers['x-amz-date'], scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), 'aws4_request');
  return { expected: createHmac('sha256', key).update(toSign).digest('hex'), given };
}

describe('the signing round trip', () => {
  test.each([
    ['long-term credentials', CREDENTIALS],
    [
      'role credentials with a session token',
      { ...CREDENTIALS, sessionToken: 'FwoGZXIvYXdzEBYaDH+example//token==' },
    ],
  ])(
    'a proof signed with %s passes the checks, and what is sent to STS carries a valid signature',
    async (_, credentials) => {
      const signed = await proof(ID, NOW, credentials);
      expect(signed).toMatchObject({
        url: 'https://sts.eu-west-1.amazonaws.com/',
        method: 'POST',
        body: 'Action=GetCallerIdentity&Version=2011-06-15',
      });
      expect(signed.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261123\/eu-west-1\/sts\/aws4_request, SignedHeaders=[^,]*\bhost\b[^,]*\bx-amz-date\b[^,]*\bx-influencegen-incident\b/,
      );
      const checked = checkProof(signed, ID, NOW);
      if (!checked.ok) throw new Error(checked.reason);
      expect(checked.request.headers.host).toBeUndefined();
      if ('sessionToken' in credentials) {
        expect(checked.request.headers['x-amz-security-token']).toBe(credentials.sessionToken);
      }
      const { expected, given } = stsSignature(checked.request, credentials.secretAccessKey);
      expect(given).toBe(expected);
      // The same proof, through the function, with STS replaced by a verifier returning the ARN.
      await seed();
      expect(
        await makeAckHandler(depsWith(fixedCaller(ONCALL_SESSION)))({ incidentId: ID, proof: signed }),
      ).toMatchObject({ status: 'acknowledged', by: ONCALL_SESSION });
    },
  );

  test('a proof signed for the global endpoint (us-east-1) is accepted too', async () => {
    const signed = await signAcknowledgementProof({
      incidentId: ID,
      region: 'us-east-1',
      credentials: CREDENTIALS,
      now: NOW,
    });
    const global = {
      ...signed,
      url: 'https://sts.amazonaws.com/',
      headers: { ...signed.headers, host: 'sts.amazonaws.com' },
    };
    expect(checkProof(global, ID, NOW)).toMatchObject({ ok: true });
  });
});

describe('the STS verifier (lambdas/aws/caller-identity.ts)', () => {
  const request: StsRequest = {
    url: 'https://sts.eu-west-1.amazonaws.com/',
    headers: { authorization: 'AWS4-HMAC-SHA256 ...' },
    body: 'Action=GetCallerIdentity&Version=2011-06-15',
  };
  const answering = (status: number, body: string) => {
    const calls: Array<[string, RequestInit | undefined]> = [];
    const send = (async (url: string, init?: RequestInit) => {
      calls.push([url, init]);
      return new Response(body, { status });
    }) as typeof fetch;
    return { calls, verify: stsCallerVerifier(send) };
  };

  test("reads the Arn of STS's answer, sending the request as given and following no redirect", async () => {
    const { calls, verify } = answering(
      200,
      `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>${ONCALL_SESSION}</Arn>
    <UserId>AROAEXAMPLE:carol@example.com</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`,
    );
    expect(await verify(request)).toEqual({ ok: true, arn: ONCALL_SESSION });
    expect(calls[0]?.[0]).toBe(request.url);
    expect(calls[0]?.[1]).toMatchObject({
      method: 'POST',
      body: request.body,
      headers: request.headers,
      redirect: 'error',
    });
  });

  test("a refused signature is a rejection naming STS's code; an STS failure is an error", async () => {
    const refused = answering(
      403,
      '<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>...</Message></Error></ErrorResponse>',
    );
    expect(await refused.verify(request)).toEqual({
      ok: false,
      reason: 'STS refused the signed request: SignatureDoesNotMatch',
    });
    await expect(answering(503, 'unavailable').verify(request)).rejects.toThrow(/HTTP 503/);
    await expect(answering(200, '<html/>').verify(request)).rejects.toThrow(/without an Arn/);
  });
});

describe('the runtime configuration carries the acknowledgers', () => {
  const env = {
    ENVIRONMENT: 'prod',
    STATE_TABLE: 't',
    RUNBOOK_BASE_URL: 'https://runbooks.example.com/',
  };
  test('read from ACKNOWLEDGERS; absent, nobody', () => {
    expect(readRuntimeConfig({ ...env, ACKNOWLEDGERS: JSON.stringify(ACKNOWLEDGERS) }).acknowledgers).toEqual(
      ACKNOWLEDGERS,
    );
    expect(readRuntimeConfig(env).acknowledgers).toEqual([]);
  });
  test('a group, a session or a wildcard is refused, naming the variable', () => {
    for (const arn of [
      'arn:aws:iam::123456789012:group/oncall',
      ONCALL_SESSION,
      'arn:aws:iam::123456789012:role/*',
    ]) {
      expect(() => readRuntimeConfig({ ...env, ACKNOWLEDGERS: JSON.stringify([arn]) })).toThrow(
        /^Invalid function configuration: ACKNOWLEDGERS\.0: must be an IAM role or user ARN/,
      );
    }
  });
});
