import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { AlertDefinition } from '../../config/alert-schema';
import { PERIODIC_SCALE_EVALUATION_SECONDS } from '../../config/constants';
import { alarmNamePrefix, type WorkflowName } from '../../config/naming';
import { EXECUTION_FAILURE_STATUSES } from '../../config/constants';
import { ControlPlaneFunction } from '../control-plane-function';
import { deadLetterQueue } from './dead-letters';
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
 * changes, AWS Backup job failures, the cluster's ECS service actions and the failed executions of
 * its workflows. Nothing is dropped silently: a delivery EventBridge could not make lands in
 * `deadLetters`, an invocation that failed after Lambda's retries in `failedInvocations`
 * (DeadLetterAlarms pages on both).
 */
export class AlarmRouter extends Construct {
  readonly function: ControlPlaneFunction;
  /** Events EventBridge could not deliver to their target (the router, or a scheduled workflow). */
  readonly deadLetters: sqs.Queue;
  /** Invocations of the router that still failed after Lambda's retries, or came too late. */
  readonly failedInvocations: sqs.Queue;

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

    // EventBridge invokes the router asynchronously: once Lambda has accepted an event, EventBridge's
    // retries and dead-letter queue are done with it, and a router that throws (Step Functions
    // throttling, an outage) is retried by Lambda alone. An on-failure destination, not a Lambda
    // dead-letter queue: its record carries the event together with why it failed (the condition,
    // RetriesExhausted or EventAgeExceeded, the attempts, and the error the router threw), where a
    // DLQ message carries the event with only an error code in its attributes.
    this.failedInvocations = deadLetterQueue(
      this,
      'FailedInvocations',
      runtime.key,
      'the on-failure records of router invocations that failed after their retries',
    );
    this.function.function.configureAsyncInvoke({
      onFailure: new destinations.SqsDestination(this.failedInvocations),
      // Lambda's maximum; a start that keeps failing for three attempts is a real outage.
      retryAttempts: 2,
      // As long as EventBridge's own retries below: a page two hours late is still worth sending.
      maxEventAge: Duration.hours(2),
    });

    this.deadLetters = deadLetterQueue(
      this,
      'DeadLetters',
      runtime.key,
      'the events EventBridge could not deliver to the router or a scheduled workflow',
    );
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

    // A control-plane execution that failed, timed out or was aborted: the router pages the alert
    // it was handling through a new escalation execution (lambdas/core/routing/route.ts).
    const stateMachineArns = Object.values(props.workflows)
      .filter((w): w is sfn.IStateMachine => w !== undefined)
      .map((w) => w.stateMachineArn);
    if (stateMachineArns.length > 0) {
      new events.Rule(this, 'FailedExecutions', {
        description: `Failed, timed-out or aborted executions of the ${runtime.environment} control-plane workflows`,
        eventPattern: {
          source: ['aws.states'],
          detailType: ['Step Functions Execution Status Change'],
          detail: { status: [...EXECUTION_FAILURE_STATUSES], stateMachineArn: stateMachineArns },
        },
        targets: [target],
      });
    }

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
