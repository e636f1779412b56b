import { environment } from '../../bin/ops/validate';
import { Aws } from '../../bin/ops/aws';
import type { Ctx } from '../../bin/ops/command';
import { declareMajorCommand } from '../../bin/ops/commands/declare-major';
import { endMajorCommand } from '../../bin/ops/commands/end-major';
import { EXIT, UsageError } from '../../bin/ops/errors';
import { majorExecutionName } from '../../bin/ops/major-incident';
import { awsEnv, CALLER_ARN, startFakeAws, type FakeAws, type Reply } from './fake-aws';
import { EMPTY_HOME } from './run-ops';

/**
 * declare-major and end-major run through their modules' `run` in this process (no `ops` process per
 * case), with a context built as bin/ops/cli.ts builds one and a real `Aws` whose SDK clients are
 * pointed at the fake AWS server: every request they make is recorded.
 */

// The commands load their AWS side lazily, as `import('../major-incident.js')` (what Node resolves
// under tsx); Jest's resolver knows only the .ts file: the .js path is mapped to it here.
jest.mock('../../bin/ops/major-incident.js', () => jest.requireActual('../../bin/ops/major-incident'), {
  virtual: true,
});

let fake: FakeAws;
let describe_: (index: number) => Reply;
const saved = { ...process.env };

beforeEach(async () => {
  describe_ = () => ({
    body: {
      status: 'SUCCEEDED',
      output: JSON.stringify({
        status: 'notified',
        action: 'declare',
        majorId: 'major-x',
        reached: ['CrisisManagementTeam (SMS, email)', 'ExecutiveLeadership (SMS, email)', 'PagerDuty'],
        failed: [],
        skipped: [],
        summary: 'reached CrisisManagementTeam (SMS, email), ExecutiveLeadership (SMS, email), PagerDuty',
      }),
    },
  });
  fake = await startFakeAws({ DescribeExecution: (_r, i) => describe_(i) });
  Object.assign(process.env, awsEnv(fake.url, EMPTY_HOME));
});
afterEach(async () => {
  process.env = { ...saved };
  await fake.close();
});

async function run(command: typeof declareMajorCommand, args: Record<string, unknown>) {
  const printed: unknown[] = [];
  let aws: Aws | undefined;
  const ctx: Ctx = {
    args: { wait: true, 'wait-seconds': '30', ...args },
    output: 'json',
    env: () => environment(args.env, command.command),
    aws: async () => (aws ??= new Aws({})),
    print: (json) => printed.push(json),
    progress: () => undefined,
    // As bin/ops/confirm.ts without a terminal: --yes goes on, otherwise a usage error naming it.
    confirm: async () => {
      if (args.yes !== true) throw new UsageError('--yes: required to go ahead without a terminal');
    },
  };
  try {
    const exitCode = await (command.run as (ctx: Ctx) => Promise<number>)(ctx);
    return { exitCode, printed, error: undefined };
  } catch (error) {
    // bin/ops/cli.ts reports a UsageError as exit code 2.
    if (error instanceof UsageError) return { exitCode: EXIT.usage, printed, error: error.message };
    throw error;
  } finally {
    aws?.destroy();
  }
}

