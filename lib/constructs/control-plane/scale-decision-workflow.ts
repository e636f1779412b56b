import { Stack, TimeZone } from 'aws-cdk-lib';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { PlatformConfig } from '../../config';
import type { ComponentId } from '../../config/constants';
import { acknowledgeWildcards, GRANT_ACTION_GROUPS } from '../nag';
import { Workflow } from '../workflow';
import { controlPlaneNames } from '../../config/naming';
import { scalingSettings } from '../../config/workflow-settings';
import { runtimeEnvironment, runtimeFunction, type ControlPlaneRuntime } from './runtime';
import { workflowSchedules } from './workflow-schedule';

export interface ScaleDecisionWorkflowProps {
  readonly runtime: ControlPlaneRuntime;
  readonly config: PlatformConfig;
  readonly escalation: sfn.IStateMachine;
  readonly cluster: ecs.ICluster;
  readonly services: Readonly<Record<ComponentId, ecs.IBaseService>>;
  readonly queueName: string;
  readonly loadBalancerFullName: string;
  readonly targetGroupFullName: string;
  readonly databaseIdentifier: string;
}

/**
 * The scale-decision workflow (state-machines/scale-decision.asl.json) with its Plan, Verify and
 * Record functions. It acts through direct SDK integrations (ECS UpdateService, the DynamoDB lock,
 * starting the escalation workflow); the router and its periodic schedules start it.
 */
export class ScaleDecisionWorkflow extends Construct {
  readonly workflow: Workflow;
  private readonly config: PlatformConfig;

  constructor(scope: Construct, id: string, props: ScaleDecisionWorkflowProps) {
    super(scope, id);
    const { runtime, config } = props;
    this.config = config;
    const stack = Stack.of(this);
    const scalingConfig = stack.toJsonString({
      ...scalingSettings(config),
      targets: {
        cluster: props.cluster.clusterName,
        services: Object.fromEntries(Object.entries(props.services).map(([c, s]) => [c, s.serviceName])),
        queue: props.queueName,
        loadBalancer: props.loadBalancerFullName,
        targetGroup: props.targetGroupFullName,
        database: props.databaseIdentifier,
      },
    });
    const environment = { ...runtimeEnvironment(this, runtime), SCALING_CONFIG: scalingConfig };
    const fn = (name: string, description: string) =>
      runtimeFunction(this, runtime, environment, { name, description, timeoutSeconds: 60 });
    const observe = fn(
      'scale-observe',
      'Scale decision: validate the request; read the fleet and the metrics',
    );
    const plan = fn('scale-plan', 'Scale decision: read the ledger and flags; decide; record');
    const verify = fn(
      'scale-verify',
      'Scale decision: has the service reached its new capacity, and is it helping?',
    );
    const record = fn('scale-record', 'Scale decision: record the outcome and time to scale');
    const serviceArns = Object.values(props.services).map((s) => s.serviceArn);
    for (const f of [plan, record]) runtime.table.grantReadWriteData(f.function);
    for (const f of [observe, verify]) {
      f.function.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['ecs:DescribeServices'], resources: serviceArns }),
      );
      // GetMetricData has no resource-level permissions.
      f.function.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['cloudwatch:GetMetricData'], resources: ['*'] }),
      );
    }

    this.workflow = new Workflow(this, 'Workflow', {
      name: 'scale-decision',
      stateMachineName: controlPlaneNames(runtime.environment).scaleDecision,
      logRetentionDays: runtime.logRetentionDays,
      logKey: runtime.key,
      substitutions: {
        ObserveFunctionArn: observe.function.functionArn,
        PlanFunctionArn: plan.function.functionArn,
        VerifyFunctionArn: verify.function.functionArn,
        RecordFunctionArn: record.function.functionArn,
        StateTable: runtime.table.tableName,
        EscalationStateMachineArn: props.escalation.stateMachineArn,
      },
    });
    const machine = this.workflow.stateMachine;
    for (const f of [observe, plan, verify, record]) f.function.grantInvoke(machine);
    machine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ecs:UpdateService', 'ecs:DescribeServices'],
        resources: serviceArns,
      }),
    );
    machine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
        resources: [runtime.table.tableArn],
      }),
    );
    runtime.key.grantEncryptDecrypt(machine);
    props.escalation.grantStartExecution(machine);
    acknowledgeWildcards(
      machine.role,
      [GRANT_ACTION_GROUPS.functionVersions, GRANT_ACTION_GROUPS.kms],
      "Invoking the workflow's own four functions (any version); key grant action groups on the control-plane key.",
    );
  }

  /**
   * The off-peak schedule (lambdas/core/scaling/scheduled.ts): for each component whose policy
   * enables it, where automatic scaling is on, an EventBridge Scheduler cron in the window's own
   * time zone starts this workflow at the window's start (lower toward the off-peak count) and at
   * its end (restore the daytime minimum). Added once the router exists, whose dead-letter queue
   * also takes the starts Scheduler could not deliver here. A start delivered twice decides twice:
   * the second finds the fleet at its count and holds.
   */
  scheduleOffPeak(deadLetters: sqs.IQueue): void {
    if (!this.config.env.scaling.enabled) return;
    const components = Object.values(this.config.components).filter((c) => c.offPeak.enabled);
    if (components.length === 0) return;
    // One role for every component's starts; a start later than 30 minutes is no longer the
    // window's edge: the periodic evaluations, which see the floor in force, take over.
    const schedule = workflowSchedules(this, 'OffPeakRole', this.workflow.stateMachine, deadLetters);
    for (const policy of components) {
      const { start, end, timezone } = policy.offPeak;
      const edges = [
        [
          'Start',
          'off-peak-start',
          start,
          `Off-peak starts: lower ${policy.id} toward ${policy.offPeak.minCapacity}`,
        ],
        ['End', 'off-peak-end', end, `Off-peak ends: restore ${policy.id}'s daytime minimum`],
      ] as const;
      for (const [suffix, scheduled, hhmm, description] of edges) {
        schedule(`OffPeak${suffix}-${policy.id}`, {
          description,
          schedule: scheduler.ScheduleExpression.cron({
            minute: String(Number(hhmm.slice(3, 5))),
            hour: String(Number(hhmm.slice(0, 2))),
            timeZone: TimeZone.of(timezone),
          }),
          input: { component: policy.id, scheduled },
        });
      }
    }
  }
}
