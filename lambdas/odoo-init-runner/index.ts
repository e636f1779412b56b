import { Logger } from '@aws-lambda-powertools/logger';
import { DescribeTasksCommand, ECSClient, RunTaskCommand } from '@aws-sdk/client-ecs';
import { judgeInitTask } from '../core/database/init-task';
import {
  requiredString,
  type CustomResourceEvent,
  type IsCompleteResult,
  type OnEventResult,
} from '../aws/custom-resource';
import { lazyHandler } from '../aws/lazy-handler';

/** As lib/constructs/workloads/odoo-init-run.ts writes them. */
export interface OdooInitRunProperties {
  readonly Cluster: string;
  readonly TaskDefinition: string;
  readonly ContainerName: string;
  readonly Subnets: readonly string[];
  readonly SecurityGroups: readonly string[];
  /** Changes with the image and the module list: its only job is to make CloudFormation send an Update. */
  readonly Trigger: string;
  readonly LogGroup?: string;
  readonly LogStreamPrefix?: string;
}

export type OdooInitRunEvent = CustomResourceEvent<OdooInitRunProperties>;
/** isComplete receives the event with onEvent's result merged in. */
export type OdooInitRunCompleteEvent = OdooInitRunEvent & Partial<OnEventResult>;

export interface RunnerDeps {
  readonly ecs: ECSClient;
  readonly logger: Logger;
}

/**
 * onEvent of the Odoo init run (provider framework, asynchronous): on Create and Update, starts the
 * init task (its command is in the task definition: lib/config/odoo-init.ts) and returns its ARN as
 * the physical id; isComplete polls it. Delete starts nothing: the database stays as it is.
 *
 * RunTask's clientToken is the CloudFormation request id, so if this function is invoked again for
 * the same request (the framework's retries), ECS returns the task it already started instead of
 * starting a second one.
 */
export function makeOnEvent(deps: RunnerDeps) {
  return async (event: OdooInitRunEvent): Promise<OnEventResult> => {
    if (event.RequestType === 'Delete') {
      return { PhysicalResourceId: event.PhysicalResourceId ?? 'odoo-init-not-run' };
    }
    const props = event.ResourceProperties;
    const cluster = requiredString(props, 'Cluster');
    const result = await deps.ecs.send(
      new RunTaskCommand({
        cluster,
        taskDefinition: requiredString(props, 'TaskDefinition'),
        launchType: 'FARGATE',
        count: 1,
        clientToken: event.RequestId.slice(0, 64),
        startedBy: 'cloudformation-odoo-init',
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: [...props.Subnets],
            securityGroups: [...props.SecurityGroups],
            assignPublicIp: 'DISABLED',
          },
        },
      }),
    );
    const task = result.tasks?.[0];
    if (!task?.taskArn || (result.failures?.length ?? 0) > 0) {
      const failures = (result.failures ?? []).map((f) =>
        [f.arn, f.reason, f.detail].filter(Boolean).join(': '),
      );
      throw new Error(
        `the Odoo init task did not start: ${failures.join('; ') || 'RunTask returned no task'}`,
      );
    }
    deps.logger.info('odoo init task started', { taskArn: task.taskArn, trigger: props.Trigger });
    return { PhysicalResourceId: task.taskArn, Data: { TaskArn: task.taskArn } };
  };
}

/** isComplete: not yet while the task runs; done when its container exited 0; a failure otherwise. */
export function makeIsComplete(deps: RunnerDeps) {
  return async (event: OdooInitRunCompleteEvent): Promise<IsCompleteResult> => {
    if (event.RequestType === 'Delete') return { IsComplete: true };
    const props = event.ResourceProperties;
    const taskArn = event.PhysicalResourceId;
    if (!taskArn) throw new Error('isComplete was called without the task ARN onEvent returned');
    const containerName = requiredString(props, 'ContainerName');
    const described = await deps.ecs.send(
      new DescribeTasksCommand({ cluster: requiredString(props, 'Cluster'), tasks: [taskArn] }),
    );
    const task = described.tasks?.find((t) => t.taskArn === taskArn);
    if (!task) {
      const reason = described.failures?.map((f) => f.reason).join('; ') || 'not found';
      throw new Error(`the Odoo init task ${taskArn} cannot be described: ${reason}`);
    }
    const verdict = judgeInitTask(
      {
        taskArn,
        lastStatus: task.lastStatus,
        stopCode: task.stopCode,
        stoppedReason: task.stoppedReason,
        containers: (task.containers ?? []).map((c) => ({
          name: c.name,
          exitCode: c.exitCode,
          reason: c.reason,
        })),
      },
      containerName,
      { group: props.LogGroup, streamPrefix: props.LogStreamPrefix },
    );
    if (verdict.state === 'failed') throw new Error(verdict.message);
    if (verdict.state === 'running') {
      deps.logger.info('odoo init task still running', { taskArn, status: verdict.status });
      return { IsComplete: false };
    }
    deps.logger.info('odoo init task succeeded', { taskArn });
    return { IsComplete: true, Data: { TaskArn: taskArn } };
  };
}

/**
 * One bundle, two functions: the construct deploys it twice, as onEvent and as isComplete, telling
 * each which it is (RUNNER_PHASE); the framework passes both the same event shape.
 */
export const handler = lazyHandler(
  (): RunnerDeps & { phase: string } => ({
    ecs: new ECSClient({ maxAttempts: 5 }),
    logger: new Logger(),
    phase: process.env.RUNNER_PHASE ?? '',
  }),
  (deps): ((event: OdooInitRunCompleteEvent) => Promise<OnEventResult | IsCompleteResult>) => {
    if (deps.phase === 'onEvent') return makeOnEvent(deps);
    if (deps.phase === 'isComplete') return makeIsComplete(deps);
    throw new Error(`RUNNER_PHASE must be onEvent or isComplete, not ${JSON.stringify(deps.phase)}`);
  },
);
