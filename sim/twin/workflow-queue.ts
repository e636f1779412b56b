/**
 * n8n in queue mode, in the twin: the main process puts each execution on the queue (Bull on
 * Redis), and every running worker takes jobs in arrival order and runs up to `concurrency` of them
 * at once; a job takes `jobSeconds`. Deliberately simple, so a report can be checked by hand:
 * - jobs are whole: each step's arrivals (fractions carried to the next step) come evenly spaced;
 * - every job takes the same time, so jobs finish in the order they started;
 * - a worker that is stopped (a scale-in) finishes the jobs it holds, as n8n's worker does on
 *   SIGTERM within Fargate's stop timeout, and takes no new one;
 * - the gauges are n8n's: jobs waiting and jobs active (running) when the step ends;
 * - busy slots are what the workers' CPU follows: a worker with all its slots busy is at 100 %.
 */
export interface WorkflowQueueOptions {
  /** Jobs one worker runs at once (`n8n worker --concurrency`). */
  readonly concurrency: number;
  /** How long one job runs, in seconds. */
  readonly jobSeconds: number;
}

export interface WorkflowQueueStep {
  /** n8n_scaling_mode_queue_jobs_waiting at the end of the step. */
  readonly waiting: number;
  /** n8n_scaling_mode_queue_jobs_active at the end of the step. */
  readonly active: number;
  /** Share of the running workers' slots busy over the step, in % (at most 100); null with no worker running. */
  readonly slotUtilisation: number | null;
  /** The longest wait of the step: of a job that started in it, or of one still waiting at its end. */
  readonly longestWaitSeconds: number;
}

/** Consumed entries at the head of a FIFO are dropped once there are this many. */
const COMPACT_AFTER = 4096;

export class WorkflowQueue {
  /** Arrival times of the jobs waiting, oldest first, from `waitingHead` on. */
  private arrivals: number[] = [];
  private waitingHead = 0;
  /** Finish times of the jobs running, in the order they started (and will finish), from `activeHead` on. */
  private finishes: number[] = [];
  private activeHead = 0;
  /** The fraction of a job carried into the next step. */
  private carry = 0;

  constructor(readonly options: WorkflowQueueOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1)
      throw new Error(`concurrency must be a whole number >= 1, got ${options.concurrency}`);
    if (!(options.jobSeconds > 0)) throw new Error(`jobSeconds must be positive, got ${options.jobSeconds}`);
  }

  get waiting(): number {
    return this.arrivals.length - this.waitingHead;
  }

  get active(): number {
    return this.finishes.length - this.activeHead;
  }

  /**
   * One step of `seconds` from `start`: `arrivals` jobs join the queue while `workers` workers are
   * running (the fleet changes only between steps).
   */
  step(start: number, seconds: number, arrivals: number, workers: number): WorkflowQueueStep {
    if (!(seconds > 0)) throw new Error(`seconds must be positive, got ${seconds}`);
    if (!(arrivals >= 0) || !Number.isInteger(workers) || workers < 0)
      throw new Error('arrivals must be >= 0 and workers a whole number >= 0');
    const slots = workers * this.options.concurrency;
    const end = start + seconds;
    let clock = start;
    let busySlotSeconds = 0;
    let longestWait = 0;

    const advanceTo = (time: number) => {
      busySlotSeconds += Math.min(this.active, slots) * (time - clock);
      clock = time;
    };
    const startWaitingJobs = (time: number) => {
      while (this.waiting > 0 && this.active < slots) {
        const arrived = this.arrivals[this.waitingHead++] as number;
        longestWait = Math.max(longestWait, time - arrived);
        this.finishes.push(time + this.options.jobSeconds);
      }
    };
    const finishJobsUntil = (time: number) => {
      while (this.active > 0 && (this.finishes[this.activeHead] as number) <= time) {
        const finishedAt = this.finishes[this.activeHead] as number;
        advanceTo(finishedAt); // the job was busy until now
        this.activeHead += 1;
        startWaitingJobs(finishedAt);
      }
      advanceTo(time);
    };

    startWaitingJobs(start); // workers that came up since the last step
    const due = this.carry + arrivals;
    const count = Math.floor(due + 1e-9);
    this.carry = Math.max(0, due - count);
    for (let i = 0; i < count; i++) {
      const at = start + ((i + 0.5) * seconds) / count;
      finishJobsUntil(at);
      this.arrivals.push(at);
      startWaitingJobs(at);
    }
    finishJobsUntil(end);
    if (this.waiting > 0)
      longestWait = Math.max(longestWait, end - (this.arrivals[this.waitingHead] as number));
    this.compact();
    return {
      waiting: this.waiting,
      active: this.active,
      slotUtilisation: slots > 0 ? (100 * busySlotSeconds) / (seconds * slots) : null,
      longestWaitSeconds: longestWait,
    };
  }

  private compact(): void {
    if (this.waitingHead >= COMPACT_AFTER) {
      this.arrivals = this.arrivals.slice(this.waitingHead);
      this.waitingHead = 0;
    }
    if (this.activeHead >= COMPACT_AFTER) {
      this.finishes = this.finishes.slice(this.activeHead);
      this.activeHead = 0;
    }
  }
}
