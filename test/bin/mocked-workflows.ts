import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';

/**
 * Step Functions as the `ops` commands see it, mocked at the SDK boundary: every start answers
 * with one execution ARN; each test adds how the execution goes (DescribeExecution).
 */
export const sfn = new SFNClient({ region: 'eu-west-1' });
export const sfnMock = mockClient(sfn);
export const TARGET = { envName: 'prod', account: '123456789012', region: 'eu-west-1' } as const;

export function resetWorkflows(): void {
  sfnMock.reset();
  sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'arn:execution' });
}
