import { Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import type { Construct } from 'constructs';
import type { PlatformConfig } from '../config';
import { createAccessLogBucket } from '../constructs/access-log-bucket';
import { createPlatformKey } from '../constructs/platform-key';
import { FluxGpuFleet } from '../constructs/workloads/flux-gpu-fleet';
import { GenerationQueue } from '../constructs/workloads/generation-queue';
import { N8nService } from '../constructs/workloads/n8n-service';
import { OdooService } from '../constructs/workloads/odoo-service';
import { filestoreBucketName, type DataStack } from './data-stack';

export interface WorkloadsStackProps extends StackProps {
  readonly config: PlatformConfig;
  readonly vpc: ec2.IVpc;
  readonly data: DataStack;
}

/**
 * The ECS cluster (Container Insights) and the three workloads on it: Odoo and n8n on Fargate,
 * Flux serving on GPU EC2 capacity, with the generation queue between n8n and Flux.
 */
export class WorkloadsStack extends Stack {
  readonly key: kms.Key;
  readonly cluster: ecs.Cluster;
  readonly odoo: OdooService;
  readonly n8n: N8nService;
  readonly flux: FluxGpuFleet;
  readonly generation: GenerationQueue;

  constructor(scope: Construct, id: string, props: WorkloadsStackProps) {
    super(scope, id, props);
    const { config, vpc, data } = props;

    this.key = createPlatformKey(this, 'WorkloadsKey', {
      description: `Encrypts ${config.env.name} workload logs, the generation queue and workload secrets`,
      forLogs: true,
    });

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc,
      containerInsightsV2: ecs.ContainerInsights.ENHANCED,
    });
    const namespace = new servicediscovery.PrivateDnsNamespace(this, 'Namespace', {
      name: `${config.env.name}.influencegen.internal`,
      vpc,
      description: 'Service discovery between the InfluenceGen workloads',
    });

    // Data-stack resources are used through references: a grant on the real key, bucket or secret
    // would write this stack's role ARNs into the data stack's policies and make the stacks cyclic.
    // Grants on references land in this stack's role policies instead.
    const dataKey = kms.Key.fromKeyArn(this, 'DataKeyRef', data.key.keyArn);
    const databaseSecret = secretsmanager.Secret.fromSecretAttributes(this, 'DatabaseSecretRef', {
      secretCompleteArn: data.databaseSecret.secretArn,
      encryptionKey: dataKey,
    });
    // Immutable: ingress rules the ALB or n8n would add to it stay out of the data stack.
    const databaseClients = ec2.SecurityGroup.fromSecurityGroupId(
      this,
      'DatabaseClientsRef',
      data.databaseClients.securityGroupId,
      { mutable: false },
    );
    const filestore = s3.Bucket.fromBucketAttributes(this, 'FilestoreRef', {
      bucketName: filestoreBucketName(config.env.name),
      encryptionKey: dataKey,
    });

    this.generation = new GenerationQueue(this, 'Generation', { key: this.key });

    this.n8n = new N8nService(this, 'N8n', {
      config,
      cluster: this.cluster,
      vpc,
      namespace,
      key: this.key,
      database: data.database,
      databaseClients,
      databaseSecret,
      generationQueue: this.generation.queue,
    });

    this.odoo = new OdooService(this, 'Odoo', {
      config,
      cluster: this.cluster,
      vpc,
      logKey: this.key,
      database: data.database,
      databaseClients,
      databaseSecret,
      filestore,
      accessLogs: createAccessLogBucket(this, 'AccessLogs'),
      n8nUrl: this.n8n.url,
    });
    this.n8n.allowFrom(this.odoo.serviceSecurityGroup, 'Odoo calls n8n workflows');

    this.flux = new FluxGpuFleet(this, 'Flux', {
      config,
      cluster: this.cluster,
      vpc,
      key: this.key,
      repository: data.fluxRepository,
      generationQueue: this.generation.queue,
      filestore,
    });
    this.n8n.allowFrom(this.flux.service, 'Flux workers post generation callbacks');
  }
}
