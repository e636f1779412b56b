import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { loadConfig, type ChannelId, type PlatformConfig } from '../../lib/config';
import type { EnvironmentName } from '../../lib/config/constants';
import { ScaleDecisionWorkflow } from '../../lib/constructs/control-plane/scale-decision-workflow';
import { testApp } from './synth';

const ARN = 'arn:aws:ecs:eu-west-1:123456789012';

/** The scale-decision workflow alone on a small stack, with its off-peak schedule added. */
function offPeakTemplate(envName: EnvironmentName, config?: PlatformConfig): Template {
  const stack = new Stack(testApp(), 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const table = new dynamodb.TableV2(stack, 'Table', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  });
  const cluster = ecs.Cluster.fromClusterArn(stack, 'Cluster', `${ARN}:cluster/influencegen`);
  const service = (name: string) =>
    ecs.FargateService.fromServiceArnWithCluster(stack, name, `${ARN}:service/influencegen/${name}`);
  const workflow = new ScaleDecisionWorkflow(stack, 'Scale', {
    runtime: {
      environment: envName,
      table,
      topics: {} as Record<ChannelId, sns.Topic>,
      key,
      logRetentionDays: 30,
      runbookBaseUrl: 'https://runbooks.example.com',
    },
    config: config ?? loadConfig({ envName, region: 'eu-west-1' }),
    escalation: sfn.StateMachine.fromStateMachineArn(
      stack,
      'Escalation',
      'arn:aws:states:eu-west-1:123456789012:stateMachine:escalation',
    ),
    cluster,
    services: { odoo: service('odoo'), n8n: service('n8n'), 'flux-gpu': service('flux') },
    queueName: 'generation',
    loadBalancerFullName: 'app/odoo/1',
    targetGroupFullName: 'targetgroup/odoo/1',
    databaseIdentifier: 'db',
  });
  const deadLetters = new sqs.Queue(stack, 'DeadLetters', { encryptionMasterKey: key });
  workflow.scheduleOffPeak(deadLetters);
  return Template.fromStack(stack);
}

interface ScheduleProps {
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  Target: { Arn: unknown; Input: string; RetryPolicy: unknown; DeadLetterConfig: unknown };
}
const schedules = (template: Template) =>
  Object.values(template.findResources('AWS::Scheduler::Schedule')).map(
    (r) => (r as { Properties: ScheduleProps }).Properties,
  );

describe('off-peak schedule (scale-decision workflow)', () => {
  test('prod: each component is started at its window start and end, in the window time zone', () => {
    const found = schedules(offPeakTemplate('prod')).map((s) => ({
      cron: s.ScheduleExpression,
      timezone: s.ScheduleExpressionTimezone,
      input: JSON.parse(s.Target.Input) as unknown,
    }));
    // Odoo 00:00-06:00 UTC (seed 002), n8n and the GPUs 02:00-06:00 UTC (seed 001).
    const windows = [
      ['odoo', 0],
      ['n8n', 2],
      ['flux-gpu', 2],
    ] as const;
    expect(found).toEqual(
      expect.arrayContaining(
        windows.flatMap(([component, startHour]) => [
          {
            cron: `cron(0 ${startHour} * * ? *)`,
            timezone: 'UTC',
            input: { component, scheduled: 'off-peak-start' },
          },
          { cron: 'cron(0 6 * * ? *)', timezone: 'UTC', input: { component, scheduled: 'off-peak-end' } },
        ]),
      ),
    );
    expect(found).toHaveLength(6);
  });

  test('each schedule starts the scale-decision state machine, retries, and dead-letters what it cannot deliver', () => {
    const template = offPeakTemplate('prod');
    const machine = Object.keys(template.findResources('AWS::StepFunctions::StateMachine'))[0];
    const queue = Object.keys(template.findResources('AWS::SQS::Queue'))[0];
    for (const s of schedules(template)) {
      expect(s.Target.Arn).toEqual({ Ref: machine });
      expect(s.Target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 1800, MaximumRetryAttempts: 3 });
      expect(s.Target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [queue, 'Arn'] } });
    }
    // The schedules' role may start the workflow and write dead letters, nothing else.
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('states:StartExecution');
    expect(policies).toContain('sqs:SendMessage');
  });

  test('staging runs the same windows; dev, where automatic scaling is off, gets no schedule', () => {
    expect(schedules(offPeakTemplate('staging'))).toHaveLength(6);
    expect(schedules(offPeakTemplate('dev'))).toEqual([]);
  });

  test("a window in a country's own zone is scheduled in that zone; a disabled component gets none", () => {
    const config = loadConfig({ envName: 'prod', region: 'eu-west-1' });
    const local: PlatformConfig = {
      ...config,
      components: {
        ...config.components,
        odoo: {
          ...config.components.odoo,
          offPeak: { ...config.components.odoo.offPeak, timezone: 'Africa/Nairobi' },
        },
        n8n: { ...config.components.n8n, offPeak: { ...config.components.n8n.offPeak, enabled: false } },
      },
    };
    const found = schedules(offPeakTemplate('prod', local));
    expect(found).toHaveLength(4);
    const odoo = found.filter((s) => s.Target.Input.includes('"odoo"'));
    expect(odoo.map((s) => s.ScheduleExpressionTimezone)).toEqual(['Africa/Nairobi', 'Africa/Nairobi']);
    expect(found.some((s) => s.Target.Input.includes('"n8n"'))).toBe(false);
  });
});
