import { N8N_WORKER_CONCURRENCY } from './n8n';
import type { ComponentId, ComponentPolicy } from './schema';

/** CPU sizing of Odoo and n8n (see COMPONENT_POLICIES). */
const CPU_SIZING = { targetUtilisation: 60, scaleInMaxUtilisation: 60, scaleInWindowMinutes: 5 };

// Re-exported for the tests of the rules, which are shares of it.
export { N8N_WORKER_CONCURRENCY };
/** A share of an n8n worker's job slots, in jobs. */
const n8nJobsPerWorker = (percentOfSlots: number) => (N8N_WORKER_CONCURRENCY * percentOfSlots) / 100;

/**
 * n8n's queue rules, on `workflow-queue-per-worker` (jobs waiting plus running, per running worker;
 * lib/config/scale-alerts.ts). The component is the worker service: the main process takes
 * webhooks and schedules and puts each execution on the queue, and each worker runs
 * N8N_WORKER_CONCURRENCY of them at once. A worker's slots are its capacity, so seed 001's n8n CPU
 * thresholds apply to them as shares of the concurrency:
 * - scale out above 70 % of the slots (7 jobs a worker) in 2 of 3 minutes, the CPU rule's M of N:
 *   the other 30 % absorb the growth of the 2 to 3 minutes from the first breach to a new worker
 *   serving (the alarm's 2 minutes and a Fargate task's minute), so jobs do not yet wait;
 * - scale in at or below 30 % (3 jobs a worker) for 5 minutes out of 5: it must stay low, over the
 *   same 5 minutes CPU right-sizing watches, and never for a moment's lull between bursts.
 * Why beside CPU: an n8n execution mostly waits on other services (Odoo, the AI service, the KYC
 * and payment providers), so a worker can hold all its slots at low CPU, and jobs beyond its slots
 * wait in the queue where no CPU shows them.
 */
const N8N_QUEUE_RULES = [
  rule(
    'queue-high',
    'workflow-queue-per-worker',
    '>',
    n8nJobsPerWorker(70),
    3,
    2,
    +1,
    "seed 001 web/API CPU scale-out threshold (70 %) applied to the worker's job slots",
  ),
  rule(
    'queue-low',
    'workflow-queue-per-worker',
    '<=',
    n8nJobsPerWorker(30),
    5,
    5,
    -1,
    "seed 001 web/API CPU scale-in threshold (30 %) applied to the worker's job slots",
  ),
];

/**
 * How n8n's workers are sized from their queue (lambdas/core/scaling/queue-sizing.ts): CPU sizing's
 * shares applied to the slots, as the thresholds are. A queue scale-out asks for the workers that
 * hold every job, waiting or running, at 60 % of their slots (6 jobs each), counting those still
 * booting, so a backlog is met in one step as the GPU fleet's is; every scale-in of n8n, CPU's
 * included, is made only while one worker fewer would hold at most 6 jobs each at the queue's peak
 * of the queue rules' last 5 minutes, 1 under the scale-out threshold, so the queue rule does not
 * undo it.
 */
export const N8N_QUEUE_SIZING = {
  targetJobsPerWorker: n8nJobsPerWorker(CPU_SIZING.targetUtilisation),
  scaleInMaxJobsPerWorker: n8nJobsPerWorker(CPU_SIZING.scaleInMaxUtilisation),
} as const;

/**
 * Scaling policies of the three workloads, as the seeds give them. Capacity here is the seed's;
 * each environment may narrow it (lib/config/environments.ts).
 * - odoo: seed 002 (Odoo workers) and seed 000 (min 2 for HA, max 10);
 * - n8n: seed 000 (min 1, max 5) with seed 001's web/API CPU rule (70/30, 3 periods, 2 datapoints)
 *   and, since n8n runs in queue mode, rules on its job queue (N8N_QUEUE_RULES below);
 * - flux-gpu: seed 001 (GPU workers) and seed 000 (min 1, max 5, >= 16 GB VRAM).
 * CPU sizing (odoo, n8n) is this project's, not a seed's: a scale-out sizes to 60 % CPU and the
 * fleet is right-sized down while one task fewer stays at or below 60 % over the last 5 minutes
 * (the span of seed 002's Odoo scale-in rule), 10 points under the
 * seeds' 70 % scale-out threshold (seed 001: "hysteresis in scaling logic", "scale-down
 * aggressively"). Measured on the bundled day, Odoo instance-hours 95.7 -> 80.2.
 */
