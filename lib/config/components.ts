import { N8N_WORKER_CONCURRENCY } from './n8n';
import type { ComponentId, ComponentPolicy } from './schema';

/**
 * Right-sizing (lambdas/core/scaling/right-size.ts), one block per component; every number is
 * explained in docs/scaling.md.
 * - targetUtilisation: the SLO boundary itself, applied to the recent peak (the margin is the
 *   peak, not a lower target on the mean): Odoo's p95 reaches seed 002's 500 ms at 70 % CPU
 *   (150 ms base, 150 / (1 - 0.7)); an n8n job waits once every slot is busy and may wait up to a
 *   minute, sized to 95 % of the slots (at 100 % jobs waited over a minute on the bundled day's
 *   rises); a GPU at 90 % of its throughput (the SLO the twin measures). Measured on the bundled
 *   day against target tracking's whole curve (docs/simulator.md): 65 % for Odoo cost 0.975 of
 *   target tracking at the same service level, 70 % 0.927.
 * - peakMinutes: the scale-out sizes the peak of the last 5 one-minute datapoints (a minute's noise
 *   is not a reason to miss the next one); n8n's last minute alone, because its queue absorbs a
 *   minute's noise (a job may wait a minute) and its gauges are already the minute's maximum.
 * - trendMinutes 10 and leadMinutes: the load's growth over the last 10 minutes (least squares,
 *   growth only) is added for as long as capacity asked for now could not yet serve: a boot (a
 *   Fargate task 1 minute, a GPU host up to 8) plus the minute a datapoint takes to arrive. A later
 *   evaluation comes as soon as a minute passes the target: each component has a trigger at it
 *   (TARGET_TRIGGERS; the GPU fleet's seed CPU rule, above 75 % on one datapoint, already is one),
 *   and a scale-out held by the cooldown is decided again when it ends. Sizing over the cooldown
 *   too (7 and 14 minutes) was measured worse: more instance-hours for as many SLO minutes.
 * - scaleInAfterMinutes: capacity goes once the peak of the last 10 minutes (16 for GPUs: twice
 *   their longest boot; at 12 released hosts were needed again before a new one booted) no longer
 *   needs it: per-minute noise does not hold a task for hours, and a lull shorter than that does
 *   not release what the next minutes need again. 15 for Odoo and n8n was measured dearer on the
 *   bundled day, the sawtooth and the flash crowds (Odoo 0.93 -> 0.92, 0.97 -> 0.88 and 1.01 ->
 *   0.98 of target tracking's cost), cheaper only under heavy per-minute noise.
 */
const FARGATE_LEAD_MINUTES = 1 + 1;
const GPU_LEAD_MINUTES = 8 + 1;
const RIGHT_SIZING = {
  odoo: {
    targetUtilisation: 70,
    peakMinutes: 5,
    trendMinutes: 10,
    leadMinutes: FARGATE_LEAD_MINUTES,
    scaleInAfterMinutes: 10,
  },
  n8n: {
    targetUtilisation: 95,
    peakMinutes: 1,
    trendMinutes: 10,
    leadMinutes: FARGATE_LEAD_MINUTES,
    scaleInAfterMinutes: 10,
  },
  'flux-gpu': {
    targetUtilisation: 90,
    peakMinutes: 5,
    trendMinutes: 10,
    leadMinutes: GPU_LEAD_MINUTES,
    scaleInAfterMinutes: 16,
  },
} as const;

/**
 * Seed 002's connection-pool trigger ("PostgreSQL (via PgBouncer): connection pool utilisation 80,
 * waiting connections 5"), on what this platform has: no pooler, each Odoo process keeps its own
 * pool (db_maxconn), and RDS's DatabaseConnections counts them all against max_connections. The
 * platform's own pools at every component's maximum fit in 74 % of prod's max_connections (663 of
 * 901, lib/config/connection-budget.ts; staging 46 %), so above 80 % the instance holds connections
 * the budget does not account for, and one more Odoo task (up to 64 connections in prod) takes it
 * toward refusing them. The trigger therefore blocks Odoo's scale-out and raises
 * Scaling_Blocked_By_Database (the decision engine's database guard), rather than adding workers.
 * Waiting clients are not observable without a pooler: PostgreSQL refuses a client beyond
 * max_connections (counted by Odoo_Database_Connection_Errors) and Odoo's pool raises "The
 * Connection Pool Is Full" rather than queueing; Performance Insights' blocked transactions count
 * lock waits, not connection waits, so no signal stands for the seed's 5 waiting.
 */
