/**
 * How demand becomes the signals CloudWatch would report, in the twin. Deliberately simple and
 * documented, so that a reader can check a report by hand:
 * - CPU utilisation is the demand served over the capacity serving it, capped at 100 % (a task
 *   cannot be busier than busy); with nothing serving there is no datapoint, not 0 %.
 * - p95 latency follows the M/M/1 waiting-time growth base / (1 - rho), capped where requests
 *   would time out instead of waiting longer.
 * - The GPU generation queue is a fluid backlog: arrivals join, running GPUs that are not stalled
 *   serve at their throughput, the rest waits.
 */
export function cpuUtilisation(demand: number, capacity: number): number | null {
  if (capacity <= 0) return null;
  return Math.min(100, (100 * demand) / capacity);
}

export function latencyP95Ms(
  demand: number,
  capacity: number,
  baseMs: number,
  timeoutMs: number,
): number | null {
  if (capacity <= 0) return null;
  const rho = demand / capacity;
  if (rho >= 1) return timeoutMs;
  return Math.min(timeoutMs, baseMs / (1 - rho));
}

export interface QueueStep {
  readonly served: number;
  readonly backlog: number;
  /** Share of the serving GPUs' time spent working (the nvidia_gpu utilisation), per GPU. */
  readonly gpuUtilisation: number | null;
}

export class GenerationBacklog {
  private waiting = 0;

  get backlog(): number {
    return this.waiting;
  }

  /**
   * One step: `arrivals` jobs join; `workingGpus` serve `jobsPerGpuPerMinute` each for
   * `stepSeconds` (a stalled GPU is running but serves nothing).
   */
  step(arrivals: number, workingGpus: number, jobsPerGpuPerMinute: number, stepSeconds: number): QueueStep {
    if (arrivals < 0 || workingGpus < 0) throw new Error('arrivals and workingGpus must be >= 0');
    const available = this.waiting + arrivals;
    const throughput = workingGpus * jobsPerGpuPerMinute * (stepSeconds / 60);
    const served = Math.min(available, throughput);
    this.waiting = available - served;
    return {
      served,
      backlog: this.waiting,
      gpuUtilisation: throughput > 0 ? (100 * served) / throughput : null,
    };
  }
}
