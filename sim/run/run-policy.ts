import { percentile } from '../../lambdas/core/scaling/ledger-figures';
import { QUEUE_SIGNAL } from '../../lambdas/core/scaling/load';
import { N8N_QUEUE_METRICS } from '../../lib/config/n8n';
import { scaleSignal } from '../../lib/config/scale-alerts';
import type { Controller, TimelineEvent } from '../baselines/types';
import {
  elasticityMetrics,
  instanceHours,
  sloViolationMinutes,
  type ElasticityMetrics,
} from '../metrics/elasticity';
import { alarmSignalValue } from '../twin/alarm-signal';
import { launchesBlockedUntil, type Fault } from '../twin/faults';
import { Fleet } from '../twin/fleet';
import { cpuUtilisation, GenerationBacklog, latencyP95Ms } from '../twin/load';
import { seededRandom } from '../twin/random';
import { WorkflowQueue } from '../twin/workflow-queue';
import { jobsPerMinute, type ComponentModel } from './model';

/** The twin's clock: 15 s, the HPA's sync period; CloudWatch-based controllers see 1-minute datapoints. */
export const SUB_STEP_SECONDS = 15;

/** Container Insights' running task count: the denominator of n8n's queue signal. */
const RUNNING_TASKS = 'RunningTaskCount';

export interface PolicyMetrics extends ElasticityMetrics {
  readonly sloViolationMinutes: number;
  readonly instanceHours: number;
  readonly actions: number;
  /**
   * From the first breaching 1-minute datapoint (the seeds' scale-out thresholds) to the scale-out
   * call, p95 over the scale-outs that no seed cooldown held; any scaling action ends the breach
   * episode.
   */
  readonly decisionLatencyP95Seconds: number | null;
  /** The same for the breaches a seed cooldown held (the control plane's only), and how many. */
  readonly heldDecisionLatencyP95Seconds: number | null;
  readonly heldScaleOuts: number;
  /** Breaches answered by a decision that the fleet already holds the load (right-sizing). */
  readonly breachesAnsweredWithoutScaling: number;
}

/** Every metric of a policy run, in the order summary.json and the report list them. */
export const METRIC_KEYS = [
  'thetaU',
  'thetaO',
  'tauU',
  'tauO',
  'instability',
  'jitter',
  'sloViolationMinutes',
  'instanceHours',
  'actions',
  'decisionLatencyP95Seconds',
  'heldDecisionLatencyP95Seconds',
  'heldScaleOuts',
  'breachesAnsweredWithoutScaling',
] as const satisfies ReadonlyArray<keyof PolicyMetrics>;

export interface PolicyRun {
  readonly policy: string;
  /** Per minute: what the load needs (SPEC-RG demand), what serves it, what is asked for. */
  readonly demand: readonly number[];
  readonly supply: readonly number[];
  readonly desired: readonly number[];
  readonly metrics: PolicyMetrics;
  /** The controller's actions and pages, where it keeps them (the control plane does). */
  readonly timeline: readonly TimelineEvent[];
  /** n8n's job queue per minute, as its gauges published it (the minute's maximum), and the longest wait. */
  readonly queue?: {
    readonly waiting: readonly number[];
    readonly active: readonly number[];
    readonly longestWaitSeconds: readonly number[];
  };
}

/**
 * SPEC-RG demand: the minimal whole number of instances that meets the SLO, within the range the
 * component may scale over. Why capped at the maximum: elasticity measures how well a policy
 * follows demand it can follow (BUNGEE calibrates its load so that demand never exceeds the
 * system's maximum); load beyond the maximum is a capacity-planning shortfall every policy shares,
 * and it still shows, as SLO-violation minutes.
 */
export function demandAt(model: ComponentModel, load: number): number {
  return Math.min(model.policy.capacity.max, instancesNeeded(model, load));
}

/** The whole number of instances (at least the minimum) that serve `load` within the SLO. */
export function instancesNeeded(model: ComponentModel, load: number): number {
  const needed = model.gpu
    ? load / (model.gpu.jobsPerGpuPerMinute * model.sloUtilisation)
    : load / model.sloUtilisation;
  return Math.max(model.policy.capacity.min, Math.ceil(needed - 1e-9));
}

