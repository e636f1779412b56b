import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { gpuCheck } from '../../bin/ops/gpu';
import { resetWorkflows, sfn, sfnMock, TARGET } from './mocked-workflows';

const NOW = new Date('2026-11-23T10:00:00Z');

beforeEach(resetWorkflows);

describe('ops gpu-check', () => {
  test('a dry run starts the workflow as the caller and waits for its report', async () => {
    const report = {
      status: 'stalled',
      checkedAt: NOW.toISOString(),
      summary: 'i-c stalled',
      stalled: [{ instanceId: 'i-c' }],
      instances: [],
      queue: {},
    };
    sfnMock
      .on(DescribeExecutionCommand)
      .resolvesOnce({ status: 'RUNNING' })
      .resolvesOnce({
        status: 'SUCCEEDED',
        output: JSON.stringify({ ...report, trigger: 'x', dryRun: true }),
      });
    const result = await gpuCheck(
      sfn,
      TARGET,
      { dryRun: true, by: 'arn:aws:iam::1:user/alice', pollMs: 0 },
      NOW,
    );
    expect(sfnMock).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:influencegen-prod-stalled-gpu',
      name: `dry-run-gpu-check-${NOW.getTime()}`,
      input: JSON.stringify({ dryRun: true, requestedBy: 'arn:aws:iam::1:user/alice' }),
    });
    expect(result).toMatchObject({
      dryRun: true,
      status: 'SUCCEEDED',
      report,
      summary: 'dry run: stalled',
      exitCode: 0,
    });
  });

  test('a dry run that fails reports the error, exit code 1', async () => {
    sfnMock
      .on(DescribeExecutionCommand)
      .resolves({ status: 'FAILED', error: 'StallCheckFailed', cause: 'AccessDenied' });
    await expect(gpuCheck(sfn, TARGET, { dryRun: true, by: 'me', pollMs: 0 }, NOW)).resolves.toMatchObject({
      status: 'FAILED',
      error: 'StallCheckFailed: AccessDenied',
      exitCode: 1,
    });
  });

  test('--no-wait returns the execution to follow, without describing it', async () => {
    await expect(gpuCheck(sfn, TARGET, { dryRun: false, by: 'me', wait: false }, NOW)).resolves.toEqual({
      executionArn: 'arn:execution',
      name: `manual-gpu-check-${NOW.getTime()}`,
      dryRun: false,
      status: 'STARTED',
      summary: 'started, not waited for (--no-wait)',
      exitCode: 0,
    });
    expect(sfnMock).not.toHaveReceivedCommand(DescribeExecutionCommand);
  });

  test.each([
    ['healthy', null, 0, 'every GPU host is healthy: nothing to do'],
    [
      'recovered',
      'INC-20261123T1000-abcdef',
      0,
      'repaired (incident INC-20261123T1000-abcdef): the stalled hosts serve again',
    ],
    [
      'joined',
      'INC-20261123T1000-abcdef',
      0,
      'a remediation is already under way (incident INC-20261123T1000-abcdef): joined it',
    ],
    [
      'escalate',
      'INC-20261123T1000-abcdef',
      1,
      'not repaired (incident INC-20261123T1000-abcdef): escalated Critical',
    ],
  ] as const)(
    'a real run that ends %s (incident %s): exit code %i, %s',
    async (outcome, incidentId, exitCode, summary) => {
      const check = {
        status: 'stalled',
        checkedAt: NOW.toISOString(),
        summary: 'i-c stalled',
        stalled: [],
        instances: [],
        queue: {},
        trigger: 'x',
        dryRun: false,
      };
      sfnMock.on(DescribeExecutionCommand).resolves({
        status: 'SUCCEEDED',
        output: JSON.stringify({
          request: { dryRun: false },
          check: { result: check },
          close: { outcome, incidentId, reason: null, restart: null, replace: null },
          closed: { result: { status: 'recorded', outcome } },
        }),
      });
      await expect(gpuCheck(sfn, TARGET, { dryRun: false, by: 'me', pollMs: 0 }, NOW)).resolves.toMatchObject(
        {
          status: 'SUCCEEDED',
          outcome,
          exitCode,
          summary,
          report: { status: 'stalled', summary: 'i-c stalled' },
        },
      );
    },
  );
});
