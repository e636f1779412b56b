import { ArnFormat, CustomResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { ControlPlaneFunction } from '../control-plane-function';
import { acknowledgeWildcards, ANY_RESOURCE, GRANT_ACTION_GROUPS } from '../nag';
import { retentionDays } from '../retention';
import { STATE_MACHINE_LOG_DELIVERY_ACTIONS } from '../workflow';

export interface OdooInitRunProps {
  readonly cluster: ecs.ICluster;
  /** The init task: the service's container settings with lib/config/odoo-init.ts's command. */
  readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The container whose exit code decides (the Odoo container). */
  readonly containerName: string;
  readonly vpcSubnets: ec2.SubnetSelection;
  /** Must reach PostgreSQL, the filestore, the image registry and Secrets Manager. */
  readonly securityGroups: ec2.ISecurityGroup[];
  /** Changes when the image or the module list changes: an Update that runs the task again. */
  readonly trigger: string;
  readonly logKey: kms.IKey;
  readonly logRetentionDays: number;
}

/** How long a deployment waits for the task: CloudFormation waits at most an hour for a custom resource. */
export const ODOO_INIT_TIMEOUT = Duration.hours(1);
const POLL_EVERY = Duration.seconds(30);

/**
 * Runs the Odoo init task once per deployment that changes it, and fails the deployment unless the
 * task's container exits 0 (with the stopped reason and the log stream in the error). Make the Odoo
 * service depend on `resource`: the service then starts only after the database was initialised.
 *
 * aws-cdk-lib's provider framework with isComplete: onEvent starts the task (RunTask, idempotent per
 * CloudFormation request), isComplete asks ECS every 30 s (DescribeTasks) for up to an hour, the
 * longest CloudFormation waits for a custom resource. Both are lambdas/odoo-init-runner, deployed
 * twice (RUNNER_PHASE). Delete does nothing. The framework's functions and its waiter state machine
 * run with our roles and log, encrypted and with retention, to our log groups.
 *
 * IAM: RunTask on the task definition's family in this cluster only, PassRole on its task and
 * execution roles only (to ECS tasks), DescribeTasks on this cluster's tasks.
 */
export class OdooInitRun extends Construct {
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: OdooInitRunProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { cluster, taskDefinition } = props;

    const runner = (phase: 'onEvent' | 'isComplete', description: string) =>
      new ControlPlaneFunction(this, phase === 'onEvent' ? 'Start' : 'Check', {
        name: 'odoo-init-runner',
        description,
        logKey: props.logKey,
        logRetentionDays: props.logRetentionDays,
        environment: { RUNNER_PHASE: phase },
      });
    const start = runner('onEvent', 'Starts the Odoo init task (custom resource onEvent)');
    const check = runner('isComplete', 'Waits for the Odoo init task to exit 0 (custom resource isComplete)');

    const onCluster = { ArnEquals: { 'ecs:cluster': cluster.clusterArn } };
    start.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['ecs:RunTask'],
        resources: [
          stack.formatArn({
            service: 'ecs',
            resource: 'task-definition',
            resourceName: `${taskDefinition.family}:*`,
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        ],
        conditions: onCluster,
      }),
    );
    start.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [
          taskDefinition.taskRole.roleArn,
          ...(taskDefinition.executionRole ? [taskDefinition.executionRole.roleArn] : []),
        ],
        conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      }),
    );
    check.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['ecs:DescribeTasks'],
        resources: [
          stack.formatArn({
            service: 'ecs',
            resource: 'task',
            resourceName: `${cluster.clusterName}/*`,
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        ],
        conditions: onCluster,
      }),
    );
    // The ids cdk-nag gives these wildcards: the ARN's partition, region and account are literal in
    // an environment-bound stack and placeholders in an agnostic one.
    const ecsArn =
      'Resource::arn:(aws[a-z-]*|<AWS::Partition>):ecs:([a-z0-9-]+|<AWS::Region>):(\\d{12}|<AWS::AccountId>)';
    const family = taskDefinition.family.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const familyRevisions = new RegExp(`^${ecsArn}:task-definition/${family}:\\*$`);
    acknowledgeWildcards(
      start.role,
      [familyRevisions],
      'RunTask on every revision of the init task definition family (each deploy registers a new one), in this cluster only.',
    );
    acknowledgeWildcards(
      check.role,
      [new RegExp(`^${ecsArn}:task/.+/\\*$`)],
      'DescribeTasks on tasks of this cluster: a task ARN is known only once RunTask has returned it.',
    );

    const frameworkLogs = new logs.LogGroup(this, 'ProviderLogs', {
      retention: retentionDays(props.logRetentionDays),
      encryptionKey: props.logKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const frameworkRole = (name: string, description: string) => {
      const role = new iam.Role(this, name, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description,
      });
      frameworkLogs.grantWrite(role);
      return role;
    };
    // The framework asks for two roles: its onEvent function starts the waiter that the other two use.
    const onEventRole = frameworkRole('ProviderOnEventRole', 'Odoo init provider framework: onEvent');
    const waiterRole = frameworkRole(
      'ProviderWaiterRole',
      'Odoo init provider framework: isComplete and onTimeout',
    );
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: start.function,
      isCompleteHandler: check.function,
      queryInterval: POLL_EVERY,
      totalTimeout: ODOO_INIT_TIMEOUT,
      logGroup: frameworkLogs,
      frameworkOnEventRole: onEventRole,
      frameworkCompleteAndTimeoutRole: waiterRole,
      disableWaiterStateMachineLogging: false,
      waiterStateMachineLogOptions: { destination: frameworkLogs, level: sfn.LogLevel.ALL },
    });
    const invokeReason =
      "The provider framework's grants to invoke its functions (any version of each one function).";
    acknowledgeWildcards(onEventRole, [GRANT_ACTION_GROUPS.functionVersions], invokeReason);
    acknowledgeWildcards(waiterRole, [GRANT_ACTION_GROUPS.functionVersions], invokeReason);
    const waiter = provider.node.findChild('waiter-state-machine');
    acknowledgeWildcards(
      waiter,
      [GRANT_ACTION_GROUPS.functionVersions],
      "The framework's waiter invokes its isComplete and onTimeout functions (any version of each).",
    );
    // aws-cdk-lib's waiter state machine grants its log delivery (and two log-writing actions) on *.
    acknowledgeWildcards(
      waiter,
      [
        {
          actions: [...STATE_MACHINE_LOG_DELIVERY_ACTIONS, 'logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: ANY_RESOURCE,
        },
      ],
      "CloudWatch Logs delivery actions support no resource-level permissions; aws-cdk-lib's provider framework writes this statement (with CreateLogStream/PutLogEvents) and offers no way to narrow it.",
    );
    Validations.of(waiter).acknowledge({
      id: 'AwsSolutions-SF2',
      reason:
        "aws-cdk-lib's provider framework builds its waiter state machine without an X-Ray option; its executions are logged (ALL) instead.",
    });

    const container = taskDefinition.findContainer(props.containerName);
    if (!container)
      throw new Error(`OdooInitRun: task definition has no container named ${props.containerName}`);
    const logOptions = container.logDriverConfig?.options ?? {};
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::OdooInitRun',
      serviceTimeout: ODOO_INIT_TIMEOUT,
      properties: {
        Cluster: cluster.clusterArn,
        TaskDefinition: taskDefinition.taskDefinitionArn,
        ContainerName: props.containerName,
        Subnets: cluster.vpc.selectSubnets(props.vpcSubnets).subnetIds,
        SecurityGroups: props.securityGroups.map((g) => g.securityGroupId),
        Trigger: props.trigger,
        ...(logOptions['awslogs-group'] ? { LogGroup: logOptions['awslogs-group'] } : {}),
        ...(logOptions['awslogs-stream-prefix']
          ? { LogStreamPrefix: logOptions['awslogs-stream-prefix'] }
          : {}),
      },
    });
  }
}
