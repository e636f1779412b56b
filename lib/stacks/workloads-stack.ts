import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as efs from 'aws-cdk-lib/aws-efs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import type { Construct } from 'constructs';
import type { PlatformConfig } from '../config';
import { createAccessLogBucket } from '../constructs/access-log-bucket';
import { createPlatformKey } from '../constructs/platform-key';
import { CredentialRefresh } from '../constructs/workloads/credential-refresh';
import { EdgeFirewall } from '../constructs/workloads/edge-firewall';
import { FluxGpuFleet } from '../constructs/workloads/flux-gpu-fleet';
import { GenerationQueue } from '../constructs/workloads/generation-queue';
import { N8nService } from '../constructs/workloads/n8n-service';
import { OdooService } from '../constructs/workloads/odoo-service';
import { imagesBucketName, type DataStack } from './data-stack';

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
  /** n8n's target group on the Odoo ALB (its editor and webhooks). */
  readonly n8nTargetGroup: elbv2.ApplicationTargetGroup;
  readonly flux: FluxGpuFleet;
  readonly generation: GenerationQueue;
  readonly firewall: EdgeFirewall;

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
    // Each application logs in with its own role; the master secret is used by no workload.
    const appSecret = (app: 'odoo' | 'n8n') =>
      secretsmanager.Secret.fromSecretAttributes(
        this,
        `${app === 'odoo' ? 'Odoo' : 'N8n'}DatabaseSecretRef`,
        {
          secretCompleteArn: data.appSecrets[app].secretArn,
          encryptionKey: dataKey,
        },
      );
    const odooDatabaseSecret = appSecret('odoo');
    const n8nDatabaseSecret = appSecret('n8n');
    // Immutable: ingress rules the ALB or n8n would add to it stay out of the data stack.
    const databaseClients = ec2.SecurityGroup.fromSecurityGroupId(
      this,
      'DatabaseClientsRef',
      data.databaseClients.securityGroupId,
      { mutable: false },
    );
    const images = s3.Bucket.fromBucketAttributes(this, 'ImagesRef', {
      bucketName: imagesBucketName(config.env.name),
      encryptionKey: dataKey,
    });
    const filestoreClients = ec2.SecurityGroup.fromSecurityGroupId(
      this,
      'FilestoreClientsRef',
      data.filestoreClients.securityGroupId,
      { mutable: false },
    );
    const filestore = efs.FileSystem.fromFileSystemAttributes(this, 'FilestoreRef', {
      fileSystemId: data.filestore.fileSystemId,
      securityGroup: filestoreClients,
    });
    const filestoreAccessPoint = efs.AccessPoint.fromAccessPointAttributes(this, 'FilestoreAccessPointRef', {
      accessPointId: data.filestoreAccessPoint.accessPointId,
      fileSystem: filestore,
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
      databaseSecret: n8nDatabaseSecret,
      generationQueue: this.generation.queue,
    });

    this.odoo = new OdooService(this, 'Odoo', {
      config,
      cluster: this.cluster,
      vpc,
      logKey: this.key,
      database: data.database,
      databaseClients,
      databaseSecret: odooDatabaseSecret,
      filestore,
      filestoreAccessPoint,
      filestoreClients,
      accessLogs: createAccessLogBucket(this, 'AccessLogs'),
      n8nUrl: this.n8n.url,
    });
    this.firewall = new EdgeFirewall(this, 'EdgeFirewall', { config, loadBalancer: this.odoo.loadBalancer });
    // n8n's editor and webhooks on their own host name, through the same ALB and firewall.
    this.n8nTargetGroup = this.n8n.exposeThrough(this.odoo.listener, this.odoo.loadBalancer);
    this.n8n.allowFrom(this.odoo.serviceSecurityGroup, 'Odoo calls n8n workflows');

    this.flux = new FluxGpuFleet(this, 'Flux', {
      config,
      cluster: this.cluster,
      vpc,
      key: this.key,
      repository: data.fluxRepository,
      generationQueue: this.generation.queue,
      images,
    });
    this.n8n.allowFrom(this.flux.service, 'Flux workers post generation callbacks');

    new CredentialRefresh(this, 'CredentialRefresh', {
      cluster: this.cluster,
      secrets: [
        { secret: odooDatabaseSecret, services: [this.odoo.service] },
        { secret: n8nDatabaseSecret, services: [this.n8n.mainService, this.n8n.service] },
      ],
      logKey: this.key,
      logRetentionDays: config.env.logRetentionDays,
    });

    new CfnOutput(this, 'LoadBalancerDnsName', {
      description: `Point ${config.env.odoo.domainName} at this (an alias or CNAME) unless odoo.hostedZone is configured`,
      value: this.odoo.loadBalancer.loadBalancerDnsName,
    });
    new CfnOutput(this, 'OdooCertificateArn', {
      description:
        'The certificate of the Odoo endpoint; without a hosted zone, add the DNS validation record ACM shows',
      value: this.odoo.certificateArn,
    });
    new CfnOutput(this, 'N8nUrl', {
      description: `The n8n editor and webhooks; point ${config.env.n8n.domainName} at LoadBalancerDnsName too unless odoo.hostedZone is configured`,
      value: `https://${config.env.n8n.domainName}/`,
    });
    new CfnOutput(this, 'WafBlockListArn', {
      description: "The control plane's WAF block list (IP set)",
      value: this.firewall.controlPlaneBlockList.attrArn,
    });
  }
}
