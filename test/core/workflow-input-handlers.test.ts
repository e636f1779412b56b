import { Logger } from '@aws-lambda-powertools/logger';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { ALERT_CATALOGUE, INTERNAL_ALARM_CATALOGUE } from '../../lib/config/alerts';
import { loadConfig } from '../../lib/config';
import { scalingSettings } from '../../lib/config/workflow-settings';
import { stallSettings } from '../../lib/config/workflow-settings';
import { BackupStore } from '../../lambdas/aws/backup-store';
import type { BackupConfig } from '../../lambdas/aws/backup-config';
import { StateStore } from '../../lambdas/aws/state-store';
import { RecordingMetrics } from '../../lambdas/core/metrics-sink';
import { routeSignal } from '../../lambdas/core/routing/route';
import type { AlarmSignal } from '../../lambdas/core/signals/types';
import { makeBackupAssessHandler } from '../../lambdas/backup-assess';
import { makeRegisterHandler } from '../../lambdas/escalation-register';
import { makeObserveHandler } from '../../lambdas/scale-observe';
import { makeStallCheckHandler } from '../../lambdas/stall-check';

/**
 * The first handler of each workflow refuses a bad console input before any AWS call: the
 * execution fails with InvalidInput (never retried) and nothing was read or written.
 */

const NOW = new Date('2026-11-23T10:00:00.000Z');
const CONFIG = loadConfig({ envName: 'prod', region: 'eu-west-1' });
const CATALOGUE = { environment: 'prod', alerts: ALERT_CATALOGUE, internal: INTERNAL_ALARM_CATALOGUE };
const logger = new Logger({ logLevel: 'SILENT' });

const ecs = mockClient(ECSClient);
const cloudwatch = mockClient(CloudWatchClient);
const dynamo = mockClient(DynamoDBDocumentClient);
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));

beforeEach(() => {
  ecs.reset();
  cloudwatch.reset();
  dynamo.reset();
});

/** The control: a valid input does reach AWS, so the mocks would have seen a call. */
async function reachesAws(run: () => Promise<unknown>): Promise<void> {
  await run().catch(() => undefined);
  expect(ecs.calls().length + cloudwatch.calls().length + dynamo.calls().length).toBeGreaterThan(0);
}

function noAwsCall(): void {
  expect(ecs.calls()).toHaveLength(0);
  expect(cloudwatch.calls()).toHaveLength(0);
  expect(dynamo.calls()).toHaveLength(0);
}

/** The router's input for a catalogue alarm in ALARM. */
function routed(name: string): Record<string, unknown> {
  const signal: AlarmSignal = {
    type: 'alarm',
    alarmName: `influencegen-prod-${name}`,
    state: 'ALARM',
    stateChangeTime: NOW.toISOString(),
    reason: 'Threshold Crossed',
    alarmKind: 'metric',
    delivery: 'eventbridge',
  };
  const decision = routeSignal(signal, CATALOGUE);
  if (decision.action !== 'start') throw new Error(`${name} is not routed`);
  return decision.input as unknown as Record<string, unknown>;
}

/** The four ways a routed input goes wrong, for a workflow whose valid alert is `name`. */
function badRouted(name: string, otherKind: string | undefined): Array<[string, unknown, RegExp]> {
  const input = routed(name);
  const cases: Array<[string, unknown, RegExp]> = [
    [
      'a misspelt top-level field',
      { ...input, subjekt: 'x' },
      /^input\.subjekt: not a field of the router's input/,
    ],
    [
      'an unknown field in the alert',
      { ...input, alert: { ...(input.alert as object), severty: 'Low' } },
      /^input\.alert\.severty: not a field of input\.alert/,
    ],
    [
      'an unknown field in the signal',
      { ...input, signal: { ...(input.signal as object), alarm_name: 'x' } },
      /^input\.signal\.alarm_name: not a field of an alarm signal/,
    ],
    [
      'an alert not in the catalogue',
      { ...input, alert: { name: `${name}_Typo` } },
      /^input\.alert\.name: is not in the alert catalogue/,
    ],
  ];
  if (otherKind)
    cases.push([
      'an alert of another kind',
      { ...input, alert: { name: otherKind } },
      /^input\.alert\.name: must be an? \w+ alert/,
    ]);
  return cases;
}

