import { Aws, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { PlatformConfig } from '../config';
import { createAccessLogBucket } from '../constructs/access-log-bucket';
import { acknowledgeManagedPolicies, acknowledgeWildcards, GRANT_ACTION_GROUPS } from '../constructs/nag';
import { createPlatformKey } from '../constructs/platform-key';
import { retentionDays } from '../constructs/retention';
import { SUBNETS } from './network-stack';

export interface DataStackProps extends StackProps {
  readonly config: PlatformConfig;
  readonly vpc: ec2.IVpc;
}

/** The master user; Odoo refuses to run as `postgres`, so the name is our own. */
export const DATABASE_ADMIN_USER = 'influencegen_admin';
/** RDS creates this database; Odoo creates its own (`odoo`) on first start with `--database`. */
export const N8N_DATABASE_NAME = 'n8n';

/**
 * The filestore's name is derived, not generated, so that the workloads stack can name it without a
 * cross-stack reference (and so that the grants on it read the same at every synth).
 */
export function filestoreBucketName(envName: string): string {
  return `influencegen-${envName}-filestore-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}

/**
 * PostgreSQL, the filestore bucket, AWS Backup and the Flux image repository: what must exist,
 * and outlive, the workloads (the Flux image is pushed here before the workloads are deployed). Everything holding user data is encrypted with
 * this stack's key and backed up continuously (point-in-time restore to within minutes), which is
 * what a 15-minute RPO (seed 003) needs; a daily recovery point with longer retention sits beside it.
 */
export class DataStack extends Stack {
  readonly key: kms.Key;
  readonly database: rds.DatabaseInstance;
  readonly databaseSecret: rds.DatabaseSecret;
  readonly filestore: s3.Bucket;
  readonly backupVault: backup.BackupVault;
  readonly backupPlan: backup.BackupPlan;
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
        // Fixed so that the 90 % connection alarm and the scaling guard have a known denominator.
        max_connections: String(db.maxConnections),
      },
    });

    this.database = new rds.DatabaseInstance(this, 'Database', {
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
      cloudwatchLogsExports: ['postgresql', 'upgrade'],
      cloudwatchLogsRetention: retentionDays(env.logRetentionDays),
      autoMinorVersionUpgrade: true,
      publiclyAccessible: false,
    });
    this.databaseClients = new ec2.SecurityGroup(this, 'DatabaseClients', {
      vpc: props.vpc,
      description: 'Members may connect to PostgreSQL',
    });
    this.database.connections.allowDefaultPortFrom(this.databaseClients, 'InfluenceGen database clients');
    // cloudwatchLogsRetention above deploys aws-cdk-lib's own log-retention function.
    const logRetention = this.node.children.find((c) => c.node.id.startsWith('LogRetention'));
    if (logRetention) {
      const reason =
        "aws-cdk-lib's provider that sets the RDS log groups' retention; its role is not ours to shape.";
      acknowledgeManagedPolicies(logRetention, ['service-role/AWSLambdaBasicExecutionRole'], reason);
      acknowledgeWildcards(logRetention, [GRANT_ACTION_GROUPS.anyResource], reason);
    }
    this.database.addRotationSingleUser({ automaticallyAfter: Duration.days(db.credentialRotationDays) });

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

    const accessLogs = createAccessLogBucket(this, 'AccessLogs');
    this.filestore = new s3.Bucket(this, 'Filestore', {
      bucketName: filestoreBucketName(env.name),
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'filestore/',
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
    this.backupPlan = new backup.BackupPlan(this, 'BackupPlan', {
      backupVault: this.backupVault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'continuous',
          enableContinuousBackup: true,
          deleteAfter: Duration.days(env.backup.continuousRetentionDays),
          scheduleExpression: events.Schedule.cron({ hour: '3', minute: '0' }),
          startWindow: Duration.hours(1),
          completionWindow: Duration.hours(env.backup.rtoHours * 2),
        }),
        new backup.BackupPlanRule({
          ruleName: 'daily',
          deleteAfter: Duration.days(env.backup.dailyRetentionDays),
          scheduleExpression: events.Schedule.cron({ hour: '4', minute: '0' }),
          startWindow: Duration.hours(1),
          completionWindow: Duration.hours(env.backup.rtoHours * 2),
        }),
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
      description: 'AWS Backup: back up and restore the InfluenceGen database and filestore',
      managedPolicies: backupPolicies.map((name) => iam.ManagedPolicy.fromAwsManagedPolicyName(name)),
    }));
    this.key.grantEncryptDecrypt(backupRole);
    acknowledgeManagedPolicies(
      backupRole,
      backupPolicies,
      "AWS Backup's service-role policies are the documented way to let it back up and restore RDS and S3.",
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
        backup.BackupResource.fromArn(this.filestore.bucketArn),
      ],
    });
  }
}
