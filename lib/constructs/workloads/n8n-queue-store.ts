import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { PlatformConfig } from '../../config';
import { SUBNETS } from '../../config/network';
import { retentionDays } from '../retention';

export const QUEUE_STORE_PORT = 6379;

export interface N8nQueueStoreProps {
  readonly config: PlatformConfig;
  readonly vpc: ec2.IVpc;
  readonly key: kms.IKey;
}

/**
 * n8n's queue (Bull) in Amazon ElastiCache for Valkey: TLS required in transit, encrypted at rest
 * with the workloads key, AUTH with a generated token from Secrets Manager, in the private subnets,
 * reachable only by members of `clients` (n8n's main and worker tasks). Prod keeps a replica in
 * another AZ with automatic failover; a lost queue loses the jobs waiting in it, not the executions
 * n8n records in PostgreSQL.
 */
export class N8nQueueStore extends Construct {
  readonly replicationGroup: elasticache.CfnReplicationGroup;
  readonly authToken: secretsmanager.Secret;
  /** Attach to a task to let it reach the queue; no other source may. */
  readonly clients: ec2.SecurityGroup;
  readonly host: string;
  readonly port: string;

  constructor(scope: Construct, id: string, props: N8nQueueStoreProps) {
    super(scope, id);
    const { env } = props.config;
    const store = env.n8n.queueStore;

    this.authToken = new secretsmanager.Secret(this, 'AuthToken', {
      description: "AUTH token of n8n's queue store (ElastiCache Valkey)",
      encryptionKey: props.key,
      // ElastiCache accepts 16-128 printable characters without @, " or /: letters and digits only.
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(this.authToken).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'ElastiCache rotates an AUTH token only through ModifyReplicationGroup (ROTATE then SET) while every client reconnects; no managed rotation exists for it. Rotated by hand with the runbook.',
    });

    this.clients = new ec2.SecurityGroup(this, 'Clients', {
      vpc: props.vpc,
      description: 'Members may reach the n8n queue store',
    });
    const storeGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'n8n queue store: Valkey over TLS from the n8n tasks only',
      allowAllOutbound: false,
    });
    storeGroup.addIngressRule(this.clients, ec2.Port.tcp(QUEUE_STORE_PORT), "n8n's main and worker tasks");

    const subnets = new elasticache.CfnSubnetGroup(this, 'Subnets', {
      description: "n8n's queue store: the private subnets",
      subnetIds: props.vpc.selectSubnets({ subnetGroupName: SUBNETS.private }).subnetIds,
    });
    const slowLog = new logs.LogGroup(this, 'SlowLog', {
      retention: retentionDays(env.logRetentionDays),
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const replicated = store.replicas > 0;
    this.replicationGroup = new elasticache.CfnReplicationGroup(this, 'ReplicationGroup', {
      replicationGroupDescription: `n8n queue (Bull) of InfluenceGen ${env.name}`,
      engine: 'valkey',
      engineVersion: '8.0',
      cacheNodeType: store.nodeType,
      numNodeGroups: 1,
      replicasPerNodeGroup: store.replicas,
      automaticFailoverEnabled: replicated,
      multiAzEnabled: replicated,
      port: QUEUE_STORE_PORT,
      cacheSubnetGroupName: subnets.ref,
      securityGroupIds: [storeGroup.securityGroupId],
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      atRestEncryptionEnabled: true,
      kmsKeyId: props.key.keyArn,
      // A dynamic reference: CloudFormation reads the token from Secrets Manager at deploy.
      authToken: this.authToken.secretValue.unsafeUnwrap(),
      snapshotRetentionLimit: replicated ? 1 : 0,
      autoMinorVersionUpgrade: true,
      logDeliveryConfigurations: [
        {
          destinationType: 'cloudwatch-logs',
          logFormat: 'json',
          logType: 'slow-log',
          destinationDetails: { cloudWatchLogsDetails: { logGroup: slowLog.logGroupName } },
        },
      ],
    });
    Validations.of(this.replicationGroup).acknowledge({
      id: 'AwsSolutions-AEC5',
      reason:
        'A non-default port adds no protection: the store is in private subnets, TLS- and AUTH-protected, and only n8n tasks may reach it.',
    });
    if (!replicated) {
      Validations.of(this.replicationGroup).acknowledge({
        id: 'AwsSolutions-AEC4',
        reason: `${env.name} runs a single node and accepts losing the jobs waiting in the queue on a node failure; prod keeps a replica (n8n.queueStore.replicas).`,
      });
    }
    this.host = this.replicationGroup.attrPrimaryEndPointAddress;
    this.port = this.replicationGroup.attrPrimaryEndPointPort;
  }
}
