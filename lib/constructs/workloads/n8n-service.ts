import { Duration, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { PlatformConfig } from '../../config';
import { N8N_DATABASE_ROLES } from '../../config/database-roles';
import { N8N_PORT } from '../../config/n8n';
import { tagComponent } from '../../tags';
import { acknowledgeWildcards, GRANT_ACTION_GROUPS } from '../nag';
import { initialDesiredCount } from './initial-desired-count';
import { addMetricsAgent } from './n8n-metrics-agent';
import { N8nQueueStore } from './n8n-queue-store';
import { publicHostName } from './public-host-name';
import { RdsCaBundle } from './rds-ca-bundle';
import { containerLogs, PRIVATE_ROLLING_SERVICE } from './workload-defaults';

export const N8N_SERVICE_NAME = 'n8n';
export const N8N_MAIN_CONTAINER = 'n8n-main';
export const N8N_WORKER_CONTAINER = 'n8n-worker';
/** Fargate stops a container at most this long after SIGTERM. */
const FARGATE_MAX_STOP_SECONDS = 120;

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
 * n8n in queue mode (n8n's "Queue mode" documentation), on Fargate in private subnets:
 * - **main**: one task (`n8n start`): the editor, the public API, webhooks and every schedule and
 *   polling trigger, so each fires once; it puts executions on the queue. Registered in Cloud Map
 *   (`http://n8n.<namespace>:5678`, for Odoo and the Flux callbacks) and served on its own host
 *   name by the Odoo ALB (`exposeThrough`), behind the same WAF. Never scaled.
 * - **workers** (`n8n worker --concurrency N`): take executions off the queue; the component the
 *   control plane scales (`n8n`, 1..5). A worker stopped on scale-in finishes its jobs first:
 *   N8N_GRACEFUL_SHUTDOWN_TIMEOUT and the container's stop timeout cover the longest execution
 *   the config allows (EXECUTIONS_TIMEOUT).
 * - the queue in ElastiCache Valkey (TLS, AUTH, KMS), PostgreSQL over TLS verified against the
 *   RDS CAs of the region (DB_POSTGRESDB_SSL_CA from RdsCaBundle), with n8n's own database role;
 *   N8N_ENCRYPTION_KEY, a generated secret shared by every process, which must never change
 *   (rotating it would make every stored credential unreadable).
 * - the queue metrics (jobs waiting, jobs active) reach CloudWatch through the agent beside main.
 * No service carries a desired count in the template; each starts at its minimum once.
 */
export class N8nService extends Construct {
  /** The workers: the scaled component. */
  readonly service: ecs.FargateService;
  readonly mainService: ecs.FargateService;
  /** Members reach n8n's main process (port 5678). */
  readonly securityGroup: ec2.SecurityGroup;
  readonly queueStore: N8nQueueStore;
  readonly caBundle: RdsCaBundle;
  readonly url: string;
  readonly logGroup: logs.ILogGroup;
  readonly queueMetricsLogGroup: logs.ILogGroup;
  private readonly props: N8nServiceProps;

  constructor(scope: Construct, id: string, props: N8nServiceProps) {
    super(scope, id);
    this.props = props;
    tagComponent(this, 'n8n');
    const { env, components } = props.config;
    const n8n = env.n8n;
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
    this.queueStore = new N8nQueueStore(this, 'QueueStore', {
      config: props.config,
      vpc: props.vpc,
      key: props.key,
    });
    this.caBundle = new RdsCaBundle(this, 'RdsCaBundle', {
      key: props.key,
      logRetentionDays: env.logRetentionDays,
    });

    const logging = containerLogs(this, 'n8n', { key: props.key, retentionDays: env.logRetentionDays });
    this.logGroup = logging.group;
    const executionSeconds = n8n.maxExecutionSeconds;
    // Every process reads the same settings (n8n's environment variables, @n8n/config).
    const workerServiceName = `influencegen-${env.name}-n8n-worker`;
    const environment: Record<string, string> = {
      DB_TYPE: 'postgresdb',
      DB_POSTGRESDB_HOST: props.database.dbInstanceEndpointAddress,
      DB_POSTGRESDB_PORT: props.database.dbInstanceEndpointPort,
      DB_POSTGRESDB_DATABASE: N8N_DATABASE_ROLES.database,
      DB_POSTGRESDB_POOL_SIZE: String(n8n.dbPoolSize),
      // With a CA given, node-postgres verifies the server against it (and its host name).
      DB_POSTGRESDB_SSL_ENABLED: 'true',
      DB_POSTGRESDB_SSL_REJECT_UNAUTHORIZED: 'true',
      EXECUTIONS_MODE: 'queue',
      QUEUE_BULL_REDIS_HOST: this.queueStore.host,
      QUEUE_BULL_REDIS_PORT: this.queueStore.port,
      QUEUE_BULL_REDIS_TLS: 'true',
      EXECUTIONS_TIMEOUT: String(executionSeconds),
      EXECUTIONS_TIMEOUT_MAX: String(executionSeconds),
      N8N_GRACEFUL_SHUTDOWN_TIMEOUT: String(executionSeconds + 5),
      N8N_PORT: String(N8N_PORT),
      N8N_LOG_FORMAT: 'json',
      N8N_DIAGNOSTICS_ENABLED: 'false',
      // The generation workflow's Code node prints its signal lines (platform/n8n/workflows) to
      // stdout, where the metric filters read them; n8n drops Code-node output otherwise.
      CODE_ENABLE_STDOUT: 'true',
      GENERATION_QUEUE_URL: props.generationQueue.queueUrl,
      GENERIC_TIMEZONE: 'UTC',
    };
    const secrets: Record<string, ecs.Secret> = {
      DB_POSTGRESDB_USER: ecs.Secret.fromSecretsManager(props.databaseSecret, 'username'),
      DB_POSTGRESDB_PASSWORD: ecs.Secret.fromSecretsManager(props.databaseSecret, 'password'),
      DB_POSTGRESDB_SSL_CA: ecs.Secret.fromSecretsManager(this.caBundle.secret),
      QUEUE_BULL_REDIS_PASSWORD: ecs.Secret.fromSecretsManager(this.queueStore.authToken),
      N8N_ENCRYPTION_KEY: ecs.Secret.fromSecretsManager(encryptionKey),
    };
    const healthCheck: ecs.HealthCheck = {
      command: ['CMD-SHELL', `wget -q -O /dev/null http://localhost:${N8N_PORT}/healthz || exit 1`],
      interval: Duration.seconds(30),
      startPeriod: Duration.seconds(60),
    };

    this.securityGroup = new ec2.SecurityGroup(this, 'ServiceSecurityGroup', {
      vpc: props.vpc,
      description: 'n8n tasks: the main process reachable from Odoo, the Flux workers and the ALB only',
    });
    const securityGroups = [this.securityGroup, props.databaseClients, this.queueStore.clients];

    const workerTask = this.taskDefinition('WorkerTask', n8n.cpu, n8n.memoryMiB);
    workerTask.addContainer(N8N_WORKER_CONTAINER, {
      image: ecs.ContainerImage.fromRegistry(n8n.image),
      essential: true,
      logging: logging.driver,
      // The image's entrypoint runs `n8n "$@"`.
      command: ['worker', `--concurrency=${n8n.workerConcurrency}`],
      environment: {
        ...environment,
        QUEUE_HEALTH_CHECK_ACTIVE: 'true',
        QUEUE_HEALTH_CHECK_PORT: String(N8N_PORT),
      },
      secrets,
      healthCheck,
      stopTimeout: Duration.seconds(FARGATE_MAX_STOP_SECONDS),
    });
    this.service = new ecs.FargateService(this, 'WorkerService', {
      // Named, not generated: the main task's metrics agent labels the queue metrics with it, and the
      // workers must wait for the main service (below), which a generated name would make a cycle.
      serviceName: workerServiceName,
      // Tasks carry the service's cost-allocation tags, so the environment's budget sees their spend.
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      enableECSManagedTags: true,
      cluster: props.cluster,
      taskDefinition: workerTask,
      // No desiredCount: a deploy leaves the control plane's count alone (see OdooService).
      ...PRIVATE_ROLLING_SERVICE,
      assignPublicIp: false,
      securityGroups,
    });
    initialDesiredCount(this, 'InitialDesiredCount', {
      cluster: props.cluster,
      service: this.service,
      desiredCount: components.n8n.capacity.min,
    });

    const mainTask = this.taskDefinition('MainTask', n8n.main.cpu, n8n.main.memoryMiB);
    mainTask.addContainer(N8N_MAIN_CONTAINER, {
      image: ecs.ContainerImage.fromRegistry(n8n.image),
      essential: true,
      logging: logging.driver,
      command: ['start'],
      portMappings: [{ containerPort: N8N_PORT }],
      environment: {
        ...environment,
        N8N_HOST: n8n.domainName,
        N8N_PROTOCOL: 'https',
        WEBHOOK_URL: `https://${n8n.domainName}/`,
        N8N_EDITOR_BASE_URL: `https://${n8n.domainName}/`,
        // Behind the ALB: trust one proxy hop for the client's address and protocol.
        N8N_PROXY_HOPS: '1',
        // Manual executions from the editor run on the workers too, not in the main process.
        OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
        N8N_METRICS: 'true',
        N8N_METRICS_INCLUDE_QUEUE_METRICS: 'true',
      },
      secrets,
      healthCheck,
    });
    this.queueMetricsLogGroup = addMetricsAgent(this, mainTask, {
      workerServiceName,
      key: props.key,
      logRetentionDays: env.logRetentionDays,
      logDriver: logging.driver,
    });
    this.mainService = new ecs.FargateService(this, 'MainService', {
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      enableECSManagedTags: true,
      cluster: props.cluster,
      taskDefinition: mainTask,
      ...PRIVATE_ROLLING_SERVICE,
      // One main process at a time: two would both fire every schedule. A new revision stops the
      // old task first (a minute without the editor and webhooks during a deploy).
      minHealthyPercent: 0,
      maxHealthyPercent: 100,
      assignPublicIp: false,
      securityGroups,
      cloudMapOptions: { name: N8N_SERVICE_NAME, cloudMapNamespace: props.namespace },
    });
    initialDesiredCount(this, 'InitialMainCount', {
      cluster: props.cluster,
      service: this.mainService,
      desiredCount: 1,
    });
    // Neither may start before the CA bundle is written (n8n refuses the database without it).
    this.service.node.addDependency(this.caBundle.resource);
    this.mainService.node.addDependency(this.caBundle.resource);
    // Every n8n process runs the database migrations at start, and two at once on a new database
    // fail (found by the conformance test, test/platform): the main process migrates first.
    this.service.node.addDependency(this.mainService);

    for (const task of [workerTask, mainTask]) {
      props.generationQueue.grantSendMessages(task.taskRole);
      acknowledgeWildcards(
        task.taskRole,
        [GRANT_ACTION_GROUPS.kms],
        'kms:GenerateDataKey*/ReEncrypt* of the grant to send to the generation queue, on its key only.',
      );
      Validations.of(task).acknowledge({
        id: 'AwsSolutions-ECS2',
        reason:
          'Only non-secret settings (hosts, ports, modes, the queue URL) are plain environment; credentials, the AUTH token, the CA bundle and the encryption key come from Secrets Manager.',
      });
    }
  }

  /**
   * The editor, the API and webhooks on their own host name through the Odoo ALB (TLS, the same
   * WAF), health-checked on n8n's /healthz. Webhooks must be reachable from outside; the editor
   * is protected by n8n's own user management (owner account, invitations).
   */
  exposeThrough(
    listener: elbv2.ApplicationListener,
    loadBalancer: elbv2.IApplicationLoadBalancer,
  ): elbv2.ApplicationTargetGroup {
    const { env } = this.props.config;
    const certificate = publicHostName(this, {
      domainName: env.n8n.domainName,
      certificateArn: env.n8n.certificateArn,
      hostedZone: env.odoo.hostedZone,
      loadBalancer,
    });
    listener.addCertificates('N8n', [certificate]);
    return listener.addTargets('N8n', {
      priority: 20,
      conditions: [elbv2.ListenerCondition.hostHeaders([env.n8n.domainName])],
      port: N8N_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [
        this.mainService.loadBalancerTarget({ containerName: N8N_MAIN_CONTAINER, containerPort: N8N_PORT }),
      ],
      deregistrationDelay: Duration.seconds(30),
      healthCheck: {
        path: '/healthz',
        healthyHttpCodes: '200',
        interval: Duration.seconds(15),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
    });
  }

  /** Lets another workload call n8n's API and webhooks (the main process). */
  allowFrom(peer: ec2.IConnectable, description: string): void {
    this.mainService.connections.allowFrom(peer, ec2.Port.tcp(N8N_PORT), description);
  }

  private taskDefinition(id: string, cpu: number, memoryLimitMiB: number): ecs.FargateTaskDefinition {
    return new ecs.FargateTaskDefinition(this, id, { cpu, memoryLimitMiB });
  }
}
