import * as fs from 'node:fs';
import * as path from 'node:path';
import { STATE_MACHINES_DIR } from '../../lib/constructs/workflow';

/**
 * The invariant: every Task retries AWS's transient failures, with exponential backoff, full jitter
 * and a cap on the delay, and never retries the business errors its Catch handles.
 */

interface Retrier {
  readonly ErrorEquals: string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: string;
}

interface State {
  readonly Type: string;
  readonly Resource?: string;
  readonly TimeoutSeconds?: number;
  readonly TimeoutSecondsPath?: string;
  readonly Retry?: Retrier[];
  readonly Catch?: Array<{ ErrorEquals: string[]; Next: string }>;
  readonly ItemProcessor?: { States: Record<string, State> };
  readonly Iterator?: { States: Record<string, State> };
  readonly Branches?: Array<{ States: Record<string, State> }>;
}

/** What a Lambda invocation can fail with that is not the function's answer (Sandbox.Timedout: its timeout). */
const LAMBDA_TRANSIENT = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.Unknown',
  'Sandbox.Timedout',
];

/**
 * Each integration's throttling and internal errors, named as Step Functions names them (and as the
 * definitions already did). An integration missing here fails the test: add its errors first.
 */
const SERVICE_TRANSIENT: Record<string, string[]> = {
  'aws-sdk:backup': ['Backup.ThrottlingException', 'Backup.ServiceUnavailableException'],
  'aws-sdk:rds': ['Rds.ThrottlingException'],
  'aws-sdk:efs': ['Efs.ThrottlingException', 'Efs.InternalServerErrorException'],
  'aws-sdk:ecs': ['Ecs.ThrottlingException', 'Ecs.ServerException'],
  'aws-sdk:autoscaling': ['AutoScaling.ThrottlingException', 'AutoScaling.ResourceContentionException'],
  'aws-sdk:lambda': ['Lambda.ServiceException', 'Lambda.TooManyRequestsException'],
  'aws-sdk:sfn': ['Sfn.ThrottlingException', 'Sfn.InternalServerException'],
  'aws-sdk:cloudwatch': ['CloudWatch.ThrottlingException', 'CloudWatch.InternalServiceException'],
  sns: ['SNS.ThrottledException', 'SNS.InternalErrorException'],
  dynamodb: [
    'DynamoDB.ThrottlingException',
    'DynamoDB.ProvisionedThroughputExceededException',
    'DynamoDB.RequestLimitExceeded',
    'DynamoDB.InternalServerErrorException',
  ],
  states: ['StepFunctions.StepFunctionsException', 'StepFunctions.SdkClientException'],
};

/** Every Task below `states`, Map item processors and Parallel branches included, by path. */
function tasks(states: Record<string, State>, prefix = ''): Array<[string, State]> {
  return Object.entries(states).flatMap(([name, state]): Array<[string, State]> => {
    const here = `${prefix}${name}`;
    const nested = [
      ...(state.ItemProcessor ? tasks(state.ItemProcessor.States, `${here}/`) : []),
      ...(state.Iterator ? tasks(state.Iterator.States, `${here}/`) : []),
      ...(state.Branches ?? []).flatMap((b, i) => tasks(b.States, `${here}[${i}]/`)),
    ];
    return state.Type === 'Task' ? [[here, state], ...nested] : nested;
  });
}

/** The retrier Step Functions applies to `error`: the first whose ErrorEquals matches it. */
function retrierFor(state: State, error: string): Retrier | undefined {
  return (state.Retry ?? []).find((r) =>
    r.ErrorEquals.some(
      (e) => e === error || e === 'States.ALL' || (e === 'States.TaskFailed' && error !== 'States.Timeout'),
    ),
  );
}

const retried = (r: Retrier | undefined): boolean => r !== undefined && (r.MaxAttempts ?? 3) > 0;

