import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler as routerHandler } from '../../lambdas/alarm-router';
import {
  executionNameOf,
  invocationKeys,
  lazyHandler,
  workflowKeys,
  type LambdaContext,
} from '../../lambdas/aws/lazy-handler';
import { handler as stallCloseHandler, type StallCloseEvent } from '../../lambdas/stall-close';
import { loadConfig } from '../../lib/config';
import { stallSettings } from '../../lib/config/workflow-settings';

/**
 * The exported handlers, invoked as Lambda invokes them (event and context): every line the
 * function logs carries the invocation's context and the workflow keys its event names, and none
 * of an invocation's keys reaches the next.
 */

type Line = Record<string, unknown>;

/** The JSON lines the Logger writes to stdout while `run` runs. */
async function logged(run: () => Promise<unknown>): Promise<{ lines: Line[]; error?: unknown }> {
  const chunks: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  let error: unknown;
  try {
    await run();
  } catch (e) {
    error = e;
  } finally {
    write.mockRestore();
  }
  const lines = chunks
    .join('')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line)
    // Only the Logger's lines: EMF documents (metrics) have no `level`.
    .filter((l) => 'level' in l);
  return { lines, ...(error === undefined ? {} : { error }) };
}

const context = (requestId: string, functionName: string): LambdaContext => ({
  awsRequestId: requestId,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
  memoryLimitInMB: '256',
});

const MACHINE = 'arn:aws:states:eu-west-1:123456789012:execution:influencegen-prod-stalled-gpu';
const saved = { ...process.env };
beforeAll(() => {
  Object.assign(process.env, {
    // As Lambda sets it on an on-demand environment: the Logger counts cold starts only there.
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    ENVIRONMENT: 'prod',
    STATE_TABLE: 'state',
    RUNBOOK_BASE_URL: 'https://runbooks.example.com/',
    STALL_CONFIG: JSON.stringify({
      ...stallSettings(loadConfig({ envName: 'prod', region: 'eu-west-1' })),
      targets: { cluster: 'c', service: 's', capacityProvider: 'cp', queue: 'q' },
    }),
  });
  delete process.env.POWERTOOLS_DEV;
  delete process.env.POWERTOOLS_LOG_LEVEL;
});
afterAll(() => {
  process.env = { ...saved };
});

