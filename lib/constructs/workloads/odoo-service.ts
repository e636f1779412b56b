import { createHash } from 'node:crypto';
import { Duration, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as efs from 'aws-cdk-lib/aws-efs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { PlatformConfig } from '../../config';
import {
  FILESTORE_HEARTBEAT_EVERY_SECONDS,
  FILESTORE_HEARTBEAT_FILE,
  ODOO_DATA_DIR,
} from '../../config/filestore';
import { ODOO_ADMIN_PASSWORD_ENV, odooInitCommand } from '../../config/odoo-init';
import { odooProcessSizing } from '../../config/odoo-sizing';
import { SUBNETS } from '../../config/network';
import { tagComponent } from '../../tags';
import { containerLogs, PRIVATE_ROLLING_SERVICE } from './workload-defaults';
import { initialDesiredCount } from './initial-desired-count';
import { publicHostName } from './public-host-name';
import {
  ODOO_ADDONS_PATH,
  odooCommandWithAddons,
  packAddons,
  shippedAddonsEnvironment,
  UNPACK_SHIPPED_ADDONS,
} from './odoo-addons';
import { OdooInitRun } from './odoo-init-run';

export const ODOO_PORT = 8069;
/** Odoo's gevent process (`gevent_port`): `/websocket` (the bus) is served here in prefork mode. */
export const ODOO_GEVENT_PORT = 8072;
export const ODOO_DATABASE_NAME = 'odoo';
export const ODOO_CONTAINER = 'odoo';
const FILESTORE_VOLUME = 'filestore';
const MIB = 1024 * 1024;

export interface OdooServiceProps {
  readonly config: PlatformConfig;
  readonly cluster: ecs.ICluster;
  readonly vpc: ec2.IVpc;
  readonly logKey: kms.IKey;
  readonly database: rds.IDatabaseInstance;
  /** Membership grants access to PostgreSQL (DataStack.databaseClients). */
  readonly databaseClients: ec2.ISecurityGroup;
  /** Odoo's own login (alternating users); never the master user. */
  readonly databaseSecret: secretsmanager.ISecret;
  readonly filestore: efs.IFileSystem;
  readonly filestoreAccessPoint: efs.IAccessPoint;
  /** Membership grants access to the filestore's mount targets (DataStack.filestoreClients). */
  readonly filestoreClients: ec2.ISecurityGroup;
  readonly accessLogs: s3.IBucket;
  readonly n8nUrl: string;
}

/** The Odoo server options that make a task one member of a fleet (lib/config/odoo-sizing.ts). */
export function odooServerArguments(config: PlatformConfig): string[] {
  const { odoo } = config.env;
  const sizing = odooProcessSizing(odoo);
  return [
    `--database=${ODOO_DATABASE_NAME}`,
    `--db-filter=^${ODOO_DATABASE_NAME}$`,
    '--db_sslmode=require',
    `--db_maxconn=${sizing.dbMaxConn}`,
    `--db_maxconn_gevent=${sizing.dbMaxConnGevent}`,
    '--proxy-mode',
    '--no-database-list',
    '--without-demo=all',
    `--data-dir=${ODOO_DATA_DIR}`,
    `--addons-path=${ODOO_ADDONS_PATH}`,
    `--workers=${sizing.workers}`,
    `--max-cron-threads=${sizing.maxCronThreads}`,
    `--http-port=${ODOO_PORT}`,
    `--gevent-port=${ODOO_GEVENT_PORT}`,
    `--limit-memory-soft=${sizing.limitMemorySoftMiB * MIB}`,
    `--limit-memory-hard=${sizing.limitMemoryHardMiB * MIB}`,
    `--limit-time-cpu=${odoo.limitTimeCpuSeconds}`,
    `--limit-time-real=${odoo.limitTimeRealSeconds}`,
    `--limit-request=${odoo.limitRequest}`,
  ];
}

/**
 * Odoo 18 on Fargate as a fleet of identical tasks behind an internet-facing ALB (HTTPS only, HTTP
 * redirects, TLS 1.2/1.3, invalid headers dropped, access logs kept; AWS WAF in front, EdgeFirewall):
 * - the filestore and sessions live on EFS at /var/lib/odoo, so any task serves any user (no
 *   stickiness) and a deploy, a scale-in or a replaced task loses no file;
 * - prefork workers sized from the task, `proxy_mode`, and `/websocket` routed to the gevent port
 *   on a target group of its own;
 * - the database is created and upgraded by the one-off init task (OdooInitRun), never by the
 *   service: `--no-database-list` keeps the database manager off;
 * - the task count belongs to the control plane: the template carries no DesiredCount.
 * Tasks run in private subnets without public IPs and reach PostgreSQL with Odoo's own role.
 */
export class OdooService extends Construct {
  readonly service: ecs.FargateService;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly listener: elbv2.ApplicationListener;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly websocketTargetGroup: elbv2.ApplicationTargetGroup;
  readonly serviceSecurityGroup: ec2.SecurityGroup;
  readonly logGroup: logs.ILogGroup;
  readonly certificateArn: string;
  /** The administrator's password (generated); the init task sets it, nothing else reads it. */
  readonly adminPassword: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: OdooServiceProps) {
    super(scope, id);
    tagComponent(this, 'odoo');
    const { env, components } = props.config;

    this.adminPassword = new secretsmanager.Secret(this, 'AdminPassword', {
      description: `Odoo ${env.name}: the password of ${env.odoo.adminLogin}, set by the init task`,
      encryptionKey: props.logKey,
      generateSecretString: { passwordLength: 32, excludePunctuation: true },
    });
    Validations.of(this.adminPassword).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        "Odoo keeps the admin's password hashed in its own database; a rotation here would not reach it. Operators change it in Odoo.",
    });

    const taskDefinition = (this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: env.odoo.cpu,
      memoryLimitMiB: env.odoo.memoryMiB,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64 },
      volumes: [filestoreVolume(props)],
    }));
    grantFilestore(taskDefinition.taskRole, props.filestore, props.filestoreAccessPoint);

    const logging = containerLogs(this, 'odoo', { key: props.logKey, retentionDays: env.logRetentionDays });
    this.logGroup = logging.group;
    const environment = {
      // The official image's entrypoint turns HOST/PORT/USER/PASSWORD into Odoo's db_* options.
      HOST: props.database.dbInstanceEndpointAddress,
      PORT: props.database.dbInstanceEndpointPort,
      // The signals addon classifies Odoo's outbound calls by host (n8n's comes from N8N_URL).
      N8N_URL: props.n8nUrl,
      INFLUENCEGEN_SIGNALS_KYC_HOSTS: env.odoo.kycApiHosts.join(','),
      ...shippedAddonsEnvironment(),
    };
    const databaseSecrets = {
      USER: ecs.Secret.fromSecretsManager(props.databaseSecret, 'username'),
      PASSWORD: ecs.Secret.fromSecretsManager(props.databaseSecret, 'password'),
    };
    const container = taskDefinition.addContainer(ODOO_CONTAINER, {
      image: ecs.ContainerImage.fromRegistry(env.odoo.image),
      essential: true,
      logging: logging.driver,
      portMappings: [
        { containerPort: ODOO_PORT, name: 'http' },
        { containerPort: ODOO_GEVENT_PORT, name: 'websocket' },
      ],
      command: odooCommandWithAddons(odooServerArguments(props.config)),
      environment,
      secrets: databaseSecrets,
      // Odoo's prefork master stops its workers gracefully on SIGTERM within limit_time_real.
      stopTimeout: Duration.seconds(Math.min(120, env.odoo.limitTimeRealSeconds)),
    });
    container.addMountPoints({
      containerPath: ODOO_DATA_DIR,
      sourceVolume: FILESTORE_VOLUME,
      readOnly: false,
    });

    // The filestore's heartbeat: the newest file even when nobody uses Odoo, so a restored copy can
    // be judged against its recovery point (lib/config/filestore.ts). Same image, already pulled.
    const heartbeatPath = `${ODOO_DATA_DIR}/${FILESTORE_HEARTBEAT_FILE}`;
    const heartbeat = taskDefinition.addContainer('filestore-heartbeat', {
      image: ecs.ContainerImage.fromRegistry(env.odoo.image),
      essential: false,
      memoryLimitMiB: 64,
      logging: logging.driver,
      entryPoint: ['bash', '-ceu'],
      command: [
        `mkdir -p "$(dirname ${heartbeatPath})"; while true; do date -u +%Y-%m-%dT%H:%M:%SZ > ${heartbeatPath}.tmp; ` +
          `mv ${heartbeatPath}.tmp ${heartbeatPath}; sleep ${FILESTORE_HEARTBEAT_EVERY_SECONDS}; done`,
      ],
    });
    heartbeat.addMountPoints({
      containerPath: ODOO_DATA_DIR,
      sourceVolume: FILESTORE_VOLUME,
      readOnly: false,
    });

    Validations.of(taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason:
        'Only non-secret settings (hosts, ports, the n8n URL, the shipped addon archive) are plain environment; credentials come from Secrets Manager.',
    });

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
        'The internet-facing ALB is the public entry point to Odoo; only 443 and 80 (redirect) are open, behind AWS WAF.',
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

    const certificate = publicHostName(this, {
      domainName: env.odoo.domainName,
      certificateArn: env.odoo.certificateArn,
      hostedZone: env.odoo.hostedZone,
      loadBalancer: this.loadBalancer,
    });
    this.certificateArn = certificate.certificateArn;

    this.loadBalancer.addRedirect({
      sourcePort: 80,
      sourceProtocol: elbv2.ApplicationProtocol.HTTP,
      targetPort: 443,
      targetProtocol: elbv2.ApplicationProtocol.HTTPS,
    });
    const https = (this.listener = this.loadBalancer.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [certificate],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      open: false,
    }));

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
      // No desiredCount: the template never carries one, so a deploy leaves the control plane's
      // count alone (CloudFormation leaves an omitted count as it is on update). The first
      // creation starts at the configured minimum through initialDesiredCount below.
      ...PRIVATE_ROLLING_SERVICE,
      assignPublicIp: false,
      securityGroups: [this.serviceSecurityGroup, props.databaseClients, props.filestoreClients],
      // Odoo loads its registry on first request; give a new task time before health checks count.
      healthCheckGracePeriod: Duration.minutes(3),
    });
    // The database is initialised and upgraded by one init task, before the service starts a task.
    const init = new OdooInitRun(this, 'InitRun', {
      cluster: props.cluster,
      taskDefinition: this.initTaskDefinition(props, environment, databaseSecrets, logging.group),
      containerName: ODOO_CONTAINER,
      vpcSubnets: { subnetGroupName: SUBNETS.private },
      securityGroups: [props.databaseClients, props.filestoreClients],
      // A new image, module list or shipped addon runs the task again (it then updates the modules).
      trigger: [env.odoo.image, env.odoo.modules.join(','), addonsDigest()].join('|'),
      logKey: props.logKey,
      logRetentionDays: env.logRetentionDays,
    });
    this.service.node.addDependency(init.resource);
    initialDesiredCount(this, 'InitialDesiredCount', {
      cluster: props.cluster,
      service: this.service,
      desiredCount: components.odoo.capacity.min,
    });

    this.targetGroup = https.addTargets('Odoo', {
      port: ODOO_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [this.service.loadBalancerTarget({ containerName: ODOO_CONTAINER, containerPort: ODOO_PORT })],
      deregistrationDelay: Duration.seconds(30),
      // No stickiness: sessions are files on the shared filestore, readable by every task.
      healthCheck: {
        path: '/web/health',
        healthyHttpCodes: '200',
        interval: Duration.seconds(15),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
    });
    // The bus: Odoo's web client opens wss://<host>/websocket; in prefork mode only the gevent
    // process answers it. The gevent server serves the whole WSGI application, /web/health included.
    this.websocketTargetGroup = https.addTargets('OdooWebsocket', {
      priority: 10,
      // Odoo's host only: the listener also serves n8n on its own host name.
      conditions: [
        elbv2.ListenerCondition.hostHeaders([env.odoo.domainName]),
        elbv2.ListenerCondition.pathPatterns(['/websocket', '/websocket/*']),
      ],
      port: ODOO_GEVENT_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [
        this.service.loadBalancerTarget({ containerName: ODOO_CONTAINER, containerPort: ODOO_GEVENT_PORT }),
      ],
      deregistrationDelay: Duration.seconds(30),
      healthCheck: {
        path: '/web/health',
        port: String(ODOO_GEVENT_PORT),
        healthyHttpCodes: '200',
        interval: Duration.seconds(15),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
    });
    // Defence in depth behind the WAF rule: the database manager is never served, even with the
    // firewall detached. Odoo's own --no-database-list refuses it too.
    https.addAction('DatabaseManagerClosed', {
      priority: 5,
      conditions: [
        elbv2.ListenerCondition.hostHeaders([env.odoo.domainName]),
        elbv2.ListenerCondition.pathPatterns(['/web/database', '/web/database/*']),
      ],
      action: elbv2.ListenerAction.fixedResponse(403, {
        contentType: 'text/plain',
        messageBody: 'Forbidden',
      }),
    });
  }

  /**
   * The init task: the service's image, environment, database login and filestore, plus the
   * administrator's password, running lib/config/odoo-init.ts's script instead of the server.
   */
  private initTaskDefinition(
    props: OdooServiceProps,
    environment: Record<string, string>,
    databaseSecrets: Record<string, ecs.Secret>,
    logGroup: logs.ILogGroup,
  ): ecs.FargateTaskDefinition {
    const { env } = props.config;
    const sizing = odooProcessSizing(env.odoo);
    const task = new ecs.FargateTaskDefinition(this, 'InitTask', {
      cpu: env.odoo.cpu,
      memoryLimitMiB: env.odoo.memoryMiB,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64 },
      volumes: [filestoreVolume(props)],
    });
    grantFilestore(task.taskRole, props.filestore, props.filestoreAccessPoint);
    const container = task.addContainer(ODOO_CONTAINER, {
      image: ecs.ContainerImage.fromRegistry(env.odoo.image),
      essential: true,
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'odoo-init' }),
      command: odooInitCommand({
        database: ODOO_DATABASE_NAME,
        modules: env.odoo.modules,
        adminLogin: env.odoo.adminLogin,
        image: env.odoo.image,
        addonsDigest: addonsDigest(),
        dbMaxConn: sizing.dbMaxConn,
        addonsPath: ODOO_ADDONS_PATH,
        preamble: UNPACK_SHIPPED_ADDONS,
      }),
      environment,
      secrets: {
        ...databaseSecrets,
        [ODOO_ADMIN_PASSWORD_ENV]: ecs.Secret.fromSecretsManager(this.adminPassword),
      },
    });
    container.addMountPoints({
      containerPath: ODOO_DATA_DIR,
      sourceVolume: FILESTORE_VOLUME,
      readOnly: false,
    });
    Validations.of(task).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason:
        'Only non-secret settings (hosts, ports, the n8n URL, the shipped addon archive) are plain environment; the database login and the admin password come from Secrets Manager.',
    });
    return task;
  }
}

/** The filestore volume: EFS through Odoo's access point, IAM-authorised, TLS in transit. */
function filestoreVolume(props: OdooServiceProps): ecs.Volume {
  return {
    name: FILESTORE_VOLUME,
    efsVolumeConfiguration: {
      fileSystemId: props.filestore.fileSystemId,
      transitEncryption: 'ENABLED',
      authorizationConfig: { accessPointId: props.filestoreAccessPoint.accessPointId, iam: 'ENABLED' },
    },
  };
}

/** A short digest of the shipped addons: part of the init task's trigger and of what it records. */
function addonsDigest(): string {
  return createHash('sha256').update(packAddons()).digest('hex').slice(0, 16);
}

/**
 * Mount and write the filestore, only through Odoo's access point, with IAM authorization (the file
 * system's own policy allows nobody by itself, DataStack).
 */
export function grantFilestore(
  role: iam.IRole,
  filestore: efs.IFileSystem,
  accessPoint: efs.IAccessPoint,
): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
      resources: [filestore.fileSystemArn],
      conditions: { StringEquals: { 'elasticfilesystem:AccessPointArn': accessPoint.accessPointArn } },
    }),
  );
}
