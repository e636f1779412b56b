import * as z from 'zod/mini';
import { readRuntimeConfig } from '../../lambdas/aws/runtime-config';
import { acknowledgerArnProblem } from '../../lambdas/core/escalation/acknowledger';
import { CHANNEL_IDS, ENVIRONMENT_NAMES } from '../../lib/config/constants';
import { WORKFLOW_NAMES } from '../../lib/config/naming';

/**
 * readRuntimeConfig checks the environment by hand (issue 18: zod was 21 KiB of four bundles).
 * The zod/mini schema it replaced is the oracle: every environment below reads to the same
 * configuration both ways, or fails both ways naming the same variable, with the same message
 * where the schema had one of its own (zod/mini's are a bare "Invalid input"; the checks by hand
 * say what was expected and name a record's offending key).
 */
const Arn = z.string().check(z.startsWith('arn:', 'must be an ARN'));
const ZodSchema = z.object({
  ENVIRONMENT: z.enum(ENVIRONMENT_NAMES),
  STATE_TABLE: z.string().check(z.minLength(1)),
  CHANNEL_TOPICS: z.partialRecord(z.enum(CHANNEL_IDS), Arn),
  RUNBOOK_BASE_URL: z.url(),
  WORKFLOW_ARNS: z.partialRecord(z.enum(WORKFLOW_NAMES), Arn),
  ACKNOWLEDGERS: z.array(
    z
      .string()
      .check(z.refine((arn) => acknowledgerArnProblem(arn) === undefined, 'must be an IAM role or user ARN')),
  ),
});

function json(env: NodeJS.ProcessEnv, name: string, fallback: string): unknown {
  try {
    return JSON.parse(env[name] ?? fallback) as unknown;
  } catch {
    throw new Error(`Invalid function configuration: ${name}: must be JSON`);
  }
}

