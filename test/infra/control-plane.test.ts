import { Match } from 'aws-cdk-lib/assertions';
import { CHANNEL_IDS } from '../../lib/config';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { ENVIRONMENT_NAMES } from '../../lib/config/constants';
import { STAKEHOLDER_LISTS } from '../../lib/config/major-incident-lists';
import { resourcesOf, synthPlatform } from './synth';

describe('ControlPlaneStack: state table', () => {
  test('is on-demand, KMS-encrypted, point-in-time recoverable, with TTL on expiresAt', () => {
    synthPlatform('prod').controlPlane.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      Replicas: [
        Match.objectLike({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        }),
      ],
    });
  });

  test('is kept when the production stack is deleted', () => {
    synthPlatform('prod').controlPlane.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
    });
  });
});

describe('ControlPlaneStack: channel topics', () => {
  test('one encrypted topic per channel of seed 004, security channels included, and one per stakeholder list', () => {
    const topics = Object.values(resourcesOf(synthPlatform('prod').controlPlane, 'AWS::SNS::Topic'));
    expect(topics.map((t) => t.Properties?.DisplayName).sort()).toEqual(
      [
        ...CHANNEL_IDS.map((c) => `InfluenceGen prod ${c}`),
        ...STAKEHOLDER_LISTS.map((l) => `InfluenceGen prod major incident: ${l}`),
      ].sort(),
    );
    for (const topic of topics) expect(topic.Properties?.KmsMasterKeyId).toBeDefined();
  });

  test('CloudWatch alarms, EventBridge and Budgets may publish to the encrypted topics', () => {
    const [key] = Object.values(resourcesOf(synthPlatform('prod').controlPlane, 'AWS::KMS::Key'));
    const principals = JSON.stringify(key?.Properties?.KeyPolicy);
    for (const service of ['cloudwatch.amazonaws.com', 'events.amazonaws.com', 'budgets.amazonaws.com']) {
      expect(principals).toContain(service);
    }
  });
});

describe('stack set', () => {
  test('one stack set per environment, named after it, control plane deployed after the workloads', () => {
    const { platform } = synthPlatform('staging');
    expect(
      [platform.network, platform.data, platform.workloads, platform.controlPlane].map((s) => s.stackName),
    ).toEqual([
      'InfluenceGen-staging-Network',
      'InfluenceGen-staging-Data',
      'InfluenceGen-staging-Workloads',
      'InfluenceGen-staging-ControlPlane',
    ]);
    expect(platform.controlPlane.dependencies).toContain(platform.workloads);
  });
});

describe('ControlPlaneStack: issue 19 parts wired', () => {
  test('each health-probe agent that falls silent for 10 minutes reaches the channels with its runbook', () => {
    const t = synthPlatform('prod').controlPlane;
    for (const n of [1, 2, 3])
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `watch-influencegen-prod-health-probe-agent-${n}-silent`,
        MetricName: 'ProbeSuccess',
        Statistic: 'SampleCount',
        TreatMissingData: 'breaching',
        AlarmDescription: Match.stringLikeRegexp('Runbook: .*odoo_cluster_node_unhealthy\\.md#silent-agent$'),
      });
  });

  test('the major-incident workflow is deployed with its topics and functions (prod)', () => {
    const t = synthPlatform('prod').controlPlane;
    t.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'influencegen-prod-major-incident',
      DefinitionSubstitutions: Match.objectLike({
        CrisisManagementTeamTopicArn: Match.anyValue(),
        ExecutiveLeadershipTopicArn: Match.anyValue(),
        AllEmployeesTopicArn: Match.anyValue(),
        RecordFunctionArn: Match.anyValue(),
        PagerDutyFunctionArn: Match.anyValue(),
      }),
    });
    t.hasOutput('*', { Description: Match.stringLikeRegexp('^Attach to the Incident Commander') });
  });

  test('staging deploys the major-incident workflow with no stakeholder subscriptions', () => {
    const subs = Object.values(resourcesOf(synthPlatform('staging').controlPlane, 'AWS::SNS::Subscription'));
    expect(subs.filter((s) => JSON.stringify(s.Properties?.TopicArn).includes('MajorIncident'))).toEqual([]);
  });

  test.each(ENVIRONMENT_NAMES)('%s: the predictive disk alert is deployed, fed hourly and watched', (env) => {
    const t = synthPlatform(env).controlPlane;
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `influencegen-${env}-Odoo_Server_Disk_Space_Free_Predictive`,
      Namespace: 'InfluenceGen/Forecast',
      MetricName: 'DisksPredictedFull',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      TreatMissingData: 'ignore',
    });
    t.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      Description: Match.stringLikeRegexp('^Predictive disk alert'),
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `watch-influencegen-${env}-DiskForecast-disk-forecast-errors`,
    });
    const fn = Object.values(resourcesOf(t, 'AWS::Lambda::Function')).find((f) =>
      JSON.stringify(f.Properties?.Environment ?? {}).includes('DISK_FORECAST_CONFIG'),
    );
    expect(JSON.stringify(fn?.Properties?.Environment)).toContain(
      `\\"ceilingGiB\\":${ENVIRONMENTS[env].database.maxAllocatedStorageGiB}`,
    );
  });
});
