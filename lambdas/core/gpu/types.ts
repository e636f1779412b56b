/** What one check of the GPU fleet saw, and what the stalled-GPU workflow's Choice states read. */

/** Settings of the check (lib/config gpuStall, less the remediation budget). */
export interface StallDetection {
  readonly windowMinutes: number;
  readonly minDatapoints: number;
  readonly taskStartGraceMinutes: number;
}

/** One GPU host as Auto Scaling and ECS see it, with its last `windowMinutes` of GPU metrics. */
export interface InstanceObservation {
  readonly instanceId: string;
  /** The ECS container instance's status: only ACTIVE hosts are judged (DRAINING ones are leaving). */
  readonly status: string;
  /** The Flux serving task on the host, if ECS runs one there. */
  readonly task?: { readonly taskArn: string; readonly lastStatus: string; readonly startedAt?: string };
  /** GPU utilisation (%) per minute, oldest first; null is a minute without a datapoint. */
  readonly utilisation: ReadonlyArray<number | null>;
  /** GPU memory utilisation (%) per minute: a loaded model holds memory even while idle. */
  readonly memory: ReadonlyArray<number | null>;
}

/** The generation queue over the same window. */
export interface QueueObservation {
  /** Messages visible (waiting for a task), per minute, oldest first. */
  readonly waiting: ReadonlyArray<number | null>;
  /** Age of the oldest message, seconds, per minute. */
  readonly oldestAgeSeconds: ReadonlyArray<number | null>;
}

/**
 * healthy: the GPU did work; idle: no work was waiting; stalled: work waited the whole window and
 * the GPU did nothing; unknown: no signal (missing metrics), no running task, or a task still
 * starting. Only `stalled` is ever remediated.
 */
export type InstanceClass = 'healthy' | 'idle' | 'stalled' | 'unknown';

export interface InstanceVerdict {
  readonly instanceId: string;
  readonly class: InstanceClass;
  /** Why, in words an operator reads in the ledger and the page. */
  readonly reason: string;
  readonly taskArn?: string;
  readonly maxUtilisation: number | null;
  readonly maxMemory: number | null;
  readonly datapoints: number;
}

export interface QueueVerdict {
  /** Work waited the whole window: the queue never emptied, or its oldest job is that old. */
  readonly workWaiting: boolean | null;
  readonly latestWaiting: number | null;
  readonly oldestAgeSeconds: number | null;
}

/**
 * stalled: at least one instance is stalled; no-signal: none is, but some could not be judged
 * (missing metrics or no running task) or no host is in service; healthy: every in-service
 * instance was judged and none is stalled.
 */
export type FleetStatus = 'stalled' | 'no-signal' | 'healthy';

export interface StallAssessment {
  readonly status: FleetStatus;
  readonly checkedAt: string;
  readonly queue: QueueVerdict;
  readonly instances: readonly InstanceVerdict[];
  /** The stalled instances with the task to stop on each. */
  readonly stalled: ReadonlyArray<{ readonly instanceId: string; readonly taskArn?: string }>;
  /** One line per instance, for the ledger, the report and the page. */
  readonly summary: string;
}
