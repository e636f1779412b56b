import { Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { PlatformConfig } from '../../config';
import { RESTORE_TEST_SCHEDULE } from '../../config/constants';
import { SUBNETS } from '../../stacks/network-stack';
import { ODOO_DATABASE_NAME } from '../workloads/odoo-service';
import type { ControlPlaneFunction } from '../control-plane-function';
import { acknowledgeWildcards } from '../nag';
import { runtimeEnvironment, runtimeFunction, type ControlPlaneRuntime } from './runtime';

export interface RestoreTestsProps {
  readonly runtime: ControlPlaneRuntime;
  readonly config: PlatformConfig;
  readonly vpc: ec2.IVpc;
  readonly vaultArn: string;
  readonly backupRole: iam.IRole;
  readonly database: rds.IDatabaseInstance;
  readonly databaseSecret: secretsmanager.ISecret;
  /** Encrypts the database secret. */
  readonly dataKey: kms.IKey;
}

/**
 * Seed 003's tested restores: an AWS Backup restore testing plan that restores the Odoo database
 * from its newest recovery point every week into the isolated subnets, and the validation function
 * (in the VPC, allowed to reach only the restored instances) the workflow runs on the result. AWS
 * Backup deletes the restored instance after the validation window.
 */
export class RestoreTests extends Construct {
  readonly validate: ControlPlaneFunction;

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
    acknowledgeWildcards(
      this.validate.role,
      [/^Resource::\*$/],
      'The Lambda VPC network-interface actions support no resource-level permissions.',
    );
  }
}
