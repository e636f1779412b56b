import { PassThrough } from 'node:stream';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { checkProof, type IdentityProof } from '../../lambdas/core/escalation/acknowledger';
import { ack, ackRequest, ackSucceeded } from '../../bin/ops/ack';
import { isAwsAccessError } from '../../bin/ops/aws-errors';
import { confirm } from '../../bin/ops/confirm';
import { outputFormat, table, fields } from '../../bin/ops/output';

describe('ops ack', () => {
  const credentials = {
    accessKeyId: 'AKIDEXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  };
  const lambda = new LambdaClient({ region: 'eu-west-1', credentials });
  const lambdaMock = mockClient(lambda);
  const ID = 'INC-20261123T1000-abcdef';
  const now = new Date('2026-11-23T10:05:00Z');

  test("invokes the environment's ack function with a proof of the caller's identity, not a name", async () => {
    const verified = 'arn:aws:sts::123456789012:assumed-role/influencegen-prod-oncall/alice';
    lambdaMock.on(InvokeCommand).resolves({
      StatusCode: 200,
      Payload: Buffer.from(
        JSON.stringify({ status: 'acknowledged', incidentId: ID, by: verified, stoppedEscalation: true }),
      ) as never,
    });
    const result = await ack({ lambda }, 'prod', ID, 'on it', now);
    expect(result).toMatchObject({ status: 'acknowledged', by: verified });
    expect(lambdaMock).toHaveReceivedCommandWith(InvokeCommand, {
      FunctionName: 'influencegen-prod-incident-ack',
    });
    const payload = JSON.parse(
      Buffer.from(lambdaMock.commandCalls(InvokeCommand)[0]?.args[0].input.Payload as Uint8Array).toString(),
    ) as { incidentId: string; comment: string; proof: IdentityProof };
    expect(Object.keys(payload).sort()).toEqual(['comment', 'incidentId', 'proof']);
    expect(payload).toMatchObject({ incidentId: ID, comment: 'on it' });
    // Signed with the client's own credentials and region, bound to the incident, accepted by the function's checks.
    expect(payload.proof.url).toBe('https://sts.eu-west-1.amazonaws.com/');
    expect(payload.proof.headers.authorization).toMatch(/Credential=AKIDEXAMPLE\/20261123\/eu-west-1\/sts\//);
    expect(checkProof(payload.proof, ID, now)).toMatchObject({ ok: true });
    expect(checkProof(payload.proof, 'INC-20261123T1000-000000', now)).toMatchObject({ ok: false });
  });
});

describe('ops ack: the checks before anything is signed', () => {
  test('INCIDENT as the function accepts it; --comment not empty', () => {
    expect(ackRequest({ incident: 'INC-20261123T1005-a1b2c3', comment: ' on it ' })).toEqual({
      incidentId: 'INC-20261123T1005-a1b2c3',
      comment: 'on it',
    });
    expect(() => ackRequest({})).toThrow(/^INCIDENT: required/);
    expect(() => ackRequest({ incident: 'INC-20261123T1005-A1B2C3' })).toThrow(
      /^INCIDENT: INC-20261123T1005-A1B2C3 is not an incident id/,
    );
    expect(() => ackRequest({ incident: 'INC-20261123T1005-a1b2c3', comment: ' ' })).toThrow(
      '--comment: must not be empty',
    );
    expect(ackSucceeded({ status: 'already-acknowledged', reason: 'x' })).toBe(true);
    expect(ackSucceeded({ status: 'rejected', reason: 'a Critical incident needs a comment' })).toBe(false);
  });
});

describe('output', () => {
  test('json when stdout is not a terminal, table when it is, unless --output says', () => {
    expect(outputFormat(undefined, false)).toBe('json');
    expect(outputFormat(undefined, undefined)).toBe('json');
    expect(outputFormat(undefined, true)).toBe('table');
    expect(outputFormat('json', true)).toBe('json');
    expect(outputFormat('table', false)).toBe('table');
  });

  test('a table is plain columns aligned with spaces; a missing value is -', () => {
    expect(
      table(
        [
          { id: 'a', severity: 'Critical', by: undefined },
          { id: 'bbbb', severity: 'Low', by: ['x', 'y'] },
        ],
        ['id', 'severity', 'by'],
      ),
    ).toBe(['id    severity  by', 'a     Critical  -', 'bbbb  Low       x, y'].join('\n'));
    expect(table([], ['id'], 'nothing open')).toBe('nothing open');
    expect(fields({ status: 'SUCCEEDED', 'time to scale': '75 s', skipped: undefined })).toBe(
      ['status:         SUCCEEDED', 'time to scale:  75 s'].join('\n'),
    );
  });
});

describe('confirmation', () => {
  const terminal = (answer?: string) => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const stderr = Object.assign(new PassThrough(), { isTTY: true });
    let asked = '';
    stderr.on('data', (d: Buffer) => (asked += d.toString()));
    if (answer !== undefined) stdin.end(`${answer}\n`);
    return { io: { stdin, stderr }, asked: () => asked };
  };

  test('--yes goes ahead without asking', async () => {
    const t = terminal();
    await expect(confirm('Scale odoo?', { yes: true, command: 'scale' }, t.io)).resolves.toBe(true);
    expect(t.asked()).toBe('');
  });

  test('on a terminal: asked on stderr, y or yes goes ahead, anything else does not', async () => {
    for (const [answer, expected] of [
      ['y', true],
      ['YES', true],
      ['n', false],
      ['', false],
      ['sure', false],
    ] as const) {
      const t = terminal(answer);
      await expect(confirm('Scale odoo in prod to 4?', { yes: false, command: 'scale' }, t.io)).resolves.toBe(
        expected,
      );
      expect(t.asked()).toContain('Scale odoo in prod to 4? [y/N] ');
    }
  });

  test('no terminal on stdin or stderr: a usage error naming --yes', async () => {
    const pipe = { stdin: new PassThrough(), stderr: Object.assign(new PassThrough(), { isTTY: true }) };
    await expect(confirm('Scale?', { yes: false, command: 'scale' }, pipe)).rejects.toThrow(
      /^--yes: ops scale needs confirming and there is no terminal to ask on/,
    );
    const noErr = { stdin: Object.assign(new PassThrough(), { isTTY: true }), stderr: new PassThrough() };
    await expect(confirm('Scale?', { yes: false, command: 'scale' }, noErr)).rejects.toThrow(/^--yes:/);
  });
});

describe('AWS unreachable or not authorised (exit code 3) or the operation failing (1)', () => {
  const named = (name: string, extra: Record<string, unknown> = {}) =>
    Object.assign(new Error(`${name} happened`), { name, ...extra });

  test.each([
    named('CredentialsProviderError'),
    named('ExpiredTokenException'),
    named('ExpiredToken'),
    named('UnrecognizedClientException'),
    named('AccessDeniedException'),
    named('AccessDenied'),
    named('InvalidClientTokenId'),
    named('TimeoutError'),
    new Error('Region is missing'),
    Object.assign(new Error('getaddrinfo ENOTFOUND states.eu-west-1.amazonaws.com'), { code: 'ENOTFOUND' }),
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
    Object.assign(new Error('forbidden'), { $metadata: { httpStatusCode: 403 } }),
  ])('%p is exit 3', (error) => {
    expect(isAwsAccessError(error)).toBe(true);
  });

  test.each([
    named('ExecutionDoesNotExist'),
    named('ConditionalCheckFailedException', { $metadata: { httpStatusCode: 400 } }),
    named('ResourceNotFoundException'),
    new Error('something else'),
    'not an error',
  ])('%p is not', (error) => {
    expect(isAwsAccessError(error)).toBe(false);
  });
});
