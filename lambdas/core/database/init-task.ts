/**
 * Judges the one-off Odoo init task (lib/config/odoo-init.ts) from what ECS DescribeTasks says of
 * it. Pure: the runner (lambdas/odoo-init-runner) passes the fields it read.
 */
export interface InitTaskView {
  readonly taskArn: string;
  readonly lastStatus?: string;
  readonly stopCode?: string;
  readonly stoppedReason?: string;
  readonly containers: ReadonlyArray<{
    readonly name?: string;
    readonly exitCode?: number;
    readonly reason?: string;
  }>;
}

/** Where the container's log stream is (awslogs driver: `<prefix>/<container>/<task id>`). */
export interface InitTaskLogs {
  readonly group?: string;
  readonly streamPrefix?: string;
}

export type InitTaskVerdict =
  | { readonly state: 'running'; readonly status: string }
  | { readonly state: 'succeeded' }
  | { readonly state: 'failed'; readonly message: string };

export function logStreamOf(taskArn: string, containerName: string, logs: InitTaskLogs): string | undefined {
  const taskId = taskArn.split('/').at(-1);
  return logs.streamPrefix && taskId ? `${logs.streamPrefix}/${containerName}/${taskId}` : undefined;
}

export function judgeInitTask(
  task: InitTaskView,
  containerName: string,
  logs: InitTaskLogs,
): InitTaskVerdict {
  const status = task.lastStatus ?? 'UNKNOWN';
  if (status !== 'STOPPED') return { state: 'running', status };
  const container = task.containers.find((c) => c.name === containerName);
  if (container?.exitCode === 0) return { state: 'succeeded' };
  const stream = logStreamOf(task.taskArn, containerName, logs);
  const reason = container?.reason ? ` (${container.reason})` : '';
  const what =
    container === undefined
      ? `it has no container named ${containerName}`
      : container.exitCode === undefined
        ? `container ${containerName} stopped without an exit code${reason}`
        : `container ${containerName} exited ${container.exitCode}${reason}`;
  const stopped = `stopped: ${task.stopCode ?? 'no stop code'}, ${task.stoppedReason ?? 'no reason given'}`;
  const where = stream ? `; logs: ${logs.group ?? 'its log group'}, stream ${stream}` : '';
  return {
    state: 'failed',
    message: `the Odoo init task ${task.taskArn} failed: ${what}; ${stopped}${where}`,
  };
}
