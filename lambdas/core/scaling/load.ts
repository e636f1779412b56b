import type { ScalingInput, Series, Signal } from './types';

/** Jobs waiting plus running per running worker (n8n in queue mode, lib/config/scale-alerts.ts). */
export const QUEUE_SIGNAL = 'workflow-queue-per-worker' satisfies Signal;

/**
 * A component's load per minute, in instances' worth of work: 1 is what one instance serves at
 * 100 % of its capacity. Right-sizing divides it by the target utilisation. Null where a datapoint
 * is missing (never zero).
 */
export interface Load {
  readonly values: Series;
  /** What one unit is, for the decision's reason. */
  readonly unit: string;
  /** The signals this load is computed from: a rule on one of them is answered by right-sizing. */
  readonly signals: readonly Signal[];
}

/**
 * - Odoo: CPU (the service's average, %) times the tasks running that minute (Container Insights'
 *   RunningTaskCount; the current count where the minute has none). A saturated fleet (100 %)
 *   shows only what it serves: sizing that to the target still asks for 100 / target times as
 *   many, as target tracking does, and the next evaluation sees the rest.
 * - n8n: jobs waiting or running (the queue signal times the workers it was measured over), over
 *   one worker's slots: a worker with every slot busy is 1.
 * - flux-gpu: generation jobs arriving a minute over one GPU's throughput, plus the backlog spread
 *   over the drain time: what keeps up with arrivals and clears the queue in `drainMinutes`.
 */
export function componentLoad(input: ScalingInput, concurrency: number): Load {
  const { policy, fleet } = input;
  /** Tasks running in minute `i` of a series of `length` (aligned on the newest); the current count where unknown. */
  const tasks = (i: number, length: number): number => {
    const series = input.tasks ?? [];
    return series[series.length - length + i] ?? fleet.running;
  };
  if (policy.id === 'flux-gpu') {
    const gpu = input.gpu;
    const arrivals = input.arrivals ?? [];
    const backlog = input.metrics['queue-backlog'] ?? [];
    const perGpu = Math.max(gpu?.jobsPerGpuPerMinute ?? 1, 0.001);
    const drain = Math.max(gpu?.drainMinutes ?? 1, 1);
    const values = arrivals.map((a, i) => {
      if (a === null) return null;
      const queued = backlog[backlog.length - arrivals.length + i] ?? 0;
      return a / perGpu + queued / (perGpu * drain);
    });
    return {
      values,
      unit: `GPUs' worth of jobs (${perGpu}/min each, backlog over ${drain} min)`,
      signals: ['queue-backlog', 'active-gpu-tasks-per-node', 'cpu-utilization'],
    };
  }
  if (policy.id === 'n8n') {
    const perWorker = input.metrics[QUEUE_SIGNAL] ?? [];
    const values = perWorker.map((v, i) =>
      v === null ? null : (v * Math.max(tasks(i, perWorker.length), 1)) / concurrency,
    );
    return {
      values,
      unit: `workers' worth of jobs (${concurrency} slots each)`,
      signals: [QUEUE_SIGNAL, 'cpu-utilization'],
    };
  }
  const cpu = input.metrics['cpu-utilization'] ?? [];
  const values = cpu.map((v, i) => (v === null ? null : (v / 100) * tasks(i, cpu.length)));
  return {
    values,
    unit: 'tasks at 100 % CPU',
    signals: ['cpu-utilization', 'api-latency-p95-ms'],
  };
}
