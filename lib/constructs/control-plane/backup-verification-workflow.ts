import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type * as backup from 'aws-cdk-lib/aws-backup';
import type * as efs from 'aws-cdk-lib/aws-efs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { PlatformConfig } from '../../config';
import { acknowledgeWildcards, ANY_RESOURCE, GRANT_ACTION_GROUPS } from '../nag';
import { resourceObjectives } from '../../../lambdas/core/backup/objectives';
import { Workflow } from '../workflow';
import { RestoreTests } from './restore-tests';
import { controlPlaneNames } from '../../config/naming';
import { backupSettings, planRequirements } from '../../config/workflow-settings';
import { runtimeEnvironment, runtimeFunction, type ControlPlaneRuntime } from './runtime';
import { workflowSchedules } from './workflow-schedule';

export interface BackupVerificationWorkflowProps {
  readonly runtime: ControlPlaneRuntime;
  readonly config: PlatformConfig;
  readonly escalation: sfn.IStateMachine;
  readonly vault: backup.IBackupVault;
  /** The database and images' plan (continuous backup). */
  readonly plan: backup.BackupPlan;
  /** The filestore's plan (EFS: hourly at most, no continuous backup). */
  readonly filestorePlan: backup.BackupPlan;
  readonly backupRole: iam.IRole;
  readonly database: rds.IDatabaseInstance;
  /** Odoo's filestore on EFS. */
  readonly filestore: efs.IFileSystem;
  /** The Flux workers' generated images. */
  readonly images: s3.IBucket;
  readonly databaseSecret: secretsmanager.ISecret;
  readonly dataKey: kms.IKey;
  /** The VPC the restore tests restore into and the validation functions run in. */
  readonly vpc: ec2.IVpc;
}

/**
 * The backup-verification workflow (state-machines/backup-verification.asl.json) with its Assess
 * function, its restore tests and its hourly trigger (EventBridge Scheduler, `checkPeriodically`).
 * It reads AWS Backup and RDS, starts the one re-run, and mounts a restored filestore for its
 * validation through direct SDK integrations; the router starts it for failed, aborted or expired
 * backup jobs, the Odoo_Backup_Failure alarm and ended restore jobs.
 */
export class BackupVerificationWorkflow extends Construct {
  readonly workflow: Workflow;

