import { Duration, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { AlertDefinition } from '../../config/alert-schema';
import { PERIODIC_SCALE_EVALUATION_SECONDS } from '../../config/constants';
import { alarmNamePrefix, type WorkflowName } from '../../config/naming';
import { ControlPlaneFunction } from '../control-plane-function';
import { runtimeEnvironment, type ControlPlaneRuntime } from './runtime';

export interface AlarmRouterProps {
  readonly runtime: ControlPlaneRuntime;
  /** ARNs of the workflows deployed so far; a signal for another workflow is logged and ignored. */
  readonly workflows: Partial<Record<WorkflowName, sfn.IStateMachine>>;
  readonly alerts: readonly AlertDefinition[];
  /** Components the scale-decision workflow re-evaluates every 5 minutes. */
  readonly periodicScaleComponents: readonly string[];
  /** The ECS cluster whose service actions (placement failures, steady state) matter. */
  readonly clusterArn: string;
}

/**
 * The alarm router and what feeds it: EventBridge rules for this environment's alarm state
 * changes, AWS Backup job failures and the cluster's ECS service actions. Deliveries the router
 * could not take (after EventBridge's retries) land in an encrypted dead-letter queue.
 */
export class AlarmRouter extends Construct {
  readonly function: ControlPlaneFunction;
  readonly deadLetters: sqs.Queue;

  constructor(scope: Construct, id: string, props: AlarmRouterProps) {
    super(scope, id);
    const { runtime } = props;
    const workflowArns = Object.fromEntries(
      Object.entries(props.workflows).map(([name, w]) => [name, w?.stateMachineArn]),
    );
    this.function = new ControlPlaneFunction(this, 'Function', {
      name: 'alarm-router',
      description: 'Normalises alarms and AWS events and starts the matching workflow',
      environment: runtimeEnvironment(this, runtime, workflowArns),
      logRetentionDays: runtime.logRetentionDays,
      logKey: runtime.key,
      timeout: Duration.seconds(15),
    });
    for (const workflow of Object.values(props.workflows))
      workflow?.grantStartExecution(this.function.function);

    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: runtime.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the router rules.',
    });
    const target = new targets.LambdaFunction(this.function.function, {
      deadLetterQueue: this.deadLetters,
      retryAttempts: 8,
      maxEventAge: Duration.hours(2),
    });

    new events.Rule(this, 'AlarmStateChanges', {
      description: `State changes of the ${runtime.environment} catalogue alarms`,
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        detail: { alarmName: events.Match.prefix(alarmNamePrefix(runtime.environment)) },
      },
      targets: [target],
    });

    const backupStates = [
      ...new Set(
        props.alerts.flatMap((a) =>
          a.alsoFromEvents?.source === 'aws.backup' ? a.alsoFromEvents.states : [],
        ),
      ),
    ];
    new events.Rule(this, 'BackupJobFailures', {
      description: 'AWS Backup jobs that failed, were aborted or expired',
      eventPattern: {
        source: ['aws.backup'],
        detailType: ['Backup Job State Change'],
        detail: { state: backupStates },
      },
      targets: [target],
    });

    new events.Rule(this, 'RestoreJobEnds', {
      description: 'Restore jobs that ended: restore tests are validated by the backup-verification workflow',
      eventPattern: {
        source: ['aws.backup'],
        detailType: ['Restore Job State Change'],
        detail: { status: ['COMPLETED', 'FAILED', 'ABORTED'] },
      },
      targets: [target],
    });

    const ecsEvents = props.alerts.flatMap((a) =>
      a.signal.type === 'event' && a.signal.source === 'aws.ecs' ? a.signal.states : [],
    );
    new events.Rule(this, 'EcsServiceActions', {
      description: 'Placement failures and recoveries of the platform services',
      eventPattern: {
        source: ['aws.ecs'],
        detailType: ['ECS Service Action'],
        detail: { clusterArn: [props.clusterArn], eventName: [...ecsEvents, 'SERVICE_STEADY_STATE'] },
      },
      targets: [target],
    });

    for (const component of props.periodicScaleComponents) {
      new events.Rule(this, `PeriodicScale-${component}`, {
        description: `Re-evaluate the scaling of ${component}`,
        schedule: events.Schedule.rate(Duration.seconds(PERIODIC_SCALE_EVALUATION_SECONDS)),
        targets: [
          new targets.LambdaFunction(this.function.function, {
            event: events.RuleTargetInput.fromObject({ schedule: `scale-${component}` }),
            deadLetterQueue: this.deadLetters,
            retryAttempts: 2,
            maxEventAge: Duration.minutes(5),
          }),
        ],
      });
    }
  }
}
