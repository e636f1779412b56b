import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as efs from 'aws-cdk-lib/aws-efs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { PlatformConfig } from '../../config';
import { RESTORE_TEST_SCHEDULE } from '../../config/constants';
import { SUBNETS } from '../../config/network';
import { ODOO_DATABASE_NAME } from '../workloads/odoo-service';
import type { ControlPlaneFunction } from '../control-plane-function';
import { acknowledgeWildcards, ANY_RESOURCE } from '../nag';
import { FILESTORE_RESTORE_TEST, filestoreRestoreSettings } from '../../config/filestore';
import { resourceObjectives } from '../../../lambdas/core/backup/objectives';
import type { FilestoreRestoreSettings } from '../../../lambdas/aws/backup-config';
import { runtimeEnvironment, runtimeFunction, type ControlPlaneRuntime } from './runtime';

export interface RestoreTestsProps {
  readonly runtime: ControlPlaneRuntime;
  readonly config: PlatformConfig;
  /** The VPC the database is restored into and the validation functions run in. */
  readonly vpc: ec2.IVpc;
  readonly vaultArn: string;
  readonly backupRole: iam.IRole;
  readonly database: rds.IDatabaseInstance;
  readonly databaseSecret: secretsmanager.ISecret;
  /** Encrypts the database secret, and the restored copies of the filestore. */
  readonly dataKey: kms.IKey;
  /** The live filestore: restored by the tests, never touched by them. */
  readonly filestore: efs.IFileSystem;
}

/**
 * Seed 003's tested restores: an AWS Backup restore testing plan that restores the Odoo database
 * and the Odoo filestore from their newest recovery points every week, and the two validation
 * functions the workflow runs on the results. The database lands in the isolated subnets, reachable
 * only by its validation function (PostgreSQL). A restored file system has no mount target: the
 * workflow makes them in the filestore validation function's subnets, in a security group only that
 * function reaches (NFS), and removes them after, so that AWS Backup can delete the copy at the end
 * of the validation window (state-machines/backup-verification.asl.json).
 */
export class RestoreTests extends Construct {
  readonly validate: ControlPlaneFunction;
  readonly validateFilestore: ControlPlaneFunction;
  /** What the workflow's Assess function passes on to mount a restored file system (BACKUP_CONFIG). */
  readonly filestoreRestore: FilestoreRestoreSettings;
  private readonly restoredFilestoreGroup: ec2.SecurityGroup;
  private readonly filestoreSubnets: ec2.SelectedSubnets;

