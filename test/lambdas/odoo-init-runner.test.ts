import { Logger } from '@aws-lambda-powertools/logger';
import { DescribeTasksCommand, ECSClient, RunTaskCommand, type Task } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { makeIsComplete, makeOnEvent, type OdooInitRunEvent } from '../../lambdas/odoo-init-runner';

/** The Odoo init run's custom resource handlers, ECS mocked at the SDK boundary. */
const ecs = new ECSClient({ region: 'eu-west-1' });
const ecsMock = mockClient(ecs);
const deps = { ecs, logger: new Logger({ logLevel: 'SILENT' }) };
const onEvent = makeOnEvent(deps);
const isComplete = makeIsComplete(deps);

const CLUSTER = 'arn:aws:ecs:eu-west-1:111122223333:cluster/influencegen-prod';
const TASK = 'arn:aws:ecs:eu-west-1:111122223333:task/influencegen-prod/0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const PROPS = {
  Cluster: CLUSTER,
  TaskDefinition: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/OdooInit:7',
  ContainerName: 'odoo',
  Subnets: ['subnet-a', 'subnet-b'],
  SecurityGroups: ['sg-db', 'sg-efs'],
  Trigger: 'odoo:18.0|base,web',
  LogGroup: '/ecs/odoo-init',
  LogStreamPrefix: 'odoo-init',
};
const event = (over: Partial<OdooInitRunEvent> = {}): OdooInitRunEvent => ({
  RequestType: 'Create',
  RequestId: '5b1f4a8e-1111-4c3b-9a1e-0d3c2b1a0f9e',
  StackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/workloads/1',
  LogicalResourceId: 'OdooInitRun',
  ResourceType: 'Custom::OdooInitRun',
  ResourceProperties: PROPS,
  ...over,
});
const stopped = (over: Partial<Task> = {}): Task => ({
  taskArn: TASK,
  lastStatus: 'STOPPED',
  stopCode: 'EssentialContainerExited',
  stoppedReason: 'Essential container in task exited',
  containers: [{ name: 'odoo', exitCode: 0 }],
  ...over,
});

beforeEach(() => ecsMock.reset());

describe('onEvent', () => {
  test('Create starts the task in the private subnets, without a public IP, and answers with its ARN', async () => {
    ecsMock.on(RunTaskCommand).resolves({ tasks: [{ taskArn: TASK }], failures: [] });
    expect(await onEvent(event())).toEqual({ PhysicalResourceId: TASK, Data: { TaskArn: TASK } });
    expect(ecsMock).toHaveReceivedCommandTimes(RunTaskCommand, 1);
    expect(ecsMock).toHaveReceivedCommandWith(RunTaskCommand, {
      cluster: CLUSTER,
      taskDefinition: PROPS.TaskDefinition,
      launchType: 'FARGATE',
      count: 1,
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: ['subnet-a', 'subnet-b'],
          securityGroups: ['sg-db', 'sg-efs'],
          assignPublicIp: 'DISABLED',
        },
      },
    });
  });

  test('the same request delivered twice asks ECS with the same idempotency token (one task)', async () => {
    ecsMock.on(RunTaskCommand).resolves({ tasks: [{ taskArn: TASK }] });
    await onEvent(event());
    await onEvent(event());
    const tokens = ecsMock.commandCalls(RunTaskCommand).map((c) => c.args[0].input.clientToken);
    expect(tokens).toEqual(['5b1f4a8e-1111-4c3b-9a1e-0d3c2b1a0f9e', '5b1f4a8e-1111-4c3b-9a1e-0d3c2b1a0f9e']);
    // A later Update (another request) is another run.
    await onEvent(event({ RequestType: 'Update', RequestId: 'another-request', PhysicalResourceId: TASK }));
    expect(ecsMock.commandCalls(RunTaskCommand).at(-1)?.args[0].input.clientToken).toBe('another-request');
  });

  test('a task that never started is a failure naming ECS reason', async () => {
    ecsMock.on(RunTaskCommand).resolves({
      tasks: [],
      failures: [
        {
          arn: 'arn:aws:ecs:eu-west-1:111122223333:container-instance/x',
          reason: 'RESOURCE:ENI',
          detail: 'no free ENI',
        },
      ],
    });
    await expect(onEvent(event())).rejects.toThrow(
      'the Odoo init task did not start: arn:aws:ecs:eu-west-1:111122223333:container-instance/x: RESOURCE:ENI: no free ENI',
    );
  });

  test('Delete starts nothing', async () => {
    expect(await onEvent(event({ RequestType: 'Delete', PhysicalResourceId: TASK }))).toEqual({
      PhysicalResourceId: TASK,
    });
    expect(ecsMock).not.toHaveReceivedCommand(RunTaskCommand);
  });
});

describe('isComplete', () => {
  const running = event({ PhysicalResourceId: TASK });

  test('a task still running is not complete', async () => {
    ecsMock
      .on(DescribeTasksCommand)
      .resolves({ tasks: [{ taskArn: TASK, lastStatus: 'RUNNING', containers: [{ name: 'odoo' }] }] });
    expect(await isComplete(running)).toEqual({ IsComplete: false });
    expect(ecsMock).toHaveReceivedCommandWith(DescribeTasksCommand, { cluster: CLUSTER, tasks: [TASK] });
  });

  test('exit code 0 is complete', async () => {
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [stopped()] });
    expect(await isComplete(running)).toEqual({ IsComplete: true, Data: { TaskArn: TASK } });
  });

  test('exit code 1 fails the deployment with the stopped reason and the log stream', async () => {
    ecsMock
      .on(DescribeTasksCommand)
      .resolves({ tasks: [stopped({ containers: [{ name: 'odoo', exitCode: 1 }] })] });
    await expect(isComplete(running)).rejects.toThrow(
      `the Odoo init task ${TASK} failed: container odoo exited 1; stopped: EssentialContainerExited, Essential container in task exited; ` +
        'logs: /ecs/odoo-init, stream odoo-init/odoo/0f1e2d3c4b5a69788796a5b4c3d2e1f0',
    );
  });

  test('a task that stopped before its container ran (image or secret not reachable) is a failure', async () => {
    ecsMock.on(DescribeTasksCommand).resolves({
      tasks: [
        stopped({
          stopCode: 'TaskFailedToStart',
          stoppedReason: 'ResourceInitializationError: unable to pull secrets or registry auth',
          containers: [{ name: 'odoo', reason: 'CannotPullContainerError' }],
        }),
      ],
    });
    await expect(isComplete(running)).rejects.toThrow(
      /container odoo stopped without an exit code \(CannotPullContainerError\); stopped: TaskFailedToStart, ResourceInitializationError: unable to pull secrets/,
    );
  });

  test('a task ECS does not know is a failure', async () => {
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [], failures: [{ arn: TASK, reason: 'MISSING' }] });
    await expect(isComplete(running)).rejects.toThrow(
      `the Odoo init task ${TASK} cannot be described: MISSING`,
    );
  });

  test('Delete is complete at once', async () => {
    expect(await isComplete(event({ RequestType: 'Delete', PhysicalResourceId: TASK }))).toEqual({
      IsComplete: true,
    });
    expect(ecsMock).not.toHaveReceivedCommand(DescribeTasksCommand);
  });
});