describe('scale-decision: Observe', () => {
  const observe = makeObserveHandler({
    scaling: {
      ...scalingSettings(CONFIG),
      targets: {
        cluster: 'c',
        services: { odoo: 'odoo', n8n: 'n8n', 'flux-gpu': 'flux' },
        queue: 'q',
        loadBalancer: 'lb',
        targetGroup: 'tg',
        database: 'db',
      },
    },
    ecs: new ECSClient({ region: 'eu-west-1' }),
    cloudwatch: new CloudWatchClient({ region: 'eu-west-1' }),
    logger,
    now: () => NOW,
  });

  test.each([
    ...badRouted('Scale_odoo_cpu_high', 'Odoo_Server_High_CPU'),
    [
      'a misspelt manual field',
      { component: 'odoo', desired: 4 },
      /^input\.desired: not a field of a scale-decision request \(component, to, reason, requestedBy\)$/,
    ],
  ])('%s fails naming the field, and nothing is read', async (_case, request, message) => {
    await expect(observe({ request })).rejects.toMatchObject({
      name: 'InvalidInput',
      message: expect.stringMatching(message),
    });
    noAwsCall();
  });

  test('the control: the routed input itself is read from ECS and CloudWatch', async () => {
    await reachesAws(() => observe({ request: routed('Scale_odoo_cpu_high') }));
  });
});

describe('stalled-gpu: Confirm', () => {
  const check = makeStallCheckHandler({
    stall: {
      ...stallSettings(CONFIG),
      targets: { cluster: 'c', service: 'flux', capacityProvider: 'cp', queue: 'q' },
    },
    ecs: new ECSClient({ region: 'eu-west-1' }),
    cloudwatch: new CloudWatchClient({ region: 'eu-west-1' }),
    logger,
    now: () => NOW,
  });

  test.each([
    ...badRouted('AI_Service_Stalled', 'Scale_flux_gpu_cpu_high'),
    ['a misspelt console field', { dryrun: true }, /^input\.dryrun: not a field of a GPU check/],
  ])('%s fails naming the field, and nothing is read', async (_case, request, message) => {
    await expect(check({ phase: 'confirm', request })).rejects.toMatchObject({
      name: 'InvalidInput',
      message: expect.stringMatching(message),
    });
    noAwsCall();
  });

  test('the control: the routed input itself is read from ECS and CloudWatch', async () => {
    await reachesAws(() => check({ phase: 'confirm', request: routed('AI_Service_Stalled') }));
  });
});

describe('backup-verification: Plan', () => {
  const assess = makeBackupAssessHandler({
    // Plan reads only the resources before it validates the request.
    backup: {
      resources: [{ id: 'database', arn: 'arn:aws:rds:eu-west-1:1:db:d' }],
    } as unknown as BackupConfig,
    store: new StateStore(doc, 'table'),
    backups: new BackupStore(doc, 'table'),
    logger,
    metrics: new RecordingMetrics(),
    now: () => NOW,
  });

  test.each([
    ...badRouted('Odoo_Backup_Failure', 'AI_Service_Stalled'),
    [
      'a misspelt console field',
      { resources: 'database' },
      /^input\.resources: not a field of a backup check/,
    ],
  ])('%s fails naming the field, and nothing is read', async (_case, request, message) => {
    await expect(assess({ phase: 'plan', request })).rejects.toMatchObject({
      name: 'InvalidInput',
      message: expect.stringMatching(message),
    });
    noAwsCall();
  });
});

describe('escalation: Register', () => {
  const register = makeRegisterHandler({
    config: {
      environment: 'prod',
      stateTable: 'table',
      channelTopics: {},
      runbookBaseUrl: 'https://runbooks.invalid/',
      workflowArns: {},
    },
    store: new StateStore(doc, 'table'),
    logger,
    metrics: new RecordingMetrics(),
    now: () => NOW,
  });

  test.each(badRouted('Odoo_Server_High_CPU', undefined))(
    '%s fails naming the field, and nothing is recorded',
    async (_case, input, message) => {
      await expect(register({ input, phase: 'register' })).rejects.toMatchObject({
        name: 'InvalidInput',
        message: expect.stringMatching(message),
      });
      noAwsCall();
    },
  );

  test('the control: the routed input itself is read from the state table', async () => {
    await reachesAws(() => register({ input: routed('Odoo_Server_High_CPU'), phase: 'register' }));
  });
});
