import { Match } from 'aws-cdk-lib/assertions';
import { CHANNEL_IDS } from '../../lib/config';
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
  test('one encrypted topic per channel of seed 004, security channels included', () => {
    const topics = Object.values(resourcesOf(synthPlatform('prod').controlPlane, 'AWS::SNS::Topic'));
    expect(topics.map((t) => t.Properties?.DisplayName).sort()).toEqual(
      CHANNEL_IDS.map((c) => `InfluenceGen prod ${c}`).sort(),
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
