import { Duration, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { PlatformConfig } from '../../config';
import { N8N_DATABASE_NAME } from '../../stacks/data-stack';
import { tagComponent } from '../../tags';
import { acknowledgeWildcards, GRANT_ACTION_GROUPS } from '../nag';
import { initialDesiredCount } from './initial-desired-count';
import { containerLogs, PRIVATE_ROLLING_SERVICE } from './workload-defaults';

export const N8N_PORT = 5678;
export const N8N_SERVICE_NAME = 'n8n';

export interface N8nServiceProps {
  readonly config: PlatformConfig;
  readonly cluster: ecs.ICluster;
  readonly vpc: ec2.IVpc;
  readonly namespace: servicediscovery.INamespace;
  readonly key: kms.IKey;
  readonly database: rds.IDatabaseInstance;
  /** Membership grants access to PostgreSQL (DataStack.databaseClients). */
  readonly databaseClients: ec2.ISecurityGroup;
  /** n8n's own login (alternating users); never the master user. */
  readonly databaseSecret: secretsmanager.ISecret;
  readonly generationQueue: sqs.IQueue;
}

/**
 * n8n on Fargate in private subnets, registered in Cloud Map so that Odoo reaches it at
 * `http://n8n.<namespace>:5678` without a load balancer. Its workflows and credentials live in
 * PostgreSQL; the credentials are encrypted with N8N_ENCRYPTION_KEY, a generated secret that must
 * never change (rotating it would make every stored credential unreadable).
 */
export class N8nService extends Construct {
  readonly service: ecs.FargateService;
  readonly securityGroup: ec2.SecurityGroup;
  readonly url: string;
  readonly logGroup: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: N8nServiceProps) {
    super(scope, id);
    tagComponent(this, 'n8n');
    const { env, components } = props.config;
    this.url = `http://${N8N_SERVICE_NAME}.${props.namespace.namespaceName}:${N8N_PORT}`;

    const encryptionKey = new secretsmanager.Secret(this, 'EncryptionKey', {
      description: 'N8N_ENCRYPTION_KEY: encrypts the credentials n8n stores in PostgreSQL',
      encryptionKey: props.key,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    Validations.of(encryptionKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Rotating the n8n encryption key would make every credential n8n has stored unreadable.',
    });

    const taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: env.n8n.cpu,
      memoryLimitMiB: env.n8n.memoryMiB,
    });
    const logging = containerLogs(this, 'n8n', { key: props.key, retentionDays: env.logRetentionDays });
    this.logGroup = logging.group;
    taskDefinition.addContainer('n8n', {
      image: ecs.ContainerImage.fromRegistry(env.n8n.image),
      essential: true,
      logging: logging.driver,
      portMappings: [{ containerPort: N8N_PORT }],
      environment: {
        DB_TYPE: 'postgresdb',
        DB_POSTGRESDB_HOST: props.database.dbInstanceEndpointAddress,
        DB_POSTGRESDB_PORT: props.database.dbInstanceEndpointPort,
        DB_POSTGRESDB_DATABASE: N8N_DATABASE_NAME,
        DB_POSTGRESDB_SSL_ENABLED: 'true',
        N8N_PORT: String(N8N_PORT),
        N8N_LOG_FORMAT: 'json',
        // The generation workflow's Code node prints its signal lines (platform/n8n/workflows) to
        // stdout, where the metric filters read them; n8n drops Code-node output otherwise.
        CODE_ENABLE_STDOUT: 'true',
        N8N_DIAGNOSTICS_ENABLED: 'false',
        GENERATION_QUEUE_URL: props.generationQueue.queueUrl,
      },
      secrets: {
        DB_POSTGRESDB_USER: ecs.Secret.fromSecretsManager(props.databaseSecret, 'username'),
        DB_POSTGRESDB_PASSWORD: ecs.Secret.fromSecretsManager(props.databaseSecret, 'password'),
        N8N_ENCRYPTION_KEY: ecs.Secret.fromSecretsManager(encryptionKey),
      },
      healthCheck: {
        command: ['CMD-SHELL', `wget -q -O /dev/null http://localhost:${N8N_PORT}/healthz || exit 1`],
        interval: Duration.seconds(30),
        startPeriod: Duration.seconds(60),
      },
    });
    props.generationQueue.grantSendMessages(taskDefinition.taskRole);
    acknowledgeWildcards(
      taskDefinition.taskRole,
      [GRANT_ACTION_GROUPS.kms],
      'kms:GenerateDataKey*/ReEncrypt* of the grant to send to the generation queue, on its key only.',
    );

    this.securityGroup = new ec2.SecurityGroup(this, 'ServiceSecurityGroup', {
      vpc: props.vpc,
      description: 'n8n tasks: reachable from Odoo and the Flux workers only',
    });
    this.service = new ecs.FargateService(this, 'Service', {
      // Tasks carry the service's cost-allocation tags, so the environment's budget sees their spend.
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      enableECSManagedTags: true,
      cluster: props.cluster,
      taskDefinition,
      // No desiredCount: a deploy leaves the control plane's count alone (see OdooService).
      ...PRIVATE_ROLLING_SERVICE,
      assignPublicIp: false,
      securityGroups: [this.securityGroup, props.databaseClients],
      cloudMapOptions: { name: N8N_SERVICE_NAME, cloudMapNamespace: props.namespace },
    });
    initialDesiredCount(this, 'InitialDesiredCount', {
      cluster: props.cluster,
      service: this.service,
      desiredCount: components.n8n.capacity.min,
    });
    Validations.of(taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason:
        'Only non-secret settings (hosts, ports, queue URL) are plain environment; credentials come from Secrets Manager.',
    });
  }

  /** Lets another workload call n8n's API and webhooks. */
  allowFrom(peer: ec2.IConnectable, description: string): void {
    this.service.connections.allowFrom(peer, ec2.Port.tcp(N8N_PORT), description);
  }
}