describe('the Lambda context and workflow keys on every log line (lazyHandler)', () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  beforeEach(() => dynamo.reset());
  afterAll(() => dynamo.restore());

  const closeEvent = (execution: string, incidentId: string | null): StallCloseEvent => ({
    outcome: 'held',
    executionId: `${MACHINE}:${execution}`,
    check: {
      status: 'stalled',
      checkedAt: '2026-11-23T10:00:00.000Z',
      queue: 'backlog',
      instances: [],
      stalled: [],
      summary: 'i-a stalled',
      trigger: 'alarm',
      dryRun: false,
    } as unknown as StallCloseEvent['check'],
    incidentId,
    restart: null,
    replace: null,
    reason: 'a maintenance window is open',
  });

  test('stall-close: request id, cold start, function and the execution and incident, then nothing of them leaks', async () => {
    dynamo.on(PutCommand).resolves({});

    const first = await logged(() =>
      stallCloseHandler(
        closeEvent('GPU_Stall-ALARM-1', 'INC-20261123T1000-a1b2c3'),
        context('req-1', 'influencegen-prod-stall-close'),
      ),
    );
    expect(first.error).toBeUndefined();
    expect(first.lines.map((l) => l.message)).toEqual(['recorded']);
    expect(first.lines[0]).toMatchObject({
      function_request_id: 'req-1',
      cold_start: true,
      function_name: 'influencegen-prod-stall-close',
      function_arn: 'arn:aws:lambda:eu-west-1:123456789012:function:influencegen-prod-stall-close',
      function_memory_size: '256',
      executionName: 'GPU_Stall-ALARM-1',
      incidentId: 'INC-20261123T1000-a1b2c3',
      outcome: 'held',
    });

    // The next invocation names no incident: the first one's must not appear on its lines.
    const second = await logged(() =>
      stallCloseHandler(
        closeEvent('GPU_Stall-ALARM-2', null),
        context('req-2', 'influencegen-prod-stall-close'),
      ),
    );
    expect(second.lines).toHaveLength(1);
    expect(second.lines[0]).toMatchObject({
      function_request_id: 'req-2',
      cold_start: false,
      executionName: 'GPU_Stall-ALARM-2',
    });
    expect(second.lines[0]).not.toHaveProperty('incidentId');
  });

  test('an invocation that fails leaves none of its keys to the next', async () => {
    dynamo.on(PutCommand).rejectsOnce(new Error('throttled')).resolves({});
    const failed = await logged(() =>
      stallCloseHandler(
        closeEvent('GPU_Stall-ALARM-3', 'INC-20261123T1100-d4e5f6'),
        context('req-3', 'influencegen-prod-stall-close'),
      ),
    );
    expect(failed.error).toEqual(new Error('throttled'));

    const next = await logged(() =>
      stallCloseHandler(
        closeEvent('GPU_Stall-ALARM-4', null),
        context('req-4', 'influencegen-prod-stall-close'),
      ),
    );
    expect(next.lines[0]).toMatchObject({ function_request_id: 'req-4', executionName: 'GPU_Stall-ALARM-4' });
    expect(next.lines[0]).not.toHaveProperty('incidentId');
  });

  test('the alarm router: the context, and no workflow keys where its event names none', async () => {
    process.env.WORKFLOW_ARNS = '{}';
    const { lines } = await logged(() =>
      routerHandler({ unexpected: 'shape' }, context('req-r', 'influencegen-prod-alarm-router')),
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      message: 'ignored',
      function_request_id: 'req-r',
      cold_start: true,
      function_name: 'influencegen-prod-alarm-router',
    });
    expect(lines[0]).not.toHaveProperty('executionName');
    expect(lines[0]).not.toHaveProperty('incidentId');
  });
});

describe('the keys an event names', () => {
  test('an execution ARN gives its name (standard and Express); any other id is its own name', () => {
    expect(executionNameOf(`${MACHINE}:GPU_Stall-ALARM-1`)).toBe('GPU_Stall-ALARM-1');
    expect(
      executionNameOf('arn:aws:states:eu-west-1:123456789012:express:influencegen-prod-x:run-1:0f1e2d3c'),
    ).toBe('run-1');
    expect(executionNameOf('exec-1')).toBe('exec-1');
  });

  test('top-level executionId, executionName and incidentId, each only where it is a sensible string', () => {
    expect(workflowKeys({ executionId: `${MACHINE}:x`, incidentId: 'INC-1', other: 1 })).toEqual({
      executionName: 'x',
      incidentId: 'INC-1',
    });
    expect(workflowKeys({ executionName: 'named', executionId: `${MACHINE}:x` })).toEqual({
      executionName: 'named',
    });
    expect(workflowKeys({ incidentId: null, executionId: 42 })).toEqual({});
    expect(workflowKeys({ incidentId: 'x'.repeat(10_000) })).toEqual({});
    expect(workflowKeys(undefined)).toEqual({});
    expect(workflowKeys('text')).toEqual({});
    expect(invocationKeys({ incidentId: '' })).toEqual({});
  });

  test('a key extractor that throws on a malformed event fails nothing: the handler decides', async () => {
    const logger = { addContext: jest.fn(), appendKeys: jest.fn(), resetKeys: jest.fn() };
    const handle = lazyHandler(
      () => ({ logger }),
      () => async (event: { decision: { incidentId: string } }) => event,
      (event) => ({ incidentId: event.decision.incidentId }),
    );
    await expect(handle({} as never)).resolves.toEqual({});
    expect(logger.appendKeys).toHaveBeenCalledWith({});
    expect(logger.addContext).not.toHaveBeenCalled();
    expect(logger.resetKeys).toHaveBeenCalledTimes(2);
  });
});
