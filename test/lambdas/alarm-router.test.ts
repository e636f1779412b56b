import { SFNClient, StartExecutionCommand, ExecutionAlreadyExists } from '@aws-sdk/client-sfn';
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import fc from 'fast-check';
import { makeRouterHandler } from '../../lambdas/alarm-router';
import type { RuntimeConfig } from '../../lambdas/aws/runtime-config';
import { allEventFixtures, eventFixture } from '../fixtures/events/load';

const sfn = new SFNClient({ region: 'eu-west-1' });
const sfnMock = mockClient(sfn);
const ESCALATION = 'arn:aws:states:eu-west-1:123456789012:stateMachine:escalation';
const config: RuntimeConfig = {
  environment: 'prod',
  stateTable: 't',
  channelTopics: {},
  runbookBaseUrl: 'https://runbooks.example.com/',
  workflowArns: { escalation: ESCALATION },
};
const router = makeRouterHandler({
  config,
  sfn,
  logger: new Logger({ logLevel: 'SILENT' }),
  now: () => new Date('2026-11-23T10:00:00Z'),
});

beforeEach(() => {
  sfnMock.reset();
  sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'arn:execution' });
});

describe('alarm router', () => {
  test('an incident alarm starts the escalation workflow with the normalised signal', async () => {
    await expect(router(eventFixture('eventbridge-metric-alarm'))).resolves.toMatchObject({
      status: 'started',
      workflow: 'escalation',
    });
    expect(sfnMock).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: ESCALATION,
      name: expect.stringMatching(/^Odoo_Server_High_CPU-ALARM-/),
    });
    const input = JSON.parse(sfnMock.commandCalls(StartExecutionCommand)[0]?.args[0].input.input ?? '{}');
    expect(input).toMatchObject({
      alert: { name: 'Odoo_Server_High_CPU', severity: 'High' },
      subject: 'influencegen-prod-Odoo_Server_High_CPU',
      state: 'ALARM',
      signal: { type: 'alarm', delivery: 'eventbridge' },
    });
  });

  test('a duplicate delivery starts nothing and is reported as a duplicate', async () => {
    sfnMock
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    await expect(router(eventFixture('sns-metric-alarm'))).resolves.toMatchObject({ status: 'duplicate' });
  });

  test('a workflow not deployed here is ignored with a reason', async () => {
    await expect(router(eventFixture('eventbridge-composite-alarm'))).resolves.toEqual({
      status: 'ignored',
      reason: 'workflow stalled-gpu is not deployed in prod',
    });
    expect(sfnMock).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  test('the stall composite starts the stalled-gpu workflow where it is deployed', async () => {
    const STALLED_GPU = 'arn:aws:states:eu-west-1:123456789012:stateMachine:stalled-gpu';
    const withStall = makeRouterHandler({
      config: { ...config, workflowArns: { escalation: ESCALATION, 'stalled-gpu': STALLED_GPU } },
      sfn,
      logger: new Logger({ logLevel: 'SILENT' }),
      now: () => new Date('2026-11-23T10:00:00Z'),
    });
    await expect(withStall(eventFixture('eventbridge-composite-alarm'))).resolves.toMatchObject({
      status: 'started',
      workflow: 'stalled-gpu',
    });
    expect(sfnMock).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: STALLED_GPU,
      name: expect.stringMatching(/^AI_Service_Stalled-ALARM-/),
    });
  });

  test("the watchdog's heartbeat is answered and logged as such, starting nothing", async () => {
    await expect(router({ schedule: 'heartbeat' })).resolves.toEqual({ status: 'heartbeat' });
    expect(sfnMock).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  test('malformed input is ignored with its reason and starts nothing', async () => {
    await expect(router({ hello: 'world' })).resolves.toMatchObject({
      status: 'ignored',
      reason: expect.stringMatching(/unrecognised event/),
    });
    expect(sfnMock).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  test('an AWS failure other than a duplicate is thrown, so the delivery is retried', async () => {
    sfnMock
      .on(StartExecutionCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(router(eventFixture('eventbridge-metric-alarm'))).rejects.toThrow('Rate exceeded');
  });

  test.each(allEventFixtures())('fixture %s is handled without throwing', async (name) => {
    await expect(router(eventFixture(name))).resolves.toHaveProperty('status');
  });

  test('no JSON value makes the router throw', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const result = await router(value);
        return ['started', 'duplicate', 'ignored'].includes(result.status);
      }),
      { numRuns: 500 },
    );
  });
});
