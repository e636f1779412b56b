import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeContainerInstancesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListContainerInstancesCommand,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { observeGpuFleet } from '../../lambdas/aws/gpu-fleet';

const ecs = new ECSClient({ region: 'eu-west-1' });
const cloudwatch = new CloudWatchClient({ region: 'eu-west-1' });
const ecsMock = mockClient(ecs);
const cwMock = mockClient(cloudwatch);
const targets = { cluster: 'influencegen', service: 'flux', capacityProvider: 'gpu-cp', queue: 'generation' };
const NOW = new Date('2026-11-23T10:00:30Z');
const ci = (id: string) => `arn:aws:ecs:eu-west-1:1:container-instance/influencegen/${id}`;

beforeEach(() => {
  ecsMock.reset();
  cwMock.reset();
});

describe('observeGpuFleet (the stall check reading ECS and CloudWatch)', () => {
  test('every page of hosts and tasks; hosts of other capacity providers left out; missing minutes stay null', async () => {
    ecsMock
      .on(ListContainerInstancesCommand)
      .resolvesOnce({ containerInstanceArns: [ci('a')], nextToken: 'page-2' })
      .resolvesOnce({ containerInstanceArns: [ci('b'), ci('other')] });
    // Each describe answers only what it is asked for: a host or task the paging missed stays missing.
    const containerInstances = [
      {
        containerInstanceArn: ci('a'),
        ec2InstanceId: 'i-a',
        status: 'ACTIVE',
        capacityProviderName: 'gpu-cp',
      },
      {
        containerInstanceArn: ci('b'),
        ec2InstanceId: 'i-b',
        status: 'DRAINING',
        capacityProviderName: 'gpu-cp',
      },
      {
        containerInstanceArn: ci('other'),
        ec2InstanceId: 'i-x',
        status: 'ACTIVE',
        capacityProviderName: 'cpu-cp',
      },
    ];
    ecsMock.on(DescribeContainerInstancesCommand).callsFake((input: { containerInstances: string[] }) => ({
      containerInstances: containerInstances.filter((c) =>
        input.containerInstances.includes(c.containerInstanceArn),
      ),
    }));
    ecsMock
      .on(ListTasksCommand)
      .resolvesOnce({ taskArns: ['t-a'], nextToken: 'next' })
      .resolvesOnce({ taskArns: ['t-b'] });
    const tasks = [
      {
        taskArn: 't-a',
        containerInstanceArn: ci('a'),
        lastStatus: 'RUNNING',
        startedAt: new Date('2026-11-23T09:00:00Z'),
      },
      { taskArn: 't-b', containerInstanceArn: ci('b'), lastStatus: 'STOPPING' },
    ];
    ecsMock.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({
      tasks: tasks.filter((t) => input.tasks.includes(t.taskArn)),
    }));
    const minute = (m: number) => new Date(Date.UTC(2026, 10, 23, 9, m));
    cwMock.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'u0', Timestamps: [minute(55), minute(57)], Values: [0, 0] },
        { Id: 'waiting', Timestamps: [minute(59)], Values: [12] },
      ],
    });

    const { instances, queue } = await observeGpuFleet({ ecs, cloudwatch }, targets, NOW, 5);

    expect(ecsMock).toHaveReceivedCommandWith(ListContainerInstancesCommand, {
      cluster: 'influencegen',
      nextToken: 'page-2',
    });
    expect(ecsMock).toHaveReceivedCommandWith(ListTasksCommand, {
      serviceName: 'flux',
      desiredStatus: 'RUNNING',
      nextToken: 'next',
    });
    expect(instances).toEqual([
      {
        instanceId: 'i-a',
        status: 'ACTIVE',
        task: { taskArn: 't-a', lastStatus: 'RUNNING', startedAt: '2026-11-23T09:00:00.000Z' },
        utilisation: [0, null, 0, null, null],
        memory: [null, null, null, null, null],
      },
      {
        instanceId: 'i-b',
        status: 'DRAINING',
        task: { taskArn: 't-b', lastStatus: 'STOPPING' },
        utilisation: [null, null, null, null, null],
        memory: [null, null, null, null, null],
      },
    ]);
    expect(queue).toEqual({
      waiting: [null, null, null, null, 12],
      oldestAgeSeconds: [null, null, null, null, null],
    });
    const queries = cwMock.commandCalls(GetMetricDataCommand)[0]?.args[0].input.MetricDataQueries ?? [];
    expect(
      queries.map((q) => [q.Id, q.MetricStat?.Metric?.Dimensions?.[0]?.Value, q.MetricStat?.Stat]),
    ).toEqual([
      ['u0', 'i-a', 'Maximum'],
      ['m0', 'i-a', 'Maximum'],
      ['u1', 'i-b', 'Maximum'],
      ['m1', 'i-b', 'Maximum'],
      ['waiting', 'generation', 'Minimum'],
      ['age', 'generation', 'Maximum'],
    ]);
  });

  test('no GPU hosts: an empty fleet, and the queue still read', async () => {
    ecsMock.on(ListContainerInstancesCommand).resolves({});
    ecsMock.on(ListTasksCommand).resolves({});
    cwMock.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'waiting', Timestamps: [new Date(Date.UTC(2026, 10, 23, 9, 59))], Values: [3] },
      ],
    });
    const { instances, queue } = await observeGpuFleet({ ecs, cloudwatch }, targets, NOW, 5);
    expect(instances).toEqual([]);
    expect(queue.waiting).toEqual([null, null, null, null, 3]);
    const queries = cwMock.commandCalls(GetMetricDataCommand)[0]?.args[0].input.MetricDataQueries ?? [];
    expect(queries.map((q) => q.Id)).toEqual(['waiting', 'age']);
  });
});