function readWithZod(env: NodeJS.ProcessEnv) {
  const parsed = ZodSchema.safeParse({
    ...env,
    CHANNEL_TOPICS: json(env, 'CHANNEL_TOPICS', '{}'),
    WORKFLOW_ARNS: json(env, 'WORKFLOW_ARNS', '{}'),
    ACKNOWLEDGERS: json(env, 'ACKNOWLEDGERS', '[]'),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `Invalid function configuration: ${issue?.path.map(String).join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const c = parsed.data;
  return {
    environment: c.ENVIRONMENT,
    stateTable: c.STATE_TABLE,
    channelTopics: c.CHANNEL_TOPICS,
    runbookBaseUrl: c.RUNBOOK_BASE_URL,
    workflowArns: c.WORKFLOW_ARNS,
    acknowledgers: c.ACKNOWLEDGERS,
  };
}

/** The configuration read, or the variable the failure names and the schema's own message. */
const outcome = (read: () => unknown) => {
  try {
    return { config: read() };
  } catch (err) {
    const message = (err as Error).message;
    const variable = /^Invalid function configuration: ([A-Z_]+)[.:]/.exec(message)?.[1] ?? message;
    const own = /: (must be .*)$/.exec(message)?.[1];
    return { variable, ...(own ? { own } : {}) };
  }
};

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:influencegen-prod-email';
const WORKFLOW = 'arn:aws:states:eu-west-1:123456789012:stateMachine:influencegen-prod-escalation';
const ROLE = 'arn:aws:iam::123456789012:role/influencegen-prod-oncall';
const BASE = {
  ENVIRONMENT: 'prod',
  STATE_TABLE: 'influencegen-prod-state',
  RUNBOOK_BASE_URL: 'https://github.com/example/influencegen/blob/main/',
  CHANNEL_TOPICS: JSON.stringify({ email: TOPIC, 'pagerduty-security': TOPIC }),
  WORKFLOW_ARNS: JSON.stringify({ escalation: WORKFLOW }),
  ACKNOWLEDGERS: JSON.stringify([ROLE]),
};

const CASES: Array<[string, NodeJS.ProcessEnv]> = [
  ['as the stack writes it', BASE],
  ['the JSON variables absent', { ENVIRONMENT: 'dev', STATE_TABLE: 't', RUNBOOK_BASE_URL: 'https://r/' }],
  ['other variables besides', { ...BASE, AWS_REGION: 'eu-west-1', POWERTOOLS_SERVICE_NAME: 'x' }],
  ['no environment', { ...BASE, ENVIRONMENT: undefined }],
  ['an unknown environment', { ...BASE, ENVIRONMENT: 'qa' }],
  ['no state table', { ...BASE, STATE_TABLE: undefined }],
  ['an empty state table', { ...BASE, STATE_TABLE: '' }],
  ['topics as an array', { ...BASE, CHANNEL_TOPICS: '[]' }],
  ['topics null', { ...BASE, CHANNEL_TOPICS: 'null' }],
  ['topics a string', { ...BASE, CHANNEL_TOPICS: '"x"' }],
  ['a topic of an unknown channel', { ...BASE, CHANNEL_TOPICS: JSON.stringify({ fax: TOPIC }) }],
  ['a topic that is no ARN', { ...BASE, CHANNEL_TOPICS: JSON.stringify({ email: 'topic' }) }],
  ['a topic that is a number', { ...BASE, CHANNEL_TOPICS: JSON.stringify({ sms: 7 }) }],
  ['topics not JSON', { ...BASE, CHANNEL_TOPICS: '{' }],
  ['no runbook URL', { ...BASE, RUNBOOK_BASE_URL: undefined }],
  ['a runbook URL that is no URL', { ...BASE, RUNBOOK_BASE_URL: 'runbooks/' }],
  ['a runbook URL with spaces around', { ...BASE, RUNBOOK_BASE_URL: '  https://r.example.com/x/  ' }],
  ['a runbook URL with a tab inside', { ...BASE, RUNBOOK_BASE_URL: 'https://r.exa\tmple.com/' }],
  ['a workflow unknown', { ...BASE, WORKFLOW_ARNS: JSON.stringify({ deploy: WORKFLOW }) }],
  ['a workflow ARN empty', { ...BASE, WORKFLOW_ARNS: JSON.stringify({ 'scale-decision': '' }) }],
  ['workflows a number', { ...BASE, WORKFLOW_ARNS: '3' }],
  ['acknowledgers an object', { ...BASE, ACKNOWLEDGERS: '{}' }],
  ['acknowledgers a string', { ...BASE, ACKNOWLEDGERS: JSON.stringify(ROLE) }],
  ['an acknowledger a number', { ...BASE, ACKNOWLEDGERS: '[1]' }],
  ['an acknowledger a group', { ...BASE, ACKNOWLEDGERS: JSON.stringify([ROLE, 'arn:aws:iam::1:group/x']) }],
  [
    'an acknowledger a wildcard',
    { ...BASE, ACKNOWLEDGERS: JSON.stringify(['arn:aws:iam::123456789012:role/*']) },
  ],
  ['no acknowledgers', { ...BASE, ACKNOWLEDGERS: '[]' }],
  ['everything wrong', { CHANNEL_TOPICS: '[]', WORKFLOW_ARNS: '1', ACKNOWLEDGERS: '{}' }],
  ['all but the environment wrong', { ENVIRONMENT: 'staging', ACKNOWLEDGERS: '[2]' }],
];

describe('the runtime configuration, read without zod, reads as the zod schema did', () => {
  test.each(CASES)('%s', (_, env) => {
    const expected = outcome(() => readWithZod(env));
    expect(outcome(() => readRuntimeConfig(env))).toEqual(expected);
  });

  test('a failure says what was expected, and which key of a record', () => {
    expect(() => readRuntimeConfig({ ...BASE, STATE_TABLE: '' })).toThrow(
      'Invalid function configuration: STATE_TABLE: Too small: expected string to have >=1 characters',
    );
    expect(() => readRuntimeConfig({ ...BASE, CHANNEL_TOPICS: JSON.stringify({ fax: TOPIC }) })).toThrow(
      'Invalid function configuration: CHANNEL_TOPICS.fax: Invalid key in record',
    );
    expect(() => readRuntimeConfig({ ...BASE, ACKNOWLEDGERS: '{}' })).toThrow(
      'Invalid function configuration: ACKNOWLEDGERS: Invalid input: expected array, received object',
    );
  });

  test('the stack-written configuration reads whole', () => {
    expect(readRuntimeConfig(BASE)).toEqual({
      environment: 'prod',
      stateTable: 'influencegen-prod-state',
      channelTopics: { email: TOPIC, 'pagerduty-security': TOPIC },
      runbookBaseUrl: 'https://github.com/example/influencegen/blob/main/',
      workflowArns: { escalation: WORKFLOW },
      acknowledgers: [ROLE],
    });
  });
});
