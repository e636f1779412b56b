import {
  Aws,
  type CustomResource,
  Duration,
  RemovalPolicy,
  Stack,
  Validations,
  type StackProps,
} from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { PlatformConfig } from '../config';
import { N8N_DATABASE_ROLES, ODOO_DATABASE_ROLES } from '../config/database-roles';
import { FILESTORE_ROOT_DIRECTORY } from '../config/filestore';
import { DatabaseBootstrap } from '../constructs/database-bootstrap';
import { createAccessLogBucket } from '../constructs/access-log-bucket';
import { acknowledgeManagedPolicies, acknowledgeWildcards, GRANT_ACTION_GROUPS } from '../constructs/nag';
import { createPlatformKey } from '../constructs/platform-key';
import { retentionDays } from '../constructs/retention';
import { SUBNETS } from '../config/network';

export interface DataStackProps extends StackProps {
  readonly config: PlatformConfig;
  readonly vpc: ec2.IVpc;
  /** Where the rotation functions reach Secrets Manager (NetworkStack). */
  readonly secretsManagerEndpoint: ec2.IInterfaceVpcEndpoint;
}

/** The master user; Odoo refuses to run as `postgres`, so the name is our own. */
export const DATABASE_ADMIN_USER = 'influencegen_admin';
/** RDS creates this database; the bootstrap gives it to n8n's owner role. */
export const N8N_DATABASE_NAME = N8N_DATABASE_ROLES.database;

/**
 * The generated-images bucket's name is derived, not generated, so that the workloads stack can name
 * it without a cross-stack reference (and so that the grants on it read the same at every synth).
 * Its one writer: the Flux serving tasks (generated/*); Odoo's own files live on EFS.
 */
