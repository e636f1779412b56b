import type { CommandAnswers } from '../aws/answered-client';
import { serviceError } from '../aws/answered-client';

/**
 * What stalls a GPU host, and so what repairs it: `task` a hung serving process (a new task
 * repairs it), `host` a wedged GPU or driver (every task on that host stalls again; a new host
 * repairs it), `outside` something no host change repairs (a bad model artifact, a poisoned
 * queue): only people do.
 */
export type StallCause = 'task' | 'host' | 'outside';

export interface GpuHostsOptions {
  /** The twin's (or the test's) clock. */
  readonly now: () => Date;
}

interface Level {
  readonly at: number;
  /** Null: the host publishes no GPU metrics at all (its agent is down). */
  readonly utilisation: number | null;
  readonly memory: number | null;
}

interface Host {
  readonly instanceId: string;
  readonly containerInstanceArn: string;
  readonly registeredAt: number;
  status: 'ACTIVE' | 'DRAINING' | 'GONE';
  task?: { taskArn: string; startedAt: number };
  cause?: StallCause;
  silent: boolean;
  readonly levels: Level[];
}

const MINUTE = 60_000;
const containerInstanceArn = (instanceId: string) =>
  `arn:aws:ecs:eu-west-1:123456789012:container-instance/influencegen/${instanceId}`;
const LOADED_MEMORY = 62;
/** GPU utilisation (%) of a serving host. */
const BUSY_UTILISATION = 70;
/** A new host joins the cluster after this (DESIGN.md: a GPU host boots in 5-8 minutes). */
const BOOT_MS = 6 * MINUTE;
/** A new task loads the model for this long before it serves. */
const LOAD_MS = 2 * MINUTE;
/** The generation queue while a stall is modelled: work waiting all along. */
const QUEUE = { waiting: 40, oldestAgeSeconds: 900 } as const;

/**
 * The GPU fleet host by host, as the stalled-GPU workflow reads and acts on it: ECS container
 * instances and the serving task on each, each host's GPU utilisation and memory per minute,
 * the generation queue, and the effects of StopTask (ECS starts a new task) and SetInstanceHealth
 * Unhealthy (Auto Scaling replaces the host, desired capacity unchanged). The workflow tests and
 * the simulator's stall scenario both run the real workflow against it.
 */
export class GpuHosts {
  private readonly hosts: Host[] = [];
  private sequence = 0;
  /** Every action taken on the fleet, in order: what the tests and the report read. */
  readonly actions: Array<{
    readonly at: Date;
    readonly action: 'stop-task' | 'replace';
    readonly instanceId: string;
  }> = [];
  readonly capacityProvider = 'flux-gpu-capacity';

  constructor(private readonly options: GpuHostsOptions) {}

  /** A host serving since `since` (default: an hour before now). */
  add(instanceId: string, options: { since?: Date; silent?: boolean } = {}): void {
    const at = (options.since ?? new Date(this.nowMs() - 60 * MINUTE)).getTime();
    this.hosts.push({
      instanceId,
      containerInstanceArn: containerInstanceArn(instanceId),
      registeredAt: at,
      status: 'ACTIVE',
      task: { taskArn: this.newTaskArn(instanceId), startedAt: at },
      silent: options.silent ?? false,
      levels: [this.serving(at, options.silent ?? false)],
    });
  }

  /** The host stops serving at `at`: GPU 0 % with the model still in memory. */
  stall(instanceId: string, cause: StallCause, at: Date = this.options.now()): void {
    const host = this.host(instanceId);
    host.cause = cause;
    host.levels.push({
      at: at.getTime(),
      utilisation: host.silent ? null : 0,
      memory: host.silent ? null : LOADED_MEMORY,
    });
  }

  /** People removed the cause (a fixed model, a rebooted driver): the host serves again from `at`. */
  clear(instanceId: string, at: Date = this.options.now()): void {
    const host = this.host(instanceId);
    host.cause = undefined;
    host.levels.push(this.serving(at.getTime(), host.silent));
  }

  stopTask(taskArn: string): void {
    const host = this.hosts.find((h) => h.task?.taskArn === taskArn && h.status !== 'GONE');
    if (!host)
      throw serviceError('InvalidParameterException', `The referenced task ${taskArn} was not found.`);
    const now = this.nowMs();
    this.actions.push({ at: new Date(now), action: 'stop-task', instanceId: host.instanceId });
    host.task = { taskArn: this.newTaskArn(host.instanceId), startedAt: now };
    if (host.cause === 'task') host.cause = undefined;
    this.startTask(host, now);
  }

  /** Auto Scaling terminates the host (after ECS drains it) and launches a replacement. */
  setUnhealthy(instanceId: string): void {
    const host = this.hosts.find((h) => h.instanceId === instanceId && h.status === 'ACTIVE');
    if (!host)
      throw serviceError(
        'ValidationError',
        `Instance Id not found - No managed instance found for instance ID: ${instanceId}`,
      );
    const now = this.nowMs();
    this.actions.push({ at: new Date(now), action: 'replace', instanceId });
    host.status = 'GONE';
    host.task = undefined;
    const replacement = `${instanceId}-r${++this.sequence}`;
    const registeredAt = now + BOOT_MS;
    const next: Host = {
      instanceId: replacement,
      containerInstanceArn: containerInstanceArn(replacement),
      registeredAt,
      status: 'ACTIVE',
      task: { taskArn: this.newTaskArn(replacement), startedAt: registeredAt },
      // A cause outside the host follows the work to the new host.
      ...(host.cause === 'outside' ? { cause: 'outside' as const } : {}),
      silent: host.silent,
      levels: [],
    };
    this.hosts.push(next);
    this.startTask(next, registeredAt);
  }

