import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { CHANNEL_IDS, type ChannelId, type PlatformConfig } from '../config';
import { createPlatformKey } from '../constructs/platform-key';

export interface ControlPlaneStackProps extends StackProps {
  readonly config: PlatformConfig;
}

/** Attribute names of the state table, shared by the stacks, the handlers and the simulator. */
export const STATE_TABLE_KEYS = { partition: 'pk', sort: 'sk', ttl: 'expiresAt' } as const;

/**
 * The control plane's own resources: the state table (ledger, locks, incidents, maintenance
 * windows, pauses) and one SNS topic per notification channel. The workflows, their functions and
 * their triggers are added to this stack by their own constructs (ControlPlaneFunction, Workflow).
 */
export class ControlPlaneStack extends Stack {
  readonly key: kms.Key;
  readonly stateTable: dynamodb.TableV2;
  readonly channelTopics: Readonly<Record<ChannelId, sns.Topic>>;

  constructor(scope: Construct, id: string, props: ControlPlaneStackProps) {
    super(scope, id, props);
    const { env } = props.config;

    this.key = createPlatformKey(this, 'ControlPlaneKey', {
      description: `Encrypts the ${env.name} control plane: state table, channel topics and logs`,
      forLogs: true,
      // Alarm actions, EventBridge rules and budget alerts publish straight to the channel topics.
      publishingServices: ['cloudwatch.amazonaws.com', 'events.amazonaws.com', 'budgets.amazonaws.com'],
    });

    this.stateTable = new dynamodb.TableV2(this, 'StateTable', {
      partitionKey: { name: STATE_TABLE_KEYS.partition, type: dynamodb.AttributeType.STRING },
      sortKey: { name: STATE_TABLE_KEYS.sort, type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(this.key),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: STATE_TABLE_KEYS.ttl,
      deletionProtection: env.name === 'prod',
      removalPolicy: env.name === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    const topics = {} as Record<ChannelId, sns.Topic>;
    for (const channel of CHANNEL_IDS) {
      topics[channel] = new sns.Topic(this, `Channel-${channel}`, {
        displayName: `InfluenceGen ${env.name} ${channel}`,
        masterKey: this.key,
        enforceSSL: true,
      });
    }
    this.channelTopics = topics;
  }
}