const ODOO_CONNECTION_POOL_TRIGGER_PERCENT = 80;

/**
 * Runaway protection (seed 001): the 4th direction change within an hour pauses the component. The
 * scale-in cooldown (600 s) allows at most 6 in an hour; a flash crowd makes 1 (out, then in), the
 * right-sizing's time hysteresis about as many as the day has turns.
 */
const RUNAWAY_MAX_REVERSALS_PER_HOUR = 4;

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
 * The right-sizing target as a trigger (this project's, not a seed's), as target tracking's own
 * high alarm sits at its target: a decision as soon as one minute's datapoint passes it, so
 * capacity is added within a minute of the load outgrowing the target, not at the next periodic
 * evaluation or once the seed's threshold is breached twice.
 */
const TARGET_TRIGGERS = {
  odoo: targetTrigger(
    'cpu-above-target',
    'cpu-utilization',
    '>',
    RIGHT_SIZING.odoo.targetUtilisation,
    1,
    1,
    +1,
    "right-sizing's CPU target (this project's trigger)",
  ),
  n8n: targetTrigger(
    'queue-above-target',
    'workflow-queue-per-worker',
    '>',
    n8nJobsPerWorker(RIGHT_SIZING.n8n.targetUtilisation),
    1,
    1,
    +1,
    "right-sizing's share of the job slots (this project's trigger)",
  ),
};

/**
 * Off-peak (offPeak, lambdas/core/scaling/scheduled.ts): at the window's start a schedule asks the
 * scale-decision workflow to lower each component toward its off-peak count, never below what its
 * load needs; at the end it restores the daytime minimum. Enabled for every component wherever
 * automatic scaling is (prod and staging; dev, seed 001 "Scaling Enabled: False", gets no schedule).
 * - odoo: seed 002's "00:00-06:00 local time", down to 2. Seed 002's count equals seed 000's
 *   minimum (2, for HA): the window does not lower the floor, it lowers the fleet from its daytime
 *   count (whatever the evening left) to the HA minimum. UTC until a country's deployment sets its
 *   own zone.
 * - n8n and flux-gpu: seed 001's "02:00-06:00 UTC", down to their minimum of 1. Seed 001 says 0
 *   instances; 0 would leave a job sent at night waiting a whole boot (a GPU host 5-8 minutes)
 *   against seed 000's GPU serving minimum of 1, so the count is clamped to it.
 */
const OFF_PEAK = {
  odoo: { enabled: true, start: '00:00', end: '06:00', timezone: 'UTC', minCapacity: 2 },
  n8n: { enabled: true, start: '02:00', end: '06:00', timezone: 'UTC', minCapacity: 1 },
  'flux-gpu': { enabled: true, start: '02:00', end: '06:00', timezone: 'UTC', minCapacity: 1 },
} as const;

/**
 * Seed 001's environment profiles as numbers (the seed names them, prod moderate/balanced, staging
 * conservative/cost-optimized, and gives no figures; docs/scaling.md has what each costs on the
 * bundled day).
 * - aggressiveness (lambdas/core/scaling/aggressiveness.ts): conservative moves
 *   `conservativeMaxStep` instance per decision, out and in (seed 001's mitigation "conservative
 *   scaling thresholds initially", and seed 002's "one instance at a time"); aggressive enlarges a
 *   sized scale-out by half (`aggressiveSizedFactor`: the step already is the whole need, half
 *   again is headroom for the growth still to come, without the 1 -> 9 a doubling of a sized 1 -> 5
 *   would ask) and doubles a rule's fixed +1/+2 (`aggressiveFixedFactor`), which sizes nothing.
 * - costPriority (lambdas/core/scaling/cost-priority.ts), right-sizing's headroom: performance
 *   sizes `performanceHeadroomPoints` below each target (Odoo at 60 % CPU answers in 375 ms against
 *   the 500 ms SLO, 150 / (1 - 0.6), instead of at the boundary), never below
 *   `performanceMinTargetPercent` (a target near 0 would ask for the maximum whatever the load),
 *   and keeps capacity `performanceScaleInFactor` times as long (10 -> 15 minutes, GPUs 16 -> 24,
 *   at most the 30 minutes a decision reads); cost-optimized releases it after
 *   `costOptimizedScaleInFactor` of the window (10 -> 7, GPUs 16 -> 12), never sooner than the
 *   scale-out's own peak window, so a release is never decided on less than a scale-out.
 */
