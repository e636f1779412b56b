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
    expect(result).toMatchObject({ dryRun: true, status: 'SUCCEEDED', report });
  });

  test('a dry run that fails reports the error', async () => {
    sfnMock
      .on(DescribeExecutionCommand)
      .resolves({ status: 'FAILED', error: 'StallCheckFailed', cause: 'AccessDenied' });
    await expect(gpuCheck(sfn, TARGET, { dryRun: true, by: 'me', pollMs: 0 }, NOW)).resolves.toMatchObject({
      status: 'FAILED',
      error: 'StallCheckFailed: AccessDenied',
    });
  });

  test('a real run returns the execution to follow, without waiting for the remediation', async () => {
    await expect(gpuCheck(sfn, TARGET, { dryRun: false, by: 'me' }, NOW)).resolves.toEqual({
      executionArn: 'arn:execution',
      name: `manual-gpu-check-${NOW.getTime()}`,
      dryRun: false,
    });
    expect(sfnMock).not.toHaveReceivedCommand(DescribeExecutionCommand);
  });
});