export const COMPONENT_POLICIES: Readonly<Record<ComponentId, ComponentPolicy>> = {
  odoo: {
    id: 'odoo',
    description: 'Odoo 18 application servers on Fargate behind the ALB',
    capacity: { min: 2, max: 10 },
    cooldown: { scaleUpSeconds: 300, scaleDownSeconds: 600 },
    maxScalingRate: { instances: 1, perSeconds: 300 },
    scaleDownStep: 1,
    rules: [
      rule('cpu-high', 'cpu-utilization', '>=', 70, 3, 2, +1, 'seed 002 CPU triggers'),
      rule('cpu-low', 'cpu-utilization', '<=', 30, 5, 4, -1, 'seed 002 CPU triggers (scale-in)'),
      rule('latency-p95-high', 'api-latency-p95-ms', '>=', 400, 2, 2, +1, 'seed 002 response-time trigger'),
      rule('memory-high', 'memory-utilization', '>=', 80, 2, 2, +1, 'seed 002 memory triggers'),
      rule('memory-low', 'memory-utilization', '<=', 40, 2, 2, -1, 'seed 002 memory triggers'),
    ],
    runawayMaxActionsPerHour: 6,
    databaseConnectionGuardPercent: 90,
    cpuSizing: CPU_SIZING,
    offPeak: { enabled: false, start: '00:00', end: '06:00', timezone: 'UTC', minCapacity: 2 },
  },
  n8n: {
    id: 'n8n',
    description: 'n8n queue-mode workers on Fargate, running the executions the main process queues',
    capacity: { min: 1, max: 5 },
    cooldown: { scaleUpSeconds: 300, scaleDownSeconds: 600 },
    scaleDownStep: 1,
    rules: [
      rule('cpu-high', 'cpu-utilization', '>=', 70, 3, 2, +1, 'seed 001 web/API CPU triggers'),
      rule('cpu-low', 'cpu-utilization', '<=', 30, 3, 2, -1, 'seed 001 web/API CPU triggers'),
      ...N8N_QUEUE_RULES,
    ],
    runawayMaxActionsPerHour: 6,
    cpuSizing: CPU_SIZING,
    offPeak: { enabled: false, start: '02:00', end: '06:00', timezone: 'UTC', minCapacity: 1 },
  },
  'flux-gpu': {
    id: 'flux-gpu',
    description: 'Flux LoRA image generation on GPU EC2 capacity (ECS capacity provider)',
    capacity: { min: 1, max: 5 },
    cooldown: { scaleUpSeconds: 300, scaleDownSeconds: 600 },
    scaleDownStep: 1,
    rules: [
      rule('queue-backlog-high', 'queue-backlog', '>', 100, 2, 1, +2, 'seed 001 GPU queue-depth rule'),
      rule('gpu-tasks-high', 'active-gpu-tasks-per-node', '>=', 5, 2, 1, +1, 'seed 001 custom metric'),
      rule('gpu-tasks-low', 'active-gpu-tasks-per-node', '<=', 1, 2, 1, -1, 'seed 001 custom metric'),
      rule('cpu-high', 'cpu-utilization', '>', 75, 2, 1, +1, 'seed 001 GPU worker CPU triggers'),
      rule('cpu-low', 'cpu-utilization', '<', 25, 2, 1, -1, 'seed 001 GPU worker CPU triggers'),
      rule('memory-high', 'memory-utilization', '>', 80, 2, 2, +1, 'seed 001 GPU worker memory triggers'),
      rule('memory-low', 'memory-utilization', '<', 40, 2, 2, -1, 'seed 001 GPU worker memory triggers'),
    ],
    runawayMaxActionsPerHour: 6,
    offPeak: { enabled: false, start: '02:00', end: '06:00', timezone: 'UTC', minCapacity: 1 },
  },
};

function rule(
  id: string,
  signal: ComponentPolicy['rules'][number]['signal'],
  comparison: ComponentPolicy['rules'][number]['comparison'],
  threshold: number,
  evaluationPeriods: number,
  datapointsToAlarm: number,
  change: number,
  source: string,
): ComponentPolicy['rules'][number] {
  return {
    id,
    signal,
    comparison,
    threshold,
    evaluationPeriods,
    datapointsToAlarm,
    periodSeconds: 60,
    change,
    source,
  };
}