export const SCALING_PROFILES = {
  conservativeMaxStep: 1,
  aggressiveSizedFactor: 1.5,
  aggressiveFixedFactor: 2,
  performanceHeadroomPoints: 10,
  performanceMinTargetPercent: 10,
  performanceScaleInFactor: 1.5,
  costOptimizedScaleInFactor: 0.7,
} as const;

/**
 * Scaling policies of the three workloads, as the seeds give them. Capacity here is the seed's;
 * each environment may narrow it (lib/config/environments.ts).
 * - odoo: seed 002 (Odoo workers) and seed 000 (min 2 for HA, max 10);
 * - n8n: seed 000 (min 1, max 5) with seed 001's web/API CPU rule (70/30, 3 periods, 2 datapoints)
 *   and, since n8n runs in queue mode, rules on its job queue (N8N_QUEUE_RULES below);
 * - flux-gpu: seed 001 (GPU workers) and seed 000 (min 1, max 5, >= 16 GB VRAM).
 * The seeds' rules are the triggers: each starts a decision, and right-sizing (RIGHT_SIZING, this
 * project's, not a seed's) says how many instances the load needs. Seed 002's rate cap (Odoo 1
 * instance per 5 minutes) is an environment option (env.scaling.maxScalingRate), kept by staging.
 */
export const COMPONENT_POLICIES: Readonly<Record<ComponentId, ComponentPolicy>> = {
  odoo: {
    id: 'odoo',
    description: 'Odoo 18 application servers on Fargate behind the ALB',
    capacity: { min: 2, max: 10 },
    cooldown: { scaleUpSeconds: 300, scaleDownSeconds: 600 },
    scaleDownStep: 1,
    rules: [
      rule('cpu-high', 'cpu-utilization', '>=', 70, 3, 2, +1, 'seed 002 CPU triggers'),
      rule('cpu-low', 'cpu-utilization', '<=', 30, 5, 4, -1, 'seed 002 CPU triggers (scale-in)'),
      rule('latency-p95-high', 'api-latency-p95-ms', '>=', 400, 2, 2, +1, 'seed 002 response-time trigger'),
      rule('memory-high', 'memory-utilization', '>=', 80, 2, 2, +1, 'seed 002 memory triggers'),
      rule('memory-low', 'memory-utilization', '<=', 40, 2, 2, -1, 'seed 002 memory triggers'),
      TARGET_TRIGGERS.odoo,
    ],
    runawayMaxReversalsPerHour: RUNAWAY_MAX_REVERSALS_PER_HOUR,
    databaseConnectionGuardPercent: ODOO_CONNECTION_POOL_TRIGGER_PERCENT,
    rightSizing: RIGHT_SIZING.odoo,
    offPeak: OFF_PEAK.odoo,
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
      TARGET_TRIGGERS.n8n,
    ],
    runawayMaxReversalsPerHour: RUNAWAY_MAX_REVERSALS_PER_HOUR,
    rightSizing: RIGHT_SIZING.n8n,
    offPeak: OFF_PEAK.n8n,
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
    runawayMaxReversalsPerHour: RUNAWAY_MAX_REVERSALS_PER_HOUR,
    rightSizing: RIGHT_SIZING['flux-gpu'],
    offPeak: OFF_PEAK['flux-gpu'],
  },
};

function targetTrigger(...args: Parameters<typeof rule>): ComponentPolicy['rules'][number] {
  return { ...rule(...args), origin: 'right-sizing' };
}

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