/**
 * Tasks whose timeout is their answer, by `<file>/<state>`: the health probe before a page (a
 * service that does not answer the probe in time is unhealthy, and each retry would hold the page
 * another Task timeout). Their timeouts go to the Catch at once; every other transient error is
 * still retried.
 */
const TIMEOUT_IS_THE_ANSWER = new Set(['escalation.asl.json/ProbeService']);
const TIMEOUTS = ['Sandbox.Timedout', 'States.Timeout'];

/** The transient errors a Task must retry, or a problem when its integration is unknown. */
function transientErrors(state: State, where = ''): string[] | string {
  const resource = state.Resource ?? '';
  const timesOut = state.TimeoutSeconds !== undefined || state.TimeoutSecondsPath !== undefined;
  if (resource === 'arn:aws:states:::lambda:invoke') {
    const errors = timesOut ? [...LAMBDA_TRANSIENT, 'States.Timeout'] : LAMBDA_TRANSIENT;
    return TIMEOUT_IS_THE_ANSWER.has(where) ? errors.filter((e) => !TIMEOUTS.includes(e)) : errors;
  }
  // Waiting for a task token, a timeout is the business outcome, not a failure to retry.
  if (resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken') return LAMBDA_TRANSIENT;
  const integration = /^arn:aws:states:::(aws-sdk:[a-z0-9]+|[a-z0-9]+):/.exec(resource)?.[1];
  const errors = integration ? SERVICE_TRANSIENT[integration] : undefined;
  if (!errors) return `no transient errors are known for ${resource}: add them to SERVICE_TRANSIENT`;
  return timesOut ? [...errors, 'States.Timeout'] : errors;
}

/** Every way `state` breaks the invariant. */
function retryProblems(state: State, where = ''): string[] {
  const problems: string[] = [];
  const required = transientErrors(state, where);
  if (typeof required === 'string') return [required];
  if (TIMEOUT_IS_THE_ANSWER.has(where))
    for (const timeout of TIMEOUTS)
      if (retried(retrierFor(state, timeout))) problems.push(`${timeout} is its answer, yet retried`);
  for (const error of required) {
    const r = retrierFor(state, error);
    if (!retried(r)) {
      problems.push(`${error} is not retried`);
      continue;
    }
    const why = [
      (r?.MaxAttempts ?? 3) >= 3 ? '' : 'MaxAttempts < 3',
      (r?.BackoffRate ?? 2) >= 2 ? '' : 'BackoffRate < 2',
      r?.JitterStrategy === 'FULL' ? '' : 'no JitterStrategy FULL',
      typeof r?.MaxDelaySeconds === 'number' && r.MaxDelaySeconds > 0 ? '' : 'no MaxDelaySeconds cap',
    ].filter(Boolean);
    if (why.length > 0) problems.push(`${error} is retried with ${why.join(', ')}`);
  }
  if (state.Resource?.endsWith('.waitForTaskToken') && retried(retrierFor(state, 'States.Timeout'))) {
    problems.push('States.Timeout of a task-token wait is retried');
  }
  // The errors the Catch handles as outcomes must reach it on the first failure.
  for (const catcher of state.Catch ?? []) {
    for (const error of catcher.ErrorEquals) {
      if (error.startsWith('States.') || required.includes(error)) continue;
      if (retried(retrierFor(state, error))) problems.push(`${error}, which Catch handles, is retried`);
    }
  }
  const retry = state.Retry ?? [];
  retry.forEach((r, i) => {
    if (r.ErrorEquals.includes('States.ALL') && (r.ErrorEquals.length > 1 || i !== retry.length - 1)) {
      problems.push('States.ALL must be alone in the last retrier');
    }
  });
  return problems;
}

const files = fs
  .readdirSync(STATE_MACHINES_DIR)
  .filter((f) => f.endsWith('.asl.json'))
  .sort();

describe('every Task retries transient AWS failures and no business error', () => {
  test('there are definitions to check', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  test.each(files)('%s', (file) => {
    const definition = JSON.parse(fs.readFileSync(path.join(STATE_MACHINES_DIR, file), 'utf8')) as {
      States: Record<string, State>;
    };
    const found = tasks(definition.States);
    expect(found.length).toBeGreaterThan(0);
    const problems: Record<string, string[]> = {};
    for (const [name, state] of found) {
      const p = retryProblems(state, `${file}/${name}`);
      if (p.length > 0) problems[name] = p;
    }
    expect(problems).toEqual({});
  });
});

describe('the retry check (it is live)', () => {
  const lambdaRetrier: Retrier = {
    ErrorEquals: LAMBDA_TRANSIENT,
    IntervalSeconds: 2,
    MaxAttempts: 4,
    BackoffRate: 2,
    MaxDelaySeconds: 30,
    JitterStrategy: 'FULL',
  };
  const invoke = (over: Partial<State> = {}): State => ({
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Retry: [lambdaRetrier],
    ...over,
  });

  test('the house Lambda retrier passes', () => {
    expect(retryProblems(invoke())).toEqual([]);
  });

  test('a missing transient error, jitter or cap is reported', () => {
    expect(
      retryProblems(
        invoke({
          Retry: [
            { ...lambdaRetrier, ErrorEquals: LAMBDA_TRANSIENT.filter((e) => e !== 'Sandbox.Timedout') },
          ],
        }),
      ),
    ).toEqual(['Sandbox.Timedout is not retried']);
    const uncapped: Retrier = {
      ErrorEquals: LAMBDA_TRANSIENT,
      IntervalSeconds: 2,
      MaxAttempts: 4,
      BackoffRate: 1.5,
    };
    expect(retryProblems(invoke({ Retry: [uncapped] }))).toContain(
      'Lambda.Unknown is retried with BackoffRate < 2, no JitterStrategy FULL, no MaxDelaySeconds cap',
    );
  });

  test('a Task with a timeout must retry States.Timeout, unless it waits for a task token', () => {
    expect(retryProblems(invoke({ TimeoutSeconds: 60 }))).toEqual(['States.Timeout is not retried']);
    expect(
      retryProblems(
        invoke({
          TimeoutSeconds: 60,
          Retry: [{ ...lambdaRetrier, ErrorEquals: [...LAMBDA_TRANSIENT, 'States.Timeout'] }],
        }),
      ),
    ).toEqual([]);
    const wait = invoke({
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      TimeoutSecondsPath: '$.t',
    });
    expect(retryProblems(wait)).toEqual([]);
    expect(retryProblems({ ...wait, Retry: [{ ...lambdaRetrier, ErrorEquals: ['States.ALL'] }] })).toContain(
      'States.Timeout of a task-token wait is retried',
    );
  });

  test('retrying a business error that Catch handles is reported; a MaxAttempts 0 retrier first is not', () => {
    const taskFailed: Retrier = { ...lambdaRetrier, ErrorEquals: ['States.TaskFailed'] };
    const catching = invoke({
      Retry: [taskFailed],
      Catch: [{ ErrorEquals: ['InvalidInput'], Next: 'Invalid' }],
    });
    expect(retryProblems(catching)).toEqual(['InvalidInput, which Catch handles, is retried']);
    expect(
      retryProblems({
        ...catching,
        Retry: [{ ErrorEquals: ['InvalidInput'], MaxAttempts: 0 }, taskFailed],
      }),
    ).toEqual([]);
  });

  test('States.ALL anywhere but alone in the last retrier is reported', () => {
    expect(
      retryProblems(invoke({ Retry: [{ ...lambdaRetrier, ErrorEquals: ['States.ALL'] }, lambdaRetrier] })),
    ).toEqual(['States.ALL must be alone in the last retrier']);
  });

  test('an integration without known transient errors is reported', () => {
    expect(retryProblems({ Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:getObject' })).toEqual([
      'no transient errors are known for arn:aws:states:::aws-sdk:s3:getObject: add them to SERVICE_TRANSIENT',
    ]);
  });
});
