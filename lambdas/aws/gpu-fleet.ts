import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  DescribeContainerInstancesCommand,
  DescribeTasksCommand,
  paginateListContainerInstances,
  paginateListTasks,
  type ECSClient,
  type Task,
} from '@aws-sdk/client-ecs';
import { GPU_METRIC_NAMES, GPU_METRICS_NAMESPACE } from '../../lib/config/gpu-metrics';
import type { InstanceObservation, QueueObservation } from '../core/gpu/types';
import { stat } from '../core/scaling/queries';
import { readSeries } from './metrics';

/** The deployed names the stall check reads. */
export interface GpuTargets {
  readonly cluster: string;
  /** The Flux serving service. */
  readonly service: string;
  /** The GPU hosts' capacity provider: its container instances are the fleet. */
  readonly capacityProvider: string;
  readonly queue: string;
}

/**
 * The GPU fleet host by host, as ECS knows it (the capacity provider's container instances and
 * the serving task on each), with each host's GPU utilisation and memory from the CloudWatch
 * agent (per InstanceId) and the generation queue's depth and oldest-message age, per minute over
 * the last `minutes`. A minute without a datapoint stays null.
 */
export async function observeGpuFleet(
  clients: { readonly ecs: ECSClient; readonly cloudwatch: CloudWatchClient },
  targets: GpuTargets,
  now: Date,
  minutes: number,
): Promise<{ instances: InstanceObservation[]; queue: QueueObservation }> {
  const { ecs } = clients;
  const hosts = await containerInstances(ecs, targets);
  const taskArns: string[] = [];
  for await (const page of paginateListTasks(
    { client: ecs },
    { cluster: targets.cluster, serviceName: targets.service, desiredStatus: 'RUNNING' },
  ))
    taskArns.push(...(page.taskArns ?? []));
  const tasks: Task[] = [];
  for (let i = 0; i < taskArns.length; i += 100) {
    const page = await ecs.send(
      new DescribeTasksCommand({ cluster: targets.cluster, tasks: taskArns.slice(i, i + 100) }),
    );
    tasks.push(...(page.tasks ?? []));
  }

  const queries = hosts.flatMap((h, i) => [
    stat(
      `u${i}`,
      GPU_METRICS_NAMESPACE,
      GPU_METRIC_NAMES.utilization,
      { InstanceId: h.instanceId },
      'Maximum',
    ),
    stat(
      `m${i}`,
      GPU_METRICS_NAMESPACE,
      GPU_METRIC_NAMES.memoryUtilization,
      { InstanceId: h.instanceId },
      'Maximum',
    ),
  ]);
  queries.push(
    stat('waiting', 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', { QueueName: targets.queue }, 'Minimum'),
    stat('age', 'AWS/SQS', 'ApproximateAgeOfOldestMessage', { QueueName: targets.queue }, 'Maximum'),
  );
  const series = await readSeries(clients.cloudwatch, queries, now, minutes);

  const instances = hosts.map((h, i): InstanceObservation => {
    const task = tasks.find((t) => t.containerInstanceArn === h.containerInstanceArn);
    return {
      instanceId: h.instanceId,
      status: h.status,
      ...(task?.taskArn
        ? {
            task: {
              taskArn: task.taskArn,
              lastStatus: task.lastStatus ?? 'UNKNOWN',
              ...(task.startedAt ? { startedAt: new Date(task.startedAt).toISOString() } : {}),
            },
          }
        : {}),
      utilisation: series[`u${i}`] ?? [],
      memory: series[`m${i}`] ?? [],
    };
  });
  return {
    instances,
    queue: { waiting: series.waiting ?? [], oldestAgeSeconds: series.age ?? [] },
  };
}

/** The capacity provider's hosts (ACTIVE and DRAINING): Odoo and n8n run on Fargate, not here. */
async function containerInstances(ecs: ECSClient, targets: GpuTargets) {
  const arns: string[] = [];
  for await (const page of paginateListContainerInstances({ client: ecs }, { cluster: targets.cluster }))
    arns.push(...(page.containerInstanceArns ?? []));
  const hosts = [];
  for (let i = 0; i < arns.length; i += 100) {
    const page = await ecs.send(
      new DescribeContainerInstancesCommand({
        cluster: targets.cluster,
        containerInstances: arns.slice(i, i + 100),
      }),
    );
    hosts.push(...(page.containerInstances ?? []));
  }
  return hosts
    .filter((h) => h.capacityProviderName === targets.capacityProvider && h.ec2InstanceId)
    .map((h) => ({
      instanceId: h.ec2InstanceId as string,
      containerInstanceArn: h.containerInstanceArn,
      status: h.status ?? 'UNKNOWN',
    }))
    .sort((a, b) => a.instanceId.localeCompare(b.instanceId));
}
