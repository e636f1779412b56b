import type { ComponentId } from '../../lib/config/constants';
import type { ComponentPolicy, EnvironmentConfig } from '../../lib/config/schema';

/**
 * A component as the twin models it. Load is in "instance units": 1 is what one task serves at
 * 100 % CPU (for n8n, one worker with all its job slots busy); for the GPU fleet the load is
 * generation jobs arriving per minute.
 */
export interface ComponentModel {
  readonly component: ComponentId;
  readonly policy: ComponentPolicy;
  /** Seconds from launch to serving: Fargate about 60 s, a GPU host 5-8 minutes. */
  readonly bootSeconds: number | { readonly min: number; readonly max: number };
  /** Utilisation up to which the SLO holds: demand (SPEC-RG's minimal resources) is load / this. */
  readonly sloUtilisation: number;
  /** A web service's p95 latency (sim/twin/load.ts): its base, and where requests time out. */
  readonly latency?: { readonly baseMs: number; readonly timeoutMs: number };
  /** The environment's Flux settings (flux-gpu only): throughput per GPU and the sizing targets. */
  readonly gpu?: EnvironmentConfig['flux'];
  /** n8n's job queue (n8n only): its workers run jobs from it, and its SLO is a job's wait. */
  readonly queue?: QueueModel;
}

/** n8n in queue mode (sim/twin/workflow-queue.ts). */
export interface QueueModel {
  /** Jobs one worker runs at once: the environment's n8n.workerConcurrency. */
  readonly concurrency: number;
  readonly jobSeconds: number;
  /** A minute in which a job has waited longer than this to start is an SLO-violation minute. */
  readonly maxWaitSeconds: number;
}

/**
 * How long an n8n execution runs in the twin. Its executions mostly wait on other services; seed
 * 004 allows the slowest of those calls, n8n to the AI service, 15 s at p95
 * (N8N_AI_Service_API_P95_Latency, API latency alone), and the twin gives every execution that
 * long: with 10 jobs at once, a worker finishes 40 a minute. Within the deployed execution
 * timeout (n8n.maxExecutionSeconds, 100 s).
 */
export const N8N_JOB_SECONDS = 15;

/**
 * n8n's SLO in the twin: no job waits more than a minute to start. Seed 004 budgets a generation
 * request 45 s end to end at p95 (AI_Image_Generation_P95_Total_Latency) and the n8n -> AI call
 * 15 s, so a job that waited a whole minute is late on its own account; a minute is also the
 * period of every alarm that could react to it and about the boot of one Fargate worker.
 */
export const N8N_MAX_WAIT_SECONDS = 60;

export function defaultModel(
  component: ComponentId,
  policy: ComponentPolicy,
  env: Pick<EnvironmentConfig, 'flux' | 'n8n'>,
): ComponentModel {
  if (component === 'flux-gpu') {
    return {
      component,
      policy,
      bootSeconds: { min: 300, max: 480 },
      sloUtilisation: 0.9,
      gpu: env.flux,
    };
  }
  if (component === 'n8n') {
    // Load 1 is one worker with every slot busy. The wait SLO holds while the jobs in service fit
    // the slots (the twin's jobs do not interfere), so demand is the workers whose slots hold them.
    return {
      component,
      policy,
      bootSeconds: 60,
      sloUtilisation: 1,
      queue: {
        concurrency: env.n8n.workerConcurrency,
        jobSeconds: N8N_JOB_SECONDS,
        maxWaitSeconds: N8N_MAX_WAIT_SECONDS,
      },
    };
  }
  // Seed 002: API p95 under 500 ms; with a 150 ms base, 150 / (1 - 0.7) = 500 ms at 70 % CPU.
  return {
    component,
    policy,
    bootSeconds: 60,
    sloUtilisation: 0.7,
    latency: { baseMs: 150, timeoutMs: 30_000 },
  };
}

/** n8n jobs arriving per minute for a load in instance units: a full worker finishes concurrency x 60 / jobSeconds. */
export function jobsPerMinute(queue: QueueModel, load: number): number {
  return (load * queue.concurrency * 60) / queue.jobSeconds;
}
