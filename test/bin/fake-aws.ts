import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake AWS on a loopback port, for `ops` run as a separate process: the SDK is pointed at it
 * with AWS_ENDPOINT_URL (every service) and dummy credentials. It records every request and
 * answers Step Functions and DynamoDB (JSON, X-Amz-Target), STS (query protocol, XML) and Lambda
 * Invoke (REST) from per-action handlers, with defaults for StartExecution and GetCallerIdentity.
 */

export interface RecordedRequest {
  readonly service: 'sfn' | 'dynamodb' | 'sts' | 'lambda' | 'unknown';
  readonly action: string;
  readonly path: string;
  readonly body: string;
  /** The Authorization header: whose key signed the request, for which region and service. */
  readonly authorization: string;
  /** The JSON body of a JSON-protocol request (Step Functions, DynamoDB, a Lambda payload). */
  readonly json?: Record<string, unknown>;
}

export interface Reply {
  readonly status?: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

export type Handler = (request: RecordedRequest, index: number) => Reply;

export interface FakeAws {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** The environment that points `ops` here (region eu-west-1, dummy credentials, no HOME config). */
  env(home: string): Record<string, string>;
  close(): Promise<void>;
}

export const ACCOUNT = '123456789012';
export const CALLER_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/influencegen-prod-oncall/alice`;

const stsIdentity = (): Reply => ({
  headers: { 'content-type': 'text/xml' },
  body: `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>${CALLER_ARN}</Arn><UserId>AROAEXAMPLE:alice</UserId><Account>${ACCOUNT}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
});

/** An error as a JSON-protocol service sends it (Step Functions, DynamoDB, Lambda). */
export function jsonError(status: number, type: string, message: string): Reply {
  return { status, headers: { 'x-amzn-errortype': type }, body: { __type: type, message } };
}

/** An error as STS (query protocol) sends it. */
export function queryError(status: number, code: string, message: string): Reply {
  return {
    status,
    headers: { 'content-type': 'text/xml' },
    body: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>x</RequestId></ErrorResponse>`,
  };
}

function classify(req: http.IncomingMessage, body: string): RecordedRequest {
  const target = String(req.headers['x-amz-target'] ?? '');
  const path = req.url ?? '/';
  const authorization = String(req.headers.authorization ?? '');
  const parse = () => {
    try {
      return JSON.parse(body) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  };
  if (target.startsWith('AWSStepFunctions.'))
    return {
      service: 'sfn',
      action: target.slice('AWSStepFunctions.'.length),
      path,
      body,
      authorization,
      json: parse(),
    };
  if (target.startsWith('DynamoDB_'))
    return {
      service: 'dynamodb',
      action: target.split('.')[1] ?? '',
      path,
      body,
      authorization,
      json: parse(),
    };
  const invoke = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(path);
  if (invoke) return { service: 'lambda', action: 'Invoke', path, body, authorization, json: parse() };
  const action = new URLSearchParams(body).get('Action');
  if (action) return { service: 'sts', action, path, body, authorization };
  return { service: 'unknown', action: '', path, body, authorization };
}

export async function startFakeAws(handlers: Record<string, Handler> = {}): Promise<FakeAws> {
  const requests: RecordedRequest[] = [];
  const counts = new Map<string, number>();
  const defaults: Record<string, Handler> = {
    GetCallerIdentity: stsIdentity,
    StartExecution: (r) => ({
      body: {
        executionArn: `${String(r.json?.stateMachineArn).replace(':stateMachine:', ':execution:')}:${String(r.json?.name)}`,
        startDate: 1_795_000_000,
      },
    }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = classify(req, Buffer.concat(chunks).toString('utf8'));
      requests.push(recorded);
      const key = handlers['*'] ? '*' : recorded.action;
      const index = counts.get(key) ?? 0;
      counts.set(key, index + 1);
      const handler = handlers['*'] ?? handlers[recorded.action] ?? defaults[recorded.action];
      const reply = handler
        ? handler(recorded, index)
        : jsonError(400, 'UnknownOperationException', `the fake has no ${recorded.action}`);
      const json = typeof reply.body !== 'string';
      res.writeHead(reply.status ?? 200, {
        'content-type':
          recorded.service === 'sfn' || recorded.service === 'dynamodb'
            ? 'application/x-amz-json-1.0'
            : 'application/json',
        'x-amzn-requestid': 'fake',
        ...reply.headers,
      });
      res.end(json ? JSON.stringify(reply.body) : reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    env: (home) => awsEnv(url, home),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What points the SDK at `url`, with dummy credentials and nothing read from a real ~/.aws. */
export function awsEnv(url: string, home: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: url,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    AWS_EC2_METADATA_DISABLED: 'true',
    HOME: home,
  };
}
