import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { acknowledgeWildcards, GRANT_ACTION_GROUPS } from '../nag';

/** One EventBridge Scheduler schedule that starts the workflow with `input`. */
export interface WorkflowScheduleProps {
  readonly description: string;
  readonly schedule: scheduler.ScheduleExpression;
  readonly input: Record<string, unknown>;
}

/**
 * A start delivered later than this is stale: a periodic check's next run, or the periodic scale
 * evaluations that see the floor in force, take over from it.
 */
const MAX_START_AGE = Duration.minutes(30);
/** Scheduler's retries of a start Step Functions refused (throttled) before it is a dead letter. */
const START_RETRIES = 3;

/**
 * EventBridge Scheduler starts of one workflow, all as one role (created as `roleId` in `scope`),
 * with the starts Scheduler could not deliver in `deadLetters`. Returns the function that adds one
 * schedule (as `id` in `scope`).
 */
export function workflowSchedules(
  scope: Construct,
  roleId: string,
  stateMachine: sfn.IStateMachine,
  deadLetters: sqs.IQueue,
): (id: string, props: WorkflowScheduleProps) => scheduler.Schedule {
  // Scheduler writes dead letters as the schedule's role, and the queue is KMS-encrypted: the
  // role needs the key as well as sqs:SendMessage, which the target alone does not grant.
  const role = new iam.Role(scope, roleId, {
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
    }),
  });
  deadLetters.grantSendMessages(role);
  acknowledgeWildcards(
    role,
    [GRANT_ACTION_GROUPS.kms],
    'kms:GenerateDataKey*/ReEncrypt* are the action groups of the grant on the one key that encrypts the dead-letter queue.',
  );
  return (id, props) =>
    new scheduler.Schedule(scope, id, {
      description: props.description,
      schedule: props.schedule,
      target: new schedulerTargets.StepFunctionsStartExecution(stateMachine, {
        input: scheduler.ScheduleTargetInput.fromObject(props.input),
        role,
        deadLetterQueue: deadLetters,
        retryAttempts: START_RETRIES,
        maxEventAge: MAX_START_AGE,
      }),
    });
}
