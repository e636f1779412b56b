import { Duration, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { PlatformConfig } from '../../config';
import { SUBNETS } from '../../stacks/network-stack';
import { tagComponent } from '../../tags';
import { acknowledgeWildcards, GRANT_ACTION_GROUPS } from '../nag';
import { containerLogs, PRIVATE_ROLLING_SERVICE } from './workload-defaults';

export const ODOO_PORT = 8069;
export const ODOO_DATABASE_NAME = 'odoo';

export interface OdooServiceProps {
  readonly config: PlatformConfig;
  readonly cluster: ecs.ICluster;
  readonly vpc: ec2.IVpc;
  readonly logKey: kms.IKey;
  readonly database: rds.IDatabaseInstance;
  /** Membership grants access to PostgreSQL (DataStack.databaseClients). */
  readonly databaseClients: ec2.ISecurityGroup;
  readonly databaseSecret: secretsmanager.ISecret;
  readonly filestore: s3.IBucket;
  readonly accessLogs: s3.IBucket;
  readonly n8nUrl: string;
}

/**
 * Odoo 18 on Fargate behind an internet-facing ALB: HTTPS only (HTTP redirects), TLS 1.2/1.3
 * policy, invalid headers dropped, access logs kept. Tasks run in private subnets without public
 * IPs. Sessions live in Odoo's filestore on local disk, so the target group keeps a user on one
 * task (stickiness) until the filestore moves to S3 (the bucket and its grant are already here).
 */
export class OdooService extends Construct {
  readonly service: ecs.FargateService;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly serviceSecurityGroup: ec2.SecurityGroup;
  readonly logGroup: logs.ILogGroup;
  readonly certificateArn: string;

  constructor(scope: Construct, id: string, props: OdooServiceProps) {
    super(scope, id);
    tagComponent(this, 'odoo');
    const { env, components } = props.config;

    const taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: env.odoo.cpu,
      memoryLimitMiB: env.odoo.memoryMiB,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64 },
    });
    const logging = containerLogs(this, 'odoo', { key: props.logKey, retentionDays: env.logRetentionDays });
    this.logGroup = logging.group;
    taskDefinition.addContainer('odoo', {
      image: ecs.ContainerImage.fromRegistry(env.odoo.image),
      essential: true,
      logging: logging.driver,
      portMappings: [{ containerPort: ODOO_PORT }],
      // The official image's entrypoint turns HOST/PORT/USER/PASSWORD into Odoo's db_* options.
      command: [
        'odoo',
        `--database=${ODOO_DATABASE_NAME}`,
        `--db-filter=^${ODOO_DATABASE_NAME}$`,
        '--db_sslmode=require',
        '--proxy-mode',
        '--no-database-list',
        '--without-demo=all',
      ],
      environment: {
        HOST: props.database.dbInstanceEndpointAddress,
        PORT: props.database.dbInstanceEndpointPort,
        N8N_URL: props.n8nUrl,
        FILESTORE_BUCKET: props.filestore.bucketName,
      },
      secrets: {
        USER: ecs.Secret.fromSecretsManager(props.databaseSecret, 'username'),
        PASSWORD: ecs.Secret.fromSecretsManager(props.databaseSecret, 'password'),
      },
    });
    props.filestore.grantReadWrite(taskDefinition.taskRole);
    acknowledgeWildcards(
      taskDefinition.taskRole,
      [GRANT_ACTION_GROUPS.s3, GRANT_ACTION_GROUPS.kms, GRANT_ACTION_GROUPS.objectsOfBucket],
      'CDK grant action groups on the filestore bucket, its objects and its key only.',
    );

    const albSecurityGroup = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc: props.vpc,
      description: 'Odoo ALB: HTTPS and the HTTP redirect from the internet',
      allowAllOutbound: false,
    });
    albSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS from the internet');
    albSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP, redirected to HTTPS');
    Validations.of(albSecurityGroup).acknowledge({
      id: 'AwsSolutions-EC23',
      reason:
        'The internet-facing ALB is the public entry point to Odoo; only 443 and 80 (redirect) are open.',
    });

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: true,
      vpcSubnets: { subnetGroupName: SUBNETS.public },
      securityGroup: albSecurityGroup,
      dropInvalidHeaderFields: true,
      deletionProtection: env.name === 'prod',
    });
    this.loadBalancer.logAccessLogs(props.accessLogs, 'odoo-alb');

    const certificate = env.odoo.certificateArn
      ? acm.Certificate.fromCertificateArn(this, 'Certificate', env.odoo.certificateArn)
      : new acm.Certificate(this, 'Certificate', {
          domainName: env.odoo.domainName,
          validation: acm.CertificateValidation.fromDns(),
        });

    this.certificateArn = certificate.certificateArn;

    this.loadBalancer.addRedirect({
      sourcePort: 80,
      sourceProtocol: elbv2.ApplicationProtocol.HTTP,
      targetPort: 443,
      targetProtocol: elbv2.ApplicationProtocol.HTTPS,
    });
    const https = this.loadBalancer.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [certificate],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      open: false,
    });

    this.serviceSecurityGroup = new ec2.SecurityGroup(this, 'ServiceSecurityGroup', {
      vpc: props.vpc,
      description: 'Odoo tasks: reachable from the ALB only',
    });
    this.service = new ecs.FargateService(this, 'Service', {
      // Tasks carry the service's cost-allocation tags, so the environment's budget sees their spend.
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      enableECSManagedTags: true,
      cluster: props.cluster,
      taskDefinition,
      desiredCount: components.odoo.capacity.min,
      ...PRIVATE_ROLLING_SERVICE,
      assignPublicIp: false,
      securityGroups: [this.serviceSecurityGroup, props.databaseClients],
      // Odoo loads its registry on first request; give a new task time before health checks count.
      healthCheckGracePeriod: Duration.minutes(3),
    });

    this.targetGroup = https.addTargets('Odoo', {
      port: ODOO_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [this.service],
      deregistrationDelay: Duration.seconds(30),
      stickinessCookieDuration: Duration.hours(8),
      healthCheck: {
        path: '/web/health',
        healthyHttpCodes: '200',
        interval: Duration.seconds(15),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
    });
    Validations.of(taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason:
        'Only non-secret settings (hosts, ports, bucket name) are plain environment; credentials come from Secrets Manager.',
    });
  }
}
