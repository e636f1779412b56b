import { Duration, Stack } from 'aws-cdk-lib';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { PlatformConfig } from '../../config';
import { REMEDIATION_NOTICE_CHANNELS } from '../../config/escalation';
import { PERIODIC_REQUESTER } from '../../config/constants';
import { TAG_KEYS } from '../../tags';
import { acknowledgeWildcards, ANY_RESOURCE, GRANT_ACTION_GROUPS } from '../nag';
import { Workflow } from '../workflow';
import { controlPlaneNames } from '../../config/naming';
import { stallSettings } from '../../config/workflow-settings';
import { runtimeEnvironment, runtimeFunction, type ControlPlaneRuntime } from './runtime';

export interface StalledGpuWorkflowProps {
  readonly runtime: ControlPlaneRuntime;
  readonly config: PlatformConfig;
  readonly escalation: sfn.IStateMachine;
  readonly cluster: ecs.ICluster;
  readonly service: ecs.IBaseService;
  readonly capacityProviderName: string;
  readonly queueName: string;
}

/**
 * The stalled-GPU workflow (state-machines/stalled-gpu.asl.json) with its Check, Act and Close
 * functions, and its periodic trigger (`checkPeriodically`): the composite alarm AI_Service_Stalled
 * (through the router) sees only a whole-fleet stall, so every host is also checked on a schedule. It acts through
 * direct SDK integrations: ECS StopTask on the cluster's tasks, Auto Scaling SetInstanceHealth on
 * the GPU group, SNS on the notice channels, and starting the escalation workflow.
 */
export class StalledGpuWorkflow extends Construct {
  readonly workflow: Workflow;

  constructor(scope: Construct, id: string, props: StalledGpuWorkflowProps) {
    super(scope, id);
    const { runtime, config } = props;
    const stack = Stack.of(this);
    const stallConfig = stack.toJsonString({
      ...stallSettings(config),
      targets: {
        cluster: props.cluster.clusterName,
        service: props.service.serviceName,
        capacityProvider: props.capacityProviderName,
        queue: props.queueName,
      },
    });
    const environment = { ...runtimeEnvironment(this, runtime), STALL_CONFIG: stallConfig };
    const fn = (name: string, description: string) =>
      runtimeFunction(this, runtime, environment, { name, description, timeoutSeconds: 60 });
    const check = fn('stall-check', 'Stalled GPU: classify every GPU host (reads ECS and CloudWatch only)');
    const act = fn(
      'stall-act',
      'Stalled GPU: claim, open or join the incident, check the remediation budget',
    );
    const close = fn('stall-close', 'Stalled GPU: record, resolve and notify, or prepare the escalation');
    for (const f of [act, close]) runtime.table.grantReadWriteData(f.function);

    // ECS task and container-instance ARNs are known only at run time: any resource, but only in
    // this environment's cluster (ecs:cluster), which also keeps cross-stack tokens out of the ARNs.
    const inCluster = { ArnEquals: { 'ecs:cluster': props.cluster.clusterArn } };
    check.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ecs:ListContainerInstances'],
        resources: [props.cluster.clusterArn],
      }),
    );
    const checkEcsActions = ['ecs:DescribeContainerInstances', 'ecs:ListTasks', 'ecs:DescribeTasks'];
    check.function.addToRolePolicy(
      new iam.PolicyStatement({ actions: checkEcsActions, resources: ['*'], conditions: inCluster }),
    );
    acknowledgeWildcards(
      check.role,
      [{ actions: checkEcsActions, resources: ANY_RESOURCE, conditionKeys: ['ecs:cluster'] }],
      "Reading the GPU hosts' container instances and tasks, whose ARNs are known only at run time, in this environment's cluster only (ecs:cluster).",
    );
    // GetMetricData has no resource-level permissions.
    check.function.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['cloudwatch:GetMetricData'], resources: ['*'] }),
    );

    this.workflow = new Workflow(this, 'Workflow', {
      name: 'stalled-gpu',
      stateMachineName: controlPlaneNames(runtime.environment).stalledGpu,
      logRetentionDays: runtime.logRetentionDays,
      logKey: runtime.key,
      substitutions: {
        CheckFunctionArn: check.function.functionArn,
        ActFunctionArn: act.function.functionArn,
        CloseFunctionArn: close.function.functionArn,
        EscalationStateMachineArn: props.escalation.stateMachineArn,
      },
    });
    const machine = this.workflow.stateMachine;
    for (const f of [check, act, close]) f.function.grantInvoke(machine);
    machine.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['ecs:StopTask'], resources: ['*'], conditions: inCluster }),
    );
    acknowledgeWildcards(
      machine.role,
      [{ actions: ['ecs:StopTask'], resources: ANY_RESOURCE, conditionKeys: ['ecs:cluster'] }],
      "Stopping a stalled serving task (its ARN is known only at run time) in this environment's cluster only (ecs:cluster).",
    );
    // A group's ARN carries a UUID known only once it exists: the GPU group is named by its tags.
    machine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['autoscaling:SetInstanceHealth'],
        resources: ['*'],
        conditions: {
          StringEquals: {
            [`autoscaling:ResourceTag/${TAG_KEYS.component}`]: 'flux-gpu',
            [`autoscaling:ResourceTag/${TAG_KEYS.environment}`]: config.env.name,
          },
        },
      }),
    );
    acknowledgeWildcards(
      machine.role,
      [
        {
          actions: ['autoscaling:SetInstanceHealth'],
          resources: ANY_RESOURCE,
          conditionKeys: [
            `autoscaling:ResourceTag/${TAG_KEYS.component}`,
            `autoscaling:ResourceTag/${TAG_KEYS.environment}`,
          ],
        },
      ],
      'Marking a stalled GPU host unhealthy, in the GPU group only (named by its component and environment tags: its ARN carries a UUID).',
    );
    for (const channel of REMEDIATION_NOTICE_CHANNELS) runtime.topics[channel].grantPublish(machine);
    runtime.key.grantEncryptDecrypt(machine);
    props.escalation.grantStartExecution(machine);
    acknowledgeWildcards(
      machine.role,
      [GRANT_ACTION_GROUPS.functionVersions, GRANT_ACTION_GROUPS.kms],
      "Invoking the workflow's own three functions (any version); key grant action groups on the control-plane key.",
    );
  }

  /**
   * The periodic per-host check. Added once the router exists, whose dead-letter queue also takes
   * the starts EventBridge could not deliver here (the router is given this workflow's ARN first).
   */
  checkPeriodically(everySeconds: number, deadLetters: sqs.IQueue): void {
    new events.Rule(this, 'PeriodicCheck', {
      description: 'Check every GPU host for a stall (the composite alarm sees only a whole-fleet stall)',
      schedule: events.Schedule.rate(Duration.seconds(everySeconds)),
      targets: [
        new targets.SfnStateMachine(this.workflow.stateMachine, {
          input: events.RuleTargetInput.fromObject({ requestedBy: PERIODIC_REQUESTER }),
          deadLetterQueue: deadLetters,
          retryAttempts: 2,
          // A start older than one period is superseded by the next check.
          maxEventAge: Duration.seconds(everySeconds),
        }),
      ],
    });
  }
}