  constructor(scope: Construct, id: string, props: BackupVerificationWorkflowProps) {
    super(scope, id);
    const { runtime, config } = props;
    const stack = Stack.of(this);
    const restoreTests = new RestoreTests(this, 'RestoreTests', {
      runtime,
      config,
      vpc: props.vpc,
      vaultArn: props.vault.backupVaultArn,
      backupRole: props.backupRole,
      database: props.database,
      databaseSecret: props.databaseSecret,
      dataKey: props.dataKey,
      filestore: props.filestore,
    });
    const objectives = resourceObjectives(config.env.backup);
    const plans = planRequirements(config);
    const backupConfig = stack.toJsonString({
      ...backupSettings(config),
      vaultName: props.vault.backupVaultName,
      plans: [
        { id: props.plan.backupPlanId, ...plans.main },
        { id: props.filestorePlan.backupPlanId, ...plans.filestore },
      ],
      roleArn: props.backupRole.roleArn,
      resources: [
        {
          id: 'database',
          arn: props.database.instanceArn,
          type: 'RDS',
          name: props.database.instanceIdentifier,
          ...objectives.database,
        },
        {
          id: 'filestore',
          arn: props.filestore.fileSystemArn,
          type: 'EFS',
          name: props.filestore.fileSystemId,
          ...objectives.filestore,
        },
        {
          id: 'images',
          arn: props.images.bucketArn,
          type: 'S3',
          name: props.images.bucketName,
          ...objectives.images,
        },
      ],
      filestoreRestore: restoreTests.filestoreRestore,
    });
    const assess = runtimeFunction(
      this,
      runtime,
      { ...runtimeEnvironment(this, runtime), BACKUP_CONFIG: backupConfig },
      {
        name: 'backup-assess',
        description:
          'Backup verification: each protected resource against its objective; one re-run; escalation; restore tests',
        timeoutSeconds: 30,
      },
    );
    runtime.table.grantReadWriteData(assess.function);

    this.workflow = new Workflow(this, 'Workflow', {
      name: 'backup-verification',
      stateMachineName: controlPlaneNames(runtime.environment).backupVerification,
      logRetentionDays: runtime.logRetentionDays,
      logKey: runtime.key,
      substitutions: {
        AssessFunctionArn: assess.function.functionArn,
        ValidateFunctionArn: restoreTests.validate.function.functionArn,
        FilestoreValidateFunctionArn: restoreTests.validateFilestore.function.functionArn,
        EscalationStateMachineArn: props.escalation.stateMachineArn,
      },
    });
    const machine = this.workflow.stateMachine;
    assess.function.grantInvoke(machine);
    restoreTests.validate.function.grantInvoke(machine);
    restoreTests.validateFilestore.function.grantInvoke(machine);
    restoreTests.allowFilestoreTest(machine.role, props.filestore);
    // Listing recovery points and jobs, and describing a job, support no resource-level permissions.
    const backupJobActions = [
      'backup:ListRecoveryPointsByResource',
      'backup:ListBackupJobs',
      'backup:DescribeBackupJob',
    ];
    machine.addToRolePolicy(new iam.PolicyStatement({ actions: backupJobActions, resources: ['*'] }));
    acknowledgeWildcards(
      machine.role,
      [{ actions: backupJobActions, resources: ANY_RESOURCE }],
      'backup:ListRecoveryPointsByResource, ListBackupJobs and DescribeBackupJob support no resource-level permissions.',
    );
    machine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['backup:DescribeBackupVault', 'backup:StartBackupJob'],
        resources: [props.vault.backupVaultArn],
      }),
    );
    machine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['backup:GetBackupPlan'],
        resources: [props.plan.backupPlanArn, props.filestorePlan.backupPlanArn],
      }),
    );
    // The database, and the instances restore tests create (named by AWS Backup at run time).
    const anyInstance = stack.formatArn({
      service: 'rds',
      resource: 'db',
      resourceName: '*',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    machine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['rds:DescribeDBInstances'],
        resources: [props.database.instanceArn, anyInstance],
      }),
    );
    acknowledgeWildcards(
      machine.role,
      [{ actions: ['rds:DescribeDBInstances'], resources: anyInstance }],
      'Describing the instances restore tests create, named by AWS Backup at run time.',
    );
    // Restore jobs and their validation results support no resource-level permissions.
    const restoreJobActions = ['backup:DescribeRestoreJob', 'backup:PutRestoreValidationResult'];
    machine.addToRolePolicy(new iam.PolicyStatement({ actions: restoreJobActions, resources: ['*'] }));
    acknowledgeWildcards(
      machine.role,
      [{ actions: restoreJobActions, resources: ANY_RESOURCE }],
      'backup:DescribeRestoreJob and PutRestoreValidationResult support no resource-level permissions.',
    );
    machine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [props.backupRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'backup.amazonaws.com' } },
      }),
    );
    runtime.key.grantEncryptDecrypt(machine);
    props.escalation.grantStartExecution(machine);
    acknowledgeWildcards(
      machine.role,
      [GRANT_ACTION_GROUPS.functionVersions, GRANT_ACTION_GROUPS.kms],
      "Invoking the workflow's own functions (any version); key grant action groups on the control-plane key.",
    );
  }

  /**
   * The hourly assessment (EventBridge Scheduler), added once the router exists, whose dead-letter
   * queue also takes the starts Scheduler could not deliver here.
   */
  checkPeriodically(everySeconds: number, deadLetters: sqs.IQueue): void {
    const schedule = workflowSchedules(this, 'HourlyCheckRole', this.workflow.stateMachine, deadLetters);
    schedule('HourlyCheck', {
      description: 'Assess every protected resource against its objective',
      schedule: scheduler.ScheduleExpression.rate(Duration.seconds(everySeconds)),
      input: { requestedBy: 'schedule' },
    });
  }
}
