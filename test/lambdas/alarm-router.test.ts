import { SFNClient, StartExecutionCommand, ExecutionAlreadyExists } from '@aws-sdk/client-sfn';
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import fc from 'fast-check';
import { decide, makeRouterHandler } from '../../lambdas/alarm-router';
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
/** The fixtures are from 14-16 March 2025; the router refuses signals more than a day from its clock. */
const FIXTURE_DAY = new Date('2025-03-14T12:00:00Z');
const routerAt = (now: Date) =>
  makeRouterHandler({ config, sfn, logger: new Logger({ logLevel: 'SILENT' }), now: () => now });
const router = routerAt(FIXTURE_DAY);
const startedWith = () => {
  const calls = sfnMock.commandCalls(StartExecutionCommand);
  expect(calls).toHaveLength(1);
  const { stateMachineArn, name, input } = calls[0]?.args[0].input ?? {};
  return {
    stateMachineArn,
    name,
    input: JSON.parse(input ?? 'null') as Record<string, unknown>,
    raw: input ?? '',
  };
};

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
      now: () => FIXTURE_DAY,
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

  test('a failed escalation execution starts the escalation again for its alert, named after the failure', async () => {
    const event = eventFixture('step-functions-execution-failed');
    await expect(router(event)).resolves.toEqual({
      status: 'started',
      workflow: 'escalation',
      executionName: 'failed-Odoo_Server_High_CPU-ALARM-1741944461412',
    });
    // What started is exactly the route's decision (its content: test/core/route.test.ts).
    const decision = decide(event, 'prod', FIXTURE_DAY, { checkTime: true });
    if (decision.action !== 'start') throw new Error(decision.action);
    const { stateMachineArn, name, input } = startedWith();
    expect({ stateMachineArn, name, input }).toEqual({
      stateMachineArn: ESCALATION,
      name: decision.executionName,
      input: decision.input,
    });
    expect(decision.input).toMatchObject({
      alert: { name: 'Odoo_Server_High_CPU' },
      signal: { type: 'workflow' },
    });
  });

  test('the same failure delivered again starts nothing new', async () => {
    sfnMock
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    await expect(router(eventFixture('step-functions-execution-failed'))).resolves.toEqual({
      status: 'duplicate',
      workflow: 'escalation',
      executionName: 'failed-Odoo_Server_High_CPU-ALARM-1741944461412',
    });
  });

  test('a failure-recovery execution that fails starts nothing (the watcher alarm pages)', async () => {
    const event = eventFixture('step-functions-execution-failed');
    const detail = { ...(event.detail as object), name: 'failed-Odoo_Server_High_CPU-ALARM-1741944461412' };
    await expect(router({ ...event, detail })).resolves.toEqual({
      status: 'ignored',
      reason: expect.stringMatching(/a failure-recovery execution failed; the watcher alarm pages$/),
    });
    expect(sfnMock).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  test('an alarm more than a day old is ignored with the field and value named, starting nothing', async () => {
    await expect(
      routerAt(new Date('2026-11-23T10:00:00Z'))(eventFixture('eventbridge-metric-alarm')),
    ).resolves.toEqual({
      status: 'ignored',
      reason:
        'alarm signal: stateChangeTime "2025-03-14T09:27:41.412Z" is more than a day before now (2026-11-23T10:00:00.000Z)',
    });
    expect(sfnMock).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  test('an alarm dated year 9999 is ignored, starting nothing', async () => {
    const event = eventFixture('sns-metric-alarm') as { Records: Array<{ Sns: { Message: string } }> };
    const record = event.Records[0] as { Sns: { Message: string } };
    const message = { ...JSON.parse(record.Sns.Message), StateChangeTime: '9999-12-31T23:59:59.000+0000' };
    const forged = { Records: [{ ...record, Sns: { ...record.Sns, Message: JSON.stringify(message) } }] };
    await expect(router(forged)).resolves.toEqual({
      status: 'ignored',
      reason: expect.stringMatching(
        /^alarm signal: stateChangeTime "9999-12-31T23:59:59.000Z" is more than a day after now/,
      ),
    });
    expect(sfnMock).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  test('a 1 MiB alarm reason still starts the escalation, with the reason cut and marked, under the input budget', async () => {
    const event = eventFixture('eventbridge-metric-alarm');
    const detail = event.detail as { state: Record<string, unknown> };
    const reason = 'r'.repeat(1024 * 1024);
    await expect(
      router({ ...event, detail: { ...detail, state: { ...detail.state, reason } } }),
    ).resolves.toMatchObject({ status: 'started', workflow: 'escalation' });
    const { input, raw } = startedWith();
    expect(new TextEncoder().encode(raw).length).toBeLessThanOrEqual(32 * 1024);
    expect((input.signal as { reason: string }).reason).toMatch(/^r+…\[truncated \d+ bytes\]$/);
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