/**
 * Replays `load` (one value per minute) against one controller in the twin: the fleet boots with
 * its delay, load becomes CPU, latency and queue signals, the controller sees them with
 * CloudWatch's one-minute resolution (or every 15 s for the HPA) and sets the desired count.
 * For n8n the load becomes jobs in its queue (sim/twin/workflow-queue.ts): the gauges are published
 * under n8n's metric names, the scale alarms read their own metric math over them, and a minute in
 * which a job waited longer than the model's maximum is an SLO-violation minute.
 */
export async function runPolicy(
  model: ComponentModel,
  load: readonly number[],
  controller: Controller,
  options: { readonly seed?: number; readonly faults?: readonly Fault[] } = {},
): Promise<PolicyRun> {
  const seed = options.seed ?? 1;
  const faults = options.faults ?? [];
  const { policy } = model;
  const fleet = new Fleet(
    { name: model.component, bootSeconds: model.bootSeconds, initial: policy.capacity.min, unitCapacity: 1 },
    seededRandom(seed),
  );
  const backlog = new GenerationBacklog();
  const queue = model.queue ? new WorkflowQueue(model.queue) : undefined;
  const queueRule = policy.rules.find((r) => r.signal === QUEUE_SIGNAL);
  const queueSignal = queueRule ? scaleSignal(model.component, queueRule) : undefined;
  const queueSeries = { waiting: [] as number[], active: [] as number[], longestWaitSeconds: [] as number[] };
  let waitViolationMinutes = 0;
  const outRules = policy.rules.filter((r) => r.change > 0);
  const demand: number[] = [];
  /** Uncapped: what the SLO needs, even beyond the maximum. */
  const need: number[] = [];
  const supply: number[] = [];
  const desired: number[] = [];
  const latencies: number[] = [];
  const heldLatencies: number[] = [];
  let actions = 0;
  let firstBreachAt: number | undefined;
  /** Per scale-out rule: the first datapoint of its current run of breaching datapoints. */
  const breachStarts = new Map<string, number>();
  let lastScaleOutAt: number | undefined;
  let answeredWithoutScaling = 0;
  let sufficientSeen = 0;
  const newMinute = () => ({
    cpu: 0,
    cpuSamples: 0,
    latency: 0,
    latencySamples: 0,
    arrivals: 0,
    waiting: 0,
    active: 0,
    longestWait: 0,
    tasks: 0,
    steps: 0,
  });
  let minute = newMinute();

  /**
   * Decision latency: when the breach a scale-out answers began, to the call. A controller that
   * says which rule asked (the control plane's timeline, whose event comes once its UpdateService
   * returned: settled after the decision) is timed from that rule's first breaching datapoint, and
   * a scale-out no breached rule asked for (right-sizing ahead of a trend) answers no breach;
   * another is timed from the first datapoint any scale-out threshold breached.
   */
  const unsettled: Array<{ at: number; starts: Map<string, number>; previousOut: number | undefined }> = [];
  const timeBreach = (from: number, at: number, previousOut: number | undefined) => {
    // Held by a seed cooldown (the control plane's only): a plan said so during the breach, or the
    // breach began while the last scale-out's cooldown still ran.
    const held =
      controller.cooldownHolds !== undefined &&
      (controller.cooldownHolds.some((h) => h >= from && h <= at) ||
        (previousOut !== undefined && from - previousOut < policy.cooldown.scaleUpSeconds));
    (held ? heldLatencies : latencies).push(at - from);
  };
  const settleScaleOuts = () => {
    const scales = (controller.timeline ?? []).filter((e) => e.kind === 'scale');
    for (const pending of unsettled.splice(0)) {
      const rule = [...scales].reverse().find((e) => e.time <= pending.at)?.rule;
      const from = rule === undefined ? undefined : pending.starts.get(rule);
      if (from !== undefined) timeBreach(from, pending.at, pending.previousOut);
    }
  };

  const apply = (next: number, at: number) => {
    const bounded = Math.max(policy.capacity.min, Math.min(policy.capacity.max, Math.round(next)));
    if (bounded === fleet.desired) return;
    if (bounded > fleet.desired) {
      if (controller.timeline)
        unsettled.push({ at, starts: new Map(breachStarts), previousOut: lastScaleOutAt });
      else if (firstBreachAt !== undefined) timeBreach(firstBreachAt, at, lastScaleOutAt);
      lastScaleOutAt = at;
    }
    // A scale-out answers the breach; a scale-in means the policy judged it over (a breach the
    // policy held on purpose, then scaled in from, is not a slow scale-out).
    firstBreachAt = undefined;
    breachStarts.clear();
    fleet.setDesired(bounded);
    actions += 1;
  };

  // A controller that acts through the service's API (UpdateService) changes it while it decides.
  let decisionTime = 0;
  await controller.attach?.({
    describe: () => ({ desired: fleet.desired, running: fleet.running, pending: fleet.pending }),
    setDesired: (count) => apply(count, decisionTime),
  });
  try {
    const steps = load.length * (60 / SUB_STEP_SECONDS);
    for (let k = 0; k < steps; k++) {
      const t = k * SUB_STEP_SECONDS;
      const m = Math.floor(t / 60);
      const value = load[m] as number;
      fleet.advance(t);
      fleet.blockLaunches(launchesBlockedUntil(faults, t));
      let cpu: number | null;
      let latency: number | null = null;
      /** The queue signal as it stands now, for a controller that samples every 15 s. */
      let queueNow: number | null = null;
      if (model.gpu) {
        const step = backlog.step(
          value / (60 / SUB_STEP_SECONDS),
          fleet.running,
          model.gpu.jobsPerGpuPerMinute,
          SUB_STEP_SECONDS,
        );
        cpu = step.gpuUtilisation;
        minute.arrivals += value / (60 / SUB_STEP_SECONDS);
      } else if (queue && model.queue) {
        const arrivals = (jobsPerMinute(model.queue, value) * SUB_STEP_SECONDS) / 60;
        const step = queue.step(t, SUB_STEP_SECONDS, arrivals, fleet.running);
        // A busy slot is what a worker's CPU follows: all its slots busy is 100 %.
        cpu = step.slotUtilisation;
        minute.waiting = Math.max(minute.waiting, step.waiting);
        minute.active = Math.max(minute.active, step.active);
        minute.longestWait = Math.max(minute.longestWait, step.longestWaitSeconds);
        if (queueSignal)
          queueNow = alarmSignalValue(queueSignal, {
            [N8N_QUEUE_METRICS.waiting]: step.waiting,
            [N8N_QUEUE_METRICS.active]: step.active,
            [RUNNING_TASKS]: fleet.running,
          });
      } else {
        cpu = cpuUtilisation(value, fleet.capacity);
        latency = model.latency
          ? latencyP95Ms(value, fleet.capacity, model.latency.baseMs, model.latency.timeoutMs)
          : null;
      }
      minute.tasks += fleet.running;
      minute.steps += 1;
      if (cpu !== null) {
        minute.cpu += cpu;
        minute.cpuSamples += 1;
      }
      if (latency !== null) {
        minute.latency += latency;
        minute.latencySamples += 1;
      }
      if (controller.periodSeconds < 60) {
        decisionTime = t;
        apply(
          await controller.decide({
            time: t,
            desired: fleet.desired,
            running: fleet.running,
            metrics: { 'cpu-utilization': cpu, [QUEUE_SIGNAL]: queueNow },
          }),
          t,
        );
        settleScaleOuts();
      }

      const endOfMinute = (k + 1) % (60 / SUB_STEP_SECONDS) === 0;
      if (!endOfMinute) continue;
      const end = t + SUB_STEP_SECONDS;
      // n8n's gauges as CloudWatch holds them: Maximum of the minute's scrapes; RunningTaskCount Average.
      const queueDatapoints: Record<string, number | null> = queue
        ? {
            [N8N_QUEUE_METRICS.waiting]: minute.waiting,
            [N8N_QUEUE_METRICS.active]: minute.active,
            [RUNNING_TASKS]: minute.tasks / minute.steps,
          }
        : {};
      const metrics: Record<string, number | null> = {
        [RUNNING_TASKS]: minute.tasks / minute.steps,
        'cpu-utilization': minute.cpuSamples ? minute.cpu / minute.cpuSamples : null,
        'memory-utilization': null,
        'api-latency-p95-ms': minute.latencySamples ? minute.latency / minute.latencySamples : null,
        'queue-backlog': model.gpu ? backlog.backlog : null,
        // As the deployed alarm computes it (lib/config/scale-alerts.ts): messages in flight (received,
        // not yet deleted) per running Flux task. A task works one job at a time, so that is its busy share.
        'active-gpu-tasks-per-node':
          model.gpu && minute.cpuSamples ? minute.cpu / minute.cpuSamples / 100 : null,
        arrivals: model.gpu ? minute.arrivals : null,
        [QUEUE_SIGNAL]: queue && queueSignal ? alarmSignalValue(queueSignal, queueDatapoints) : null,
        ...queueDatapoints,
      };
      const breached = outRules.filter((r) => {
        const v = metrics[r.signal];
        return v !== null && v !== undefined && (r.comparison === '>' ? v > r.threshold : v >= r.threshold);
      });
      const breaching = breached.length > 0;
      for (const r of outRules) {
        if (!breached.includes(r)) breachStarts.delete(r.id);
        else if (!breachStarts.has(r.id)) breachStarts.set(r.id, end);
      }
      // A decision that the fleet already holds the load answered the open breach.
      const sufficient = controller.sufficientHolds ?? [];
      for (; sufficientSeen < sufficient.length; sufficientSeen++) {
        const at = sufficient[sufficientSeen] as number;
        const open = [...breachStarts.entries()].filter(([, start]) => start <= at);
        if (open.length > 0 || (firstBreachAt !== undefined && at >= firstBreachAt))
          answeredWithoutScaling += 1;
        for (const [rule] of open) breachStarts.delete(rule);
        if (firstBreachAt !== undefined && at >= firstBreachAt) firstBreachAt = undefined;
      }
      if (breaching && firstBreachAt === undefined) firstBreachAt = end;
      if (!breaching && fleet.desired === fleet.running) firstBreachAt = undefined;
      if (controller.periodSeconds >= 60) {
        decisionTime = end;
        apply(
          await controller.decide({ time: end, desired: fleet.desired, running: fleet.running, metrics }),
          end,
        );
        settleScaleOuts();
      }
      demand.push(demandAt(model, value));
      need.push(instancesNeeded(model, value));
      supply.push(fleet.running);
      desired.push(fleet.desired);
      if (model.queue) {
        queueSeries.waiting.push(minute.waiting);
        queueSeries.active.push(minute.active);
        queueSeries.longestWaitSeconds.push(minute.longestWait);
        if (minute.longestWait > model.queue.maxWaitSeconds) waitViolationMinutes += 1;
      }
      minute = newMinute();
    }
  } finally {
    await controller.close?.();
  }

  const series = { demand, supply, stepSeconds: 60 };
  return {
    policy: controller.name,
    demand,
    supply,
    desired,
    timeline: [...(controller.timeline ?? [])],
    ...(model.queue ? { queue: queueSeries } : {}),
    metrics: {
      ...elasticityMetrics(series),
      // n8n's SLO is a job's wait, measured in its queue; the others', the capacity the load needs.
      sloViolationMinutes: model.queue
        ? waitViolationMinutes
        : sloViolationMinutes({ ...series, demand: need }),
      instanceHours: instanceHours(series),
      actions,
      decisionLatencyP95Seconds: percentile(
        [...latencies].sort((a, b) => a - b),
        95,
      ),
      heldDecisionLatencyP95Seconds: percentile(
        [...heldLatencies].sort((a, b) => a - b),
        95,
      ),
      heldScaleOuts: heldLatencies.length,
      breachesAnsweredWithoutScaling: answeredWithoutScaling,
    },
  };
}
