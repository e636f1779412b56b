import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { backupCheck } from '../../bin/ops/backup';
import { resetWorkflows, sfn, sfnMock, TARGET } from './mocked-workflows';

const NOW = new Date('2026-11-23T10:00:00Z');

beforeEach(resetWorkflows);

describe('ops backup-check', () => {
  test('starts the workflow for one resource as the caller and prints the assessment', async () => {
    sfnMock
      .on(DescribeExecutionCommand)
      .resolvesOnce({ status: 'RUNNING' })
      .resolvesOnce({
        status: 'SUCCEEDED',
        output: JSON.stringify({
          assessment: { result: { status: 'healthy', summary: 'database healthy' } },
        }),
      });
    const result = await backupCheck(sfn, TARGET, { resource: 'database', by: 'alice', pollMs: 0 }, NOW);
    expect(sfnMock).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn:
        'arn:aws:states:eu-west-1:123456789012:stateMachine:influencegen-prod-backup-verification',
      input: JSON.stringify({ resource: 'database', requestedBy: 'alice' }),
    });
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      assessment: { status: 'healthy', summary: 'database healthy' },
      summary: 'healthy: database healthy',
      exitCode: 0,
    });
  });

  test('a run still re-running after the wait is left to follow in the console', async () => {
    sfnMock.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' });
    await expect(
      backupCheck(sfn, TARGET, { by: 'alice', pollMs: 0, timeoutMs: 0 }, NOW),
    ).resolves.toMatchObject({
      status: 'RUNNING',
      summary: 'still running (a re-run is being polled); follow it in the console',
      exitCode: 4,
    });
  });

  test('a resource still failing after its re-run is escalated: exit code 1; a failed run too', async () => {
    sfnMock.on(DescribeExecutionCommand).resolvesOnce({
      status: 'SUCCEEDED',
      output: JSON.stringify({
        assessment: { result: { status: 'escalate', summary: 'database failed: job 1 ABORTED' } },
      }),
    });
    await expect(backupCheck(sfn, TARGET, { by: 'alice', pollMs: 0 }, NOW)).resolves.toMatchObject({
      summary: 'not healthy, escalated: database failed: job 1 ABORTED',
      exitCode: 1,
    });
    sfnMock.on(DescribeExecutionCommand).resolves({ status: 'ABORTED' });
    await expect(backupCheck(sfn, TARGET, { by: 'alice', pollMs: 0 }, NOW)).resolves.toMatchObject({
      status: 'ABORTED',
      exitCode: 1,
    });
  });
});