  /** Hosts in service now, by id. */
  inService(): string[] {
    return this.visible()
      .filter((h) => h.status === 'ACTIVE')
      .map((h) => h.instanceId);
  }

  /** ECS: the capacity provider's container instances, the Flux tasks, StopTask. */
  ecsAnswers(): CommandAnswers {
    return {
      ListContainerInstancesCommand: () => ({
        containerInstanceArns: this.visible().map((h) => h.containerInstanceArn),
      }),
      DescribeContainerInstancesCommand: (input: { containerInstances?: string[] }) => ({
        containerInstances: this.visible()
          .filter((h) => input.containerInstances?.includes(h.containerInstanceArn))
          .map((h) => ({
            containerInstanceArn: h.containerInstanceArn,
            ec2InstanceId: h.instanceId,
            status: h.status,
            capacityProviderName: this.capacityProvider,
          })),
      }),
      ListTasksCommand: () => ({
        taskArns: this.runningTasks().map((t) => t.taskArn),
      }),
      DescribeTasksCommand: (input: { tasks?: string[] }) => ({
        tasks: this.runningTasks()
          .filter((t) => input.tasks?.includes(t.taskArn))
          .map((t) => ({
            taskArn: t.taskArn,
            containerInstanceArn: t.containerInstanceArn,
            lastStatus: 'RUNNING',
            startedAt: new Date(t.startedAt),
          })),
      }),
      StopTaskCommand: (input: { task?: string }) => {
        this.stopTask(input.task ?? '');
        return { task: { taskArn: input.task, desiredStatus: 'STOPPED' } };
      },
    };
  }

  /** CloudWatch: per-minute GPU utilisation and memory by InstanceId, the queue by QueueName. */
  cloudWatchAnswers(): CommandAnswers {
    return {
      GetMetricDataCommand: (input: {
        MetricDataQueries?: Array<{
          Id?: string;
          ReturnData?: boolean;
          MetricStat?: {
            Metric?: { MetricName?: string; Dimensions?: Array<{ Name?: string; Value?: string }> };
          };
        }>;
        StartTime?: Date;
        EndTime?: Date;
      }) => {
        const start = new Date(input.StartTime ?? 0).getTime();
        const end = new Date(input.EndTime ?? 0).getTime();
        return {
          MetricDataResults: (input.MetricDataQueries ?? [])
            .filter((q) => q.ReturnData !== false)
            .map((q) => {
              const metric = q.MetricStat?.Metric;
              const dimension = metric?.Dimensions?.[0];
              const timestamps: Date[] = [];
              const values: number[] = [];
              for (let t = Math.ceil(start / MINUTE) * MINUTE; t < end; t += MINUTE) {
                const v = this.datapoint(
                  metric?.MetricName ?? '',
                  dimension?.Name ?? '',
                  dimension?.Value ?? '',
                  t,
                );
                if (v === null) continue;
                timestamps.push(new Date(t));
                values.push(v);
              }
              return { Id: q.Id, Timestamps: timestamps, Values: values, StatusCode: 'Complete' };
            }),
        };
      },
    };
  }

  private datapoint(metric: string, dimension: string, value: string, at: number): number | null {
    if (dimension === 'QueueName') {
      const queue = QUEUE;
      if (metric === 'ApproximateNumberOfMessagesVisible') return queue.waiting;
      if (metric === 'ApproximateAgeOfOldestMessage') return queue.oldestAgeSeconds;
      return null;
    }
    if (dimension !== 'InstanceId') return null;
    const host = this.hosts.find((h) => h.instanceId === value);
    if (!host || at < host.registeredAt) return null;
    const level = [...host.levels].reverse().find((l) => l.at <= at);
    if (!level) return null;
    return metric.endsWith('utilization_gpu') ? level.utilisation : level.memory;
  }

  /** A task loads for loadMinutes (GPU 0 %, memory filling), then serves, unless its cause remains. */
  private startTask(host: Host, at: number): void {
    const silent = host.silent;
    host.levels.push({ at, utilisation: silent ? null : 0, memory: silent ? null : 10 });
    const loaded = at + LOAD_MS;
    host.levels.push(
      host.cause
        ? { at: loaded, utilisation: silent ? null : 0, memory: silent ? null : LOADED_MEMORY }
        : this.serving(loaded, silent),
    );
  }

  private serving(at: number, silent: boolean): Level {
    return { at, utilisation: silent ? null : BUSY_UTILISATION, memory: silent ? null : LOADED_MEMORY };
  }

  private runningTasks() {
    const now = this.nowMs();
    return this.visible().flatMap((h) =>
      h.task && h.task.startedAt <= now ? [{ ...h.task, containerInstanceArn: h.containerInstanceArn }] : [],
    );
  }

  private visible(): Host[] {
    const now = this.nowMs();
    return this.hosts.filter((h) => h.status !== 'GONE' && h.registeredAt <= now);
  }

  private host(instanceId: string): Host {
    const host = this.hosts.find((h) => h.instanceId === instanceId);
    if (!host) throw new Error(`no GPU host ${instanceId}`);
    return host;
  }

  private newTaskArn(instanceId: string): string {
    return `arn:aws:ecs:eu-west-1:123456789012:task/influencegen/${instanceId}-t${++this.sequence}`;
  }

  private nowMs(): number {
    return this.options.now().getTime();
  }
}