  constructor(scope: Construct, id: string, props: RestoreTestsProps) {
    super(scope, id);
    const { runtime, config, vpc } = props;
    const stack = Stack.of(this);
    const validatorGroup = new ec2.SecurityGroup(this, 'ValidatorSecurityGroup', {
      vpc,
      description: 'Restore validation: reaches the restored databases and Secrets Manager',
    });
    const restoredGroup = new ec2.SecurityGroup(this, 'RestoredDatabaseSecurityGroup', {
      vpc,
      description: 'Databases restored by restore tests: PostgreSQL from the validation function only',
      allowAllOutbound: false,
    });
    restoredGroup.addIngressRule(
      validatorGroup,
      ec2.Port.tcp(5432),
      'PostgreSQL from the restore validation',
    );
    const subnets = new rds.SubnetGroup(this, 'RestoredDatabaseSubnets', {
      vpc,
      vpcSubnets: { subnetGroupName: SUBNETS.isolated },
      description: 'Isolated subnets for databases restored by restore tests',
    });

    this.validate = runtimeFunction(
      this,
      runtime,
      {
        ...runtimeEnvironment(this, runtime),
        // Node.js 20+ Lambda runtimes load the Amazon CAs (RDS's certificates among them) only when
        // told to: without this, TLS to the restored instance fails verification.
        NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
        RESTORE_CONFIG: stack.toJsonString({
          secretArn: props.databaseSecret.secretArn,
          databaseName: ODOO_DATABASE_NAME,
          objectives: { rpoMinutes: config.env.backup.rpoMinutes, rtoHours: config.env.backup.rtoHours },
        }),
      },
      {
        name: 'restore-validate',
        description: 'Restore test: validate the restored Odoo database at the data level',
        timeoutSeconds: 60,
        vpc,
        securityGroups: [validatorGroup],
      },
    );
    // IAM statements on the function's own role: a grant on the secret or its key would write their
    // policies in the data stack, which is deployed before this one.
    this.validate.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [props.databaseSecret.secretArn],
      }),
    );
    this.validate.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [props.dataKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com` } },
      }),
    );

    // The filestore: its validation function speaks NFS to the restored copy's mount targets and
    // nothing else; the mount targets take NFS from it and nothing else.
    const filestoreValidatorGroup = new ec2.SecurityGroup(this, 'FilestoreValidatorSecurityGroup', {
      vpc,
      description: 'Filestore restore validation: NFS to the restored file systems only',
      allowAllOutbound: false,
    });
    this.restoredFilestoreGroup = new ec2.SecurityGroup(this, 'RestoredFilestoreSecurityGroup', {
      vpc,
      description:
        'Mount targets of file systems restored by restore tests: NFS from the validation function only',
      allowAllOutbound: false,
    });
    this.restoredFilestoreGroup.addIngressRule(
      filestoreValidatorGroup,
      ec2.Port.tcp(2049),
      'NFS from the filestore restore validation',
    );
    filestoreValidatorGroup.addEgressRule(
      this.restoredFilestoreGroup,
      ec2.Port.tcp(2049),
      'NFS to the restored file systems',
    );
    this.validateFilestore = runtimeFunction(
      this,
      runtime,
      {
        FILESTORE_RESTORE_CONFIG: stack.toJsonString({
          mountPath: FILESTORE_RESTORE_TEST.localMountPath,
          database: ODOO_DATABASE_NAME,
          objectiveMinutes: resourceObjectives(config.env.backup).filestore.objectiveMinutes,
          rtoHours: config.env.backup.rtoHours,
        }),
      },
      {
        name: 'filestore-restore-validate',
        description: 'Restore test: validate the restored Odoo filestore (EFS) at the data level',
        timeoutSeconds: 60,
        vpc,
        securityGroups: [filestoreValidatorGroup],
      },
    );
    // Read-only: ClientMount without ClientWrite. Restored file systems are new ARNs, reached only
    // through a mount target (the workflow makes them in this function's subnets).
    this.validateFilestore.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['elasticfilesystem:ClientMount'],
        resources: [efsArn(stack, 'file-system')],
        conditions: { Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' } },
      }),
    );
    acknowledgeWildcards(
      this.validateFilestore.role,
      [
        {
          actions: ['elasticfilesystem:ClientMount'],
          resources: efsArn(stack, 'file-system'),
          conditionKeys: ['elasticfilesystem:AccessedViaMountTarget'],
        },
      ],
      'The file systems restore tests create are new ARNs, known only when AWS Backup has made them (read-only, through a mount target).',
    );
    // The same subnets ControlPlaneFunction puts a VPC function in: one mount target in each.
    this.filestoreSubnets = vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });
    const { uid, gid } = config.env.odoo.filestoreOwner;
    this.filestoreRestore = filestoreRestoreSettings({
      subnetIds: this.filestoreSubnets.subnetIds,
      securityGroupId: this.restoredFilestoreGroup.securityGroupId,
      posixUser: { uid, gid },
      environment: config.env.name,
    });

    const planName = `influencegen_${config.env.name}_restore_test`;
    const plan = new backup.CfnRestoreTestingPlan(this, 'Plan', {
      restoreTestingPlanName: planName,
      // The newest point of the last day, on the schedule of lib/config.
      scheduleExpression: RESTORE_TEST_SCHEDULE.scheduleExpression,
      startWindowHours: RESTORE_TEST_SCHEDULE.startWindowHours,
      recoveryPointSelection: {
        algorithm: 'LATEST_WITHIN_WINDOW',
        includeVaults: [props.vaultArn],
        recoveryPointTypes: ['CONTINUOUS', 'SNAPSHOT'],
        selectionWindowDays: 1,
      },
    });
    const selection = new backup.CfnRestoreTestingSelection(this, 'Database', {
      restoreTestingPlanName: planName,
      restoreTestingSelectionName: 'odoo_database',
      iamRoleArn: props.backupRole.roleArn,
      protectedResourceType: 'RDS',
      protectedResourceArns: [props.database.instanceArn],
      // The restored instance lands in the isolated subnets, reachable by the validation only.
      restoreMetadataOverrides: {
        dbSubnetGroupName: subnets.subnetGroupName,
        vpcSecurityGroupIds: stack.toJsonString([restoredGroup.securityGroupId]),
        multiAZ: 'false',
      },
      // The validation runs within minutes of the restore; the instance is kept a few hours for people.
      validationWindowHours: config.env.backup.rtoHours,
    });
    selection.node.addDependency(plan);
    // A restore test of EFS restores to a new file system (AWS Backup infers newFileSystem=true),
    // encrypted; with the data key rather than EFS's AWS managed key, like the live filestore.
    const filestoreSelection = new backup.CfnRestoreTestingSelection(this, 'Filestore', {
      restoreTestingPlanName: planName,
      restoreTestingSelectionName: 'odoo_filestore',
      iamRoleArn: props.backupRole.roleArn,
      protectedResourceType: 'EFS',
      protectedResourceArns: [props.filestore.fileSystemArn],
      restoreMetadataOverrides: { kmsKeyId: props.dataKey.keyArn },
      validationWindowHours: config.env.backup.rtoHours,
    });
    filestoreSelection.node.addDependency(plan);
  }

  /**
   * What the workflow needs to mount a restored file system for the validation function and remove
   * the mount again, each as narrow as the API allows: the restored file systems are new ARNs, so
   * the EFS statements name every file system of the account, and the live filestore is denied
   * outright; access points are created with the workflow's tag and only tagged ones deleted; the
   * mount targets' network interfaces only in the validation subnets and security group; the
   * function configuration of the one validation function.
   */
  allowFilestoreTest(role: iam.IRole, liveFilestore: efs.IFileSystem): void {
    const stack = Stack.of(this);
    const fileSystems = efsArn(stack, 'file-system');
    const accessPoints = efsArn(stack, 'access-point');
    const tagKey = FILESTORE_RESTORE_TEST.accessPointTagKey;
    const tagValue = this.filestoreRestore.accessPointTag.value;
    const subnets = this.filestoreSubnets.subnetIds.map((id) =>
      stack.formatArn({ service: 'ec2', resource: 'subnet', resourceName: id }),
    );
    const statements = [
      new iam.PolicyStatement({
        actions: [
          'elasticfilesystem:CreateMountTarget',
          'elasticfilesystem:DeleteMountTarget',
          'elasticfilesystem:DescribeMountTargets',
          'elasticfilesystem:DescribeAccessPoints',
        ],
        resources: [fileSystems, accessPoints],
      }),
      new iam.PolicyStatement({
        actions: ['elasticfilesystem:CreateAccessPoint'],
        resources: [fileSystems],
        conditions: {
          StringEquals: { [`aws:RequestTag/${tagKey}`]: tagValue },
          'ForAllValues:StringEquals': { 'aws:TagKeys': [tagKey] },
        },
      }),
      // Tagging on create is authorized as TagResource of the new access point.
      new iam.PolicyStatement({
        actions: ['elasticfilesystem:TagResource'],
        resources: [accessPoints],
        conditions: {
          StringEquals: {
            'elasticfilesystem:CreateAction': 'CreateAccessPoint',
            [`aws:RequestTag/${tagKey}`]: tagValue,
          },
        },
      }),
      new iam.PolicyStatement({
        actions: ['elasticfilesystem:DeleteAccessPoint'],
        resources: [accessPoints],
        conditions: { StringEquals: { [`aws:ResourceTag/${tagKey}`]: tagValue } },
      }),
      // Never the live filestore, whatever a restore job names.
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        actions: [
          'elasticfilesystem:CreateMountTarget',
          'elasticfilesystem:DeleteMountTarget',
          'elasticfilesystem:CreateAccessPoint',
        ],
        resources: [liveFilestore.fileSystemArn],
      }),
      // CreateMountTarget makes the mount target's network interface as the caller.
      new iam.PolicyStatement({
        actions: ['ec2:CreateNetworkInterface'],
        resources: [
          ...subnets,
          stack.formatArn({
            service: 'ec2',
            resource: 'security-group',
            resourceName: this.restoredFilestoreGroup.securityGroupId,
          }),
          stack.formatArn({ service: 'ec2', resource: 'network-interface', resourceName: '*' }),
        ],
      }),
      new iam.PolicyStatement({
        actions: ['ec2:DeleteNetworkInterface'],
        resources: [stack.formatArn({ service: 'ec2', resource: 'network-interface', resourceName: '*' })],
        conditions: { ArnEquals: { 'ec2:Subnet': subnets } },
      }),
      new iam.PolicyStatement({
        actions: ['ec2:DescribeSubnets', 'ec2:DescribeNetworkInterfaces'],
        resources: ['*'],
      }),
      // The one function whose file-system configuration the workflow points at a restored copy.
      new iam.PolicyStatement({
        actions: ['lambda:UpdateFunctionConfiguration', 'lambda:GetFunctionConfiguration'],
        resources: [this.validateFilestore.function.functionArn],
      }),
    ];
    for (const statement of statements) role.addToPrincipalPolicy(statement);
    const networkInterfaces = stack.formatArn({
      service: 'ec2',
      resource: 'network-interface',
      resourceName: '*',
    });
    acknowledgeWildcards(
      role,
      [
        {
          actions: [
            'elasticfilesystem:CreateMountTarget',
            'elasticfilesystem:DeleteMountTarget',
            'elasticfilesystem:DescribeMountTargets',
            'elasticfilesystem:DescribeAccessPoints',
            'elasticfilesystem:CreateAccessPoint',
          ],
          resources: fileSystems,
        },
        {
          actions: [
            'elasticfilesystem:CreateMountTarget',
            'elasticfilesystem:DeleteMountTarget',
            'elasticfilesystem:DescribeMountTargets',
            'elasticfilesystem:DescribeAccessPoints',
            'elasticfilesystem:TagResource',
            'elasticfilesystem:DeleteAccessPoint',
          ],
          resources: accessPoints,
        },
      ],
      "Restore tests of the filestore: AWS Backup creates each restored file system at run time (a new ARN; the live filestore is denied); access points are created with the workflow's tag and deleted only with it.",
    );
    acknowledgeWildcards(
      role,
      [
        {
          actions: ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface'],
          resources: networkInterfaces,
        },
      ],
      "A mount target's network interface is new (created only in the validation subnets and security group, deleted only there).",
    );
    acknowledgeWildcards(
      role,
      [{ actions: ['ec2:DescribeSubnets', 'ec2:DescribeNetworkInterfaces'], resources: ANY_RESOURCE }],
      'ec2:DescribeSubnets / DescribeNetworkInterfaces support no resource-level permissions.',
    );
  }
}

/** Every EFS resource of `resource` type in the stack's account and region (`file-system/*`). */
function efsArn(stack: Stack, resource: 'file-system' | 'access-point'): string {
  return stack.formatArn({
    service: 'elasticfilesystem',
    resource,
    resourceName: '*',
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}