export function imagesBucketName(envName: string): string {
  return `influencegen-${envName}-images-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}

/** Fixed, so that the PostgreSQL log groups can exist (encrypted) before the instance writes to them. */
export function databaseInstanceIdentifier(envName: string): string {
  return `influencegen-${envName}-postgres`;
}
const DATABASE_LOG_EXPORTS = ['postgresql', 'upgrade'] as const;

/**
 * What must exist, and outlive, the workloads: PostgreSQL with one role per application, the Odoo
 * filestore on EFS, the generated-images bucket, AWS Backup and the Flux image repository (the Flux
 * image is pushed here before the workloads are deployed). Everything holding user data is
 * encrypted with this stack's key. PostgreSQL and the images bucket are backed up continuously
 * (point-in-time restore to within minutes: seed 003's 15-minute RPO) with a daily point beside;
 * EFS has no continuous backup in AWS Backup, so the filestore has its own plan at AWS Backup's most
 * frequent schedule (hourly, `backup.filestoreBackupEveryMinutes`).
 */
export class DataStack extends Stack {
  readonly key: kms.Key;
  readonly database: rds.DatabaseInstance;
  /** The PostgreSQL log the instance exports (errors, slow statements). */
  readonly databaseLog: logs.ILogGroup;
  /** The master user's secret: used by the bootstrap, the rotations and the restore tests only. */
  readonly databaseSecret: rds.DatabaseSecret;
  /** Each application's own login (alternating users), attached to the instance. */
  readonly appSecrets: Readonly<Record<'odoo' | 'n8n', secretsmanager.ISecret>>;
  /** Creates each application's roles and database (before the rotations and the workloads). */
  readonly databaseBootstrap: CustomResource;
  readonly filestore: efs.FileSystem;
  readonly filestoreAccessPoint: efs.AccessPoint;
  /** Attach to a task to let it reach the filestore's mount targets (NFS); no other source may. */
  readonly filestoreClients: ec2.SecurityGroup;
  readonly images: s3.Bucket;
  readonly backupVault: backup.BackupVault;
  readonly backupPlan: backup.BackupPlan;
  readonly filestoreBackupPlan: backup.BackupPlan;
  /** The role AWS Backup runs as; the control plane passes it to the one automatic re-run. */
  readonly backupRole: iam.Role;
  readonly fluxRepository: ecr.Repository;
  /** Attach to a task or function to let it reach PostgreSQL; no other source may. */
  readonly databaseClients: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { env } = props.config;
    const db = env.database;

    this.key = createPlatformKey(this, 'DataKey', {
      description: `Encrypts ${env.name} user data: PostgreSQL, the filestore, secrets and backups`,
      forLogs: true,
    });

    this.databaseSecret = new rds.DatabaseSecret(this, 'DatabaseSecret', {
      username: DATABASE_ADMIN_USER,
      encryptionKey: this.key,
    });

    const parameters = new rds.ParameterGroup(this, 'DatabaseParameters', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      description:
        'InfluenceGen PostgreSQL 16: TLS required, statements over 5 s logged, fixed max_connections',
      parameters: {
        'rds.force_ssl': '1',
        // Seed 004 counts queries slower than 5 s; every logged statement is one (PostgreSQL_Slow_Queries_Count).
        log_min_duration_statement: '5000',
        // Fixed so that the connection budget (lib/config/connection-budget.ts), the 90 % alarm and
        // the scaling guard share one known denominator.
        max_connections: String(db.maxConnections),
      },
    });

    // The instance's log groups exist before it does, encrypted with the data key: RDS writes to an
    // existing group as it finds it (an RDS-created group would be unencrypted and kept forever).
    const instanceIdentifier = databaseInstanceIdentifier(env.name);
    const databaseLogGroups = DATABASE_LOG_EXPORTS.map(
      (log) =>
        new logs.LogGroup(this, `DatabaseLogs-${log}`, {
          logGroupName: `/aws/rds/instance/${instanceIdentifier}/${log}`,
          retention: retentionDays(env.logRetentionDays),
          encryptionKey: this.key,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
    );
    this.databaseLog = databaseLogGroups[DATABASE_LOG_EXPORTS.indexOf('postgresql')] as logs.LogGroup;

    this.database = new rds.DatabaseInstance(this, 'Database', {
      instanceIdentifier,
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      instanceType: new ec2.InstanceType(db.instanceType),
      vpc: props.vpc,
      vpcSubnets: { subnetGroupName: SUBNETS.isolated },
      multiAz: db.multiAz,
      credentials: rds.Credentials.fromSecret(this.databaseSecret),
      databaseName: N8N_DATABASE_NAME,
      parameterGroup: parameters,
      storageType: rds.StorageType.GP3,
      allocatedStorage: db.allocatedStorageGiB,
      maxAllocatedStorage: db.maxAllocatedStorageGiB,
      storageEncrypted: true,
      storageEncryptionKey: this.key,
      backupRetention: Duration.days(db.backupRetentionDays),
      deletionProtection: db.deletionProtection,
      removalPolicy: db.deletionProtection ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
      iamAuthentication: true,
      enablePerformanceInsights: true,
      performanceInsightEncryptionKey: this.key,
      monitoringInterval: Duration.seconds(60),
      cloudwatchLogsExports: [...DATABASE_LOG_EXPORTS],
      autoMinorVersionUpgrade: true,
      publiclyAccessible: false,
    });
    for (const group of databaseLogGroups) this.database.node.addDependency(group);
    this.databaseClients = new ec2.SecurityGroup(this, 'DatabaseClients', {
      vpc: props.vpc,
      description: 'Members may connect to PostgreSQL',
    });
    this.database.connections.allowDefaultPortFrom(this.databaseClients, 'InfluenceGen database clients');

    // Rotation functions run in the private subnets, reaching PostgreSQL through its security group
    // and Secrets Manager through the interface endpoint (the isolated subnets have no route to it).
    const rotation = {
      automaticallyAfter: Duration.days(db.credentialRotationDays),
      vpcSubnets: { subnetGroupName: SUBNETS.private },
      endpoint: props.secretsManagerEndpoint,
    };
    this.database.addRotationSingleUser(rotation);
    // Each application's own login. Alternating users: each rotation changes the password of the
    // login the secret does not name, then points the secret at it, so the login running tasks hold
    // stays valid until the rotation after; WorkloadsStack restarts the tasks after every rotation
    // (CredentialRefresh). The roles and databases are made by the bootstrap below, before any
    // rotation runs (a rotation schedule rotates once as soon as it is created).
    const apps = {
      odoo: { id: 'Odoo', roles: ODOO_DATABASE_ROLES },
      n8n: { id: 'N8n', roles: N8N_DATABASE_ROLES },
    };
    const appSecrets = Object.fromEntries(
      Object.entries(apps).map(([app, { id, roles }]) => {
        const secret = new rds.DatabaseSecret(this, `${id}DatabaseSecret`, {
          username: roles.user,
          dbname: roles.database,
          masterSecret: this.databaseSecret,
          encryptionKey: this.key,
        });
        return [app, secret.attach(this.database)];
      }),
    ) as Record<'odoo' | 'n8n', secretsmanager.ISecret>;
    this.appSecrets = appSecrets;
    const bootstrap = new DatabaseBootstrap(this, 'DatabaseBootstrap', {
      vpc: props.vpc,
      vpcSubnets: { subnetGroupName: SUBNETS.private },
      securityGroups: [this.databaseClients],
      database: this.database,
      masterSecret: this.databaseSecret,
      apps: [
        { secret: appSecrets.odoo, ...ODOO_DATABASE_ROLES },
        { secret: appSecrets.n8n, ...N8N_DATABASE_ROLES },
      ],
      logKey: this.key,
      logRetentionDays: env.logRetentionDays,
    });
    this.databaseBootstrap = bootstrap.resource;
    for (const [app, { id }] of Object.entries(apps)) {
      const appRotation = this.database.addRotationMultiUser(`${id}Rotation`, {
        ...rotation,
        secret: appSecrets[app as 'odoo' | 'n8n'],
      });
      // The serverless rotation application and the schedule (a child of the secret) both wait.
      appRotation.node.addDependency(bootstrap.resource);
      for (const schedule of appSecrets[app as 'odoo' | 'n8n'].node.findAll()) {
        if (schedule instanceof secretsmanager.RotationSchedule)
          schedule.node.addDependency(bootstrap.resource);
      }
    }

    Validations.of(this.database).acknowledge({
      id: 'AwsSolutions-RDS11',
      reason:
        'A non-default port adds no protection: the instance is in isolated subnets and only the app security groups may reach it.',
    });
    acknowledgeManagedPolicies(
      this.database,
      ['service-role/AmazonRDSEnhancedMonitoringRole'],
      'AmazonRDSEnhancedMonitoringRole is the documented policy for RDS Enhanced Monitoring.',
    );
    if (!db.multiAz) {
      Validations.of(this.database).acknowledge({
        id: 'AwsSolutions-RDS3',
        reason: `${env.name} is not production; Multi-AZ is enforced for prod by config validation.`,
      });
    }
    if (!db.deletionProtection) {
      Validations.of(this.database).acknowledge({
        id: 'AwsSolutions-RDS10',
        reason: `${env.name} databases are disposable; deletion protection is on for prod and staging.`,
      });
    }

    this.filestoreClients = new ec2.SecurityGroup(this, 'FilestoreClients', {
      vpc: props.vpc,
      description: 'Members may mount the Odoo filestore (NFS over TLS)',
    });
    this.filestore = new efs.FileSystem(this, 'Filestore', {
      vpc: props.vpc,
      vpcSubnets: { subnetGroupName: SUBNETS.private },
      encrypted: true,
      kmsKey: this.key,
      performanceMode: efs.PerformanceMode.GENERAL_PURPOSE,
      // Elastic: throughput follows the fleet's requests (asset bundles at deploy, attachments).
      throughputMode: efs.ThroughputMode.ELASTIC,
      lifecyclePolicy: efs.LifecyclePolicy.AFTER_30_DAYS,
      outOfInfrequentAccessPolicy: efs.OutOfInfrequentAccessPolicy.AFTER_1_ACCESS,
      // AWS Backup's plan below protects it; EFS's own automatic backups would be a second, unmanaged copy.
      enableAutomaticBackups: false,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Every client must authenticate with IAM and use TLS. The policy allows nobody by itself (an
    // NFS client without IAM is anonymous, and nothing allows anonymous), so only roles whose own
    // policy grants ClientMount through the access point (the Odoo tasks) can mount. Written over
    // the policy aws-cdk-lib would render, which allows write and root access to any principal
    // reaching a mount target.
    (this.filestore.node.defaultChild as efs.CfnFileSystem).addPropertyOverride('FileSystemPolicy', {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyWithoutTls',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: '*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    });
    this.filestore.connections.allowDefaultPortFrom(this.filestoreClients, 'Odoo tasks mount the filestore');
    const { uid, gid } = env.odoo.filestoreOwner;
    this.filestoreAccessPoint = this.filestore.addAccessPoint('OdooAccessPoint', {
      path: FILESTORE_ROOT_DIRECTORY,
      // Every task acts as Odoo's user through this access point, whatever uid its container has.
      posixUser: { uid: String(uid), gid: String(gid) },
      createAcl: { ownerUid: String(uid), ownerGid: String(gid), permissions: '750' },
    });

    const accessLogs = createAccessLogBucket(this, 'AccessLogs');
    this.images = new s3.Bucket(this, 'Images', {
      bucketName: imagesBucketName(env.name),
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'images/',
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(env.backup.dailyRetentionDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.fluxRepository = new ecr.Repository(this, 'FluxRepository', {
      imageScanOnPush: true,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      encryption: ecr.RepositoryEncryption.KMS,
      encryptionKey: this.key,
      lifecycleRules: [{ description: 'Keep the 20 newest images', maxImageCount: 20 }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.backupVault = new backup.BackupVault(this, 'BackupVault', {
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const completionWindow = Duration.hours(env.backup.rtoHours * 2);
    const dailyRule = () =>
      new backup.BackupPlanRule({
        ruleName: 'daily',
        deleteAfter: Duration.days(env.backup.dailyRetentionDays),
        scheduleExpression: events.Schedule.cron({ hour: '4', minute: '0' }),
        startWindow: Duration.hours(1),
        completionWindow,
      });
    this.backupPlan = new backup.BackupPlan(this, 'BackupPlan', {
      backupVault: this.backupVault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'continuous',
          enableContinuousBackup: true,
          deleteAfter: Duration.days(env.backup.continuousRetentionDays),
          scheduleExpression: events.Schedule.cron({ hour: '3', minute: '0' }),
          startWindow: Duration.hours(1),
          completionWindow,
        }),
        dailyRule(),
      ],
    });
    // A plan's rules apply to every resource it selects: the filestore's hourly schedule is a plan
    // of its own, so PostgreSQL and the bucket are not snapshotted hourly beside their continuous backup.
    const everyMinutes = env.backup.filestoreBackupEveryMinutes;
    this.filestoreBackupPlan = new backup.BackupPlan(this, 'FilestoreBackupPlan', {
      backupVault: this.backupVault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'frequent',
          deleteAfter: Duration.days(env.backup.filestoreFrequentRetentionDays),
          // AWS Backup takes cron expressions only: every N hours on the hour.
          scheduleExpression: events.Schedule.cron({
            minute: '0',
            hour: everyMinutes === 60 ? '*' : `*/${everyMinutes / 60}`,
          }),
          // The start window must be shorter than the interval, or two runs could overlap.
          startWindow: Duration.minutes(Math.min(60, everyMinutes)),
          completionWindow: Duration.hours(env.backup.rtoHours),
        }),
        dailyRule(),
      ],
    });

    const backupPolicies = [
      'service-role/AWSBackupServiceRolePolicyForBackup',
      'service-role/AWSBackupServiceRolePolicyForRestores',
      'AWSBackupServiceRolePolicyForS3Backup',
      'AWSBackupServiceRolePolicyForS3Restore',
    ];
    const backupRole = (this.backupRole = new iam.Role(this, 'BackupRole', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      description: 'AWS Backup: back up and restore the InfluenceGen database, filestore and images',
      managedPolicies: backupPolicies.map((name) => iam.ManagedPolicy.fromAwsManagedPolicyName(name)),
    }));
    this.key.grantEncryptDecrypt(backupRole);
    acknowledgeManagedPolicies(
      backupRole,
      backupPolicies,
      "AWS Backup's service-role policies are the documented way to let it back up and restore RDS, EFS and S3.",
    );
    acknowledgeWildcards(
      backupRole,
      [GRANT_ACTION_GROUPS.kms],
      'Key grant action groups on the one data key.',
    );
    this.backupPlan.addSelection('UserData', {
      role: backupRole,
      resources: [
        backup.BackupResource.fromRdsDatabaseInstance(this.database),
        backup.BackupResource.fromArn(this.images.bucketArn),
      ],
    });
    this.filestoreBackupPlan.addSelection('Filestore', {
      role: backupRole,
      resources: [backup.BackupResource.fromEfsFileSystem(this.filestore)],
    });
  }
}