describe('ops declare-major', () => {
  test('without --reason: exit 2 naming --reason, and not one request to AWS', async () => {
    const result = await run(declareMajorCommand, { env: 'prod', yes: true });
    expect(result.exitCode).toBe(2);
    expect(result.error).toMatch(/^--reason: required/);
    expect(fake.requests).toEqual([]);
  });

  test.each([
    ['too short', 'down', '--reason: required: why this is a major incident (10 to 120 characters)'],
    ['too long', 'x'.repeat(121), '--reason: at most 120 characters'],
    ['on two lines', 'database lost\nDRP activated', '--reason: must be one line'],
  ])('a reason %s: exit 2 naming --reason, nothing sent', async (_what, reason, message) => {
    const result = await run(declareMajorCommand, { env: 'prod', reason, yes: true });
    expect(result).toMatchObject({ exitCode: 2, error: expect.stringContaining(message) });
    expect(fake.requests).toEqual([]);
  });

  test('without --env: exit 2 naming --env, nothing sent', async () => {
    const result = await run(declareMajorCommand, { reason: 'DRP activated: database lost', yes: true });
    expect(result.exitCode).toBe(2);
    expect(result.error).toContain('--env');
    expect(fake.requests).toEqual([]);
  });

  test('not confirmed: nothing sent', async () => {
    const result = await run(declareMajorCommand, { env: 'prod', reason: 'DRP activated: database lost' });
    expect(result).toMatchObject({ exitCode: 2, error: expect.stringContaining('--yes') });
    expect(fake.requests).toEqual([]);
  });

  test('starts the prod workflow as the caller STS names, with --broad, and prints who was reached', async () => {
    const result = await run(declareMajorCommand, {
      env: 'prod',
      reason: '  DRP activated: eu-west-1 database lost ',
      broad: true,
      yes: true,
    });
    expect(result.exitCode).toBe(0);
    const start = fake.requests.find((r) => r.action === 'StartExecution');
    expect(start?.json).toMatchObject({
      stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:influencegen-prod-major-incident',
      name: expect.stringMatching(/^major-\d{8}T\d{6}Z-[0-9a-f]{4}$/),
    });
    expect(JSON.parse(String(start?.json?.input))).toEqual({
      action: 'declare',
      reason: 'DRP activated: eu-west-1 database lost',
      requestedBy: CALLER_ARN,
      broadImpact: true,
    });
    expect(result.printed[0]).toMatchObject({
      env: 'prod',
      status: 'SUCCEEDED',
      outcome: 'notified',
      reached: ['CrisisManagementTeam (SMS, email)', 'ExecutiveLeadership (SMS, email)', 'PagerDuty'],
    });
  });

  test('a declaration while one is active is refused: exit 1 naming the active one', async () => {
    describe_ = () => ({
      body: {
        status: 'SUCCEEDED',
        output: JSON.stringify({
          status: 'nothing-to-send',
          action: 'declare',
          outcome: 'already-active',
          majorId: 'major-first',
          summary:
            'major incident major-first is already active (since 2026-12-04T10:00:00Z): nobody notified again',
        }),
      },
    });
    const result = await run(declareMajorCommand, { env: 'prod', reason: 'DRP activated again', yes: true });
    expect(result.exitCode).toBe(1);
    expect(result.printed[0]).toMatchObject({ outcome: 'already-active', majorId: 'major-first' });
  });

  test('a channel that failed: exit 1 with the failure', async () => {
    describe_ = () => ({
      body: {
        status: 'SUCCEEDED',
        output: JSON.stringify({
          status: 'partly-notified',
          action: 'declare',
          majorId: 'major-x',
          reached: ['CrisisManagementTeam (SMS, email)'],
          failed: [{ target: 'PagerDuty', error: 'PagerDutyUnavailable: HTTP 503' }],
          skipped: [],
          summary: 'reached CrisisManagementTeam (SMS, email); FAILED PagerDuty',
        }),
      },
    });
    const result = await run(declareMajorCommand, {
      env: 'prod',
      reason: 'DRP activated: database lost',
      yes: true,
    });
    expect(result.exitCode).toBe(1);
    expect(result.printed[0]).toMatchObject({
      summary: 'partly-notified: reached CrisisManagementTeam (SMS, email); FAILED PagerDuty',
      failed: [{ target: 'PagerDuty', error: 'PagerDutyUnavailable: HTTP 503' }],
    });
  });
});

describe('ops end-major', () => {
  test('without --reason: exit 2 naming --reason, and not one request to AWS', async () => {
    const result = await run(endMajorCommand, { env: 'prod', yes: true });
    expect(result).toMatchObject({ exitCode: 2, error: expect.stringMatching(/^--reason: required/) });
    expect(fake.requests).toEqual([]);
  });

  test('ends as the caller; nothing active is harmless (exit 0, said so)', async () => {
    describe_ = () => ({
      body: {
        status: 'SUCCEEDED',
        output: JSON.stringify({
          status: 'nothing-to-send',
          action: 'end',
          outcome: 'not-active',
          majorId: null,
          summary: 'nothing to end: no major incident is active',
        }),
      },
    });
    const result = await run(endMajorCommand, {
      env: 'staging',
      reason: 'Service restored everywhere',
      yes: true,
    });
    expect(result.exitCode).toBe(0);
    const start = fake.requests.find((r) => r.action === 'StartExecution');
    expect(start?.json?.stateMachineArn).toBe(
      'arn:aws:states:eu-west-1:123456789012:stateMachine:influencegen-staging-major-incident',
    );
    expect(JSON.parse(String(start?.json?.input))).toEqual({
      action: 'end',
      reason: 'Service restored everywhere',
      requestedBy: CALLER_ARN,
    });
    expect(result.printed[0]).toMatchObject({ summary: 'nothing to end: no major incident is active' });
  });
});

test('execution names are valid Step Functions names that read as the time', () => {
  expect(majorExecutionName('declare', new Date('2026-12-04T10:00:00.123Z'), 0.5)).toBe(
    'major-20261204T100000Z-7fff',
  );
  expect(majorExecutionName('end', new Date('2026-12-04T10:00:00Z'), 0)).toBe('end-20261204T100000Z-0000');
});
