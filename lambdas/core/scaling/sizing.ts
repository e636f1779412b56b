import type { CpuSizing } from '../../../lib/config/schema';
import type { GpuDemand, ScalingInput, Series } from './types';

/** A proposed new desired count, with the rule that asked for it. */
export interface Proposal {
  readonly to: number;
  readonly rule: string;
  readonly detail?: string;
  /** Sized from the demand (not a rule's fixed step), so aggressiveness does not reshape it. */
  readonly sized?: boolean;
  /**
   * Sized against the desired count, which includes capacity still booting: the booting guardrail
   * (decide.ts), there for steps taken from metrics that cannot see booting capacity yet, lets it by.
   */
  readonly countsBooting?: boolean;
}

/**
 * A scale-out sized from demand: `needed` units, counted against the desired count (what runs and
 * what boots), so a burst is met in one step and never with more than the demand needs. `sizing`
 * names the sizing (`gpu-sizing`, `queue-sizing`), `triggeredBy` the rule that breached.
 */
export function sizedTo(
  needed: number,
  desired: number,
  names: { readonly sizing: string; readonly triggeredBy: string; readonly units: string },
  demand: string,
): Proposal {
  if (needed <= desired) {
    return {
      to: desired,
      rule: names.sizing,
      detail: `${names.triggeredBy} breached, but ${needed} ${names.units} cover the demand and ${desired} are running or booting`,
    };
  }
  return {
    to: needed,
    rule: names.sizing,
    sized: true,
    countsBooting: true,
    detail: `${demand}: ${needed} ${names.units} (triggered by ${names.triggeredBy})`,
  };
}

/**
 * Beyond a CPU rule's fixed step: enough tasks to bring CPU back to `targetUtilisation`
 * (proportional, as target tracking and the HPA size), never less than the rule's step.
 * Why: +1 at a time chases a flash crowd for many cooldowns; the maximum scaling rate and the
 * cooldowns still limit how fast this may add (decide.ts).
 */
export function sizeByCpu(input: ScalingInput, sizing: CpuSizing, ruleId: string, step: number): Proposal {
  const { desired, running } = input.fleet;
  const cpu = lastValue(input.metrics['cpu-utilization']);
  const byStep = desired + step;
  if (cpu === null || running === 0) return { to: byStep, rule: ruleId };
  const needed = Math.ceil((running * cpu) / sizing.targetUtilisation);
  if (needed <= byStep) return { to: byStep, rule: ruleId };
  return {
    to: needed,
    rule: ruleId,
    sized: true,
    detail: `CPU ${cpu.toFixed(0)} % on ${running}: ${needed} tasks bring it to ${sizing.targetUtilisation} %`,
  };
}

/**
 * Right-sizing between the seeds' thresholds: scale in by one step when every CPU datapoint of the
 * last `scaleInWindowMinutes`, spread over one task fewer, stays at or below `scaleInMaxUtilisation`. Why: the
 * seeds' scale-in rule (CPU <= 30 %) leaves a fleet sized for a peak at 35-65 % CPU all afternoon;
 * the margin under the scale-out threshold is the hysteresis that keeps this from flapping.
 */
export function rightSizeDown(input: ScalingInput, sizing: CpuSizing, step: number): Proposal | undefined {
  const { desired, running, pending } = input.fleet;
  if (pending > 0 || running !== desired || desired <= 1) return undefined;
  const window = sizing.scaleInWindowMinutes;
  const recent = (input.metrics['cpu-utilization'] ?? []).slice(-window);
  if (recent.length < window || recent.some((v) => v === null)) return undefined;
  const peak = Math.max(...(recent as number[]));
  const to = Math.max(1, desired - step);
  const projected = (peak * running) / to;
  if (projected > sizing.scaleInMaxUtilisation) return undefined;
  return {
    to,
    rule: 'cpu-right-size',
    detail: `CPU at most ${peak.toFixed(0)} % for ${window} minutes: ${to} tasks would run at ${projected.toFixed(0)} % (limit ${sizing.scaleInMaxUtilisation} %)`,
  };
}
/**
 * A GPU scale-in must leave GPUs at most `scaleInMaxUtilisation` busy, with an empty queue. Why:
 * a GPU runs one generation at a time, so "at most 1 active task per node" (the seed's scale-in
 * rule) also holds for a fully busy fleet; without this guard it would scale in, build a queue,
 * and scale out minutes later.
 */
export function guardGpuScaleIn(gpu: GpuDemand, desired: number, to: number, ruleId: string): Proposal {
  const perGpu = Math.max(gpu.jobsPerGpuPerMinute, 0.001);
  const needed = Math.ceil(gpu.arrivalsPerMinute / (perGpu * gpu.scaleInMaxUtilisation));
  if (gpu.backlog > 0 || needed > to) {
    return {
      to: desired,
      rule: 'gpu-sizing',
      detail: `${ruleId} breached, but ${to} GPUs would be too busy: ${gpu.arrivalsPerMinute.toFixed(1)}/min arriving need ${needed} at ${Math.round(gpu.scaleInMaxUtilisation * 100)} %, ${gpu.backlog} queued`,
    };
  }
  return { to, rule: ruleId };
}

/**
 * Beyond the seed's +2 step: enough GPUs to serve the arrivals at `targetUtilisation` and clear
 * the backlog within `drainMinutes`, counting what is already booting (desired includes it), so a
 * burst is met in one step and never with more than the demand needs.
 */
export function sizeGpuFleet(input: ScalingInput, ruleId: string): Proposal {
  const gpu = input.gpu as GpuDemand;
  const perGpu = Math.max(gpu.jobsPerGpuPerMinute, 0.001);
  const needed = Math.ceil(
    gpu.arrivalsPerMinute / (perGpu * gpu.targetUtilisation) +
      gpu.backlog / (perGpu * Math.max(gpu.drainMinutes, 1)),
  );
  return sizedTo(
    needed,
    input.fleet.desired,
    { sizing: 'gpu-sizing', triggeredBy: ruleId, units: 'GPUs' },
    `${gpu.backlog} queued, ${gpu.arrivalsPerMinute.toFixed(1)}/min arriving, ${gpu.jobsPerGpuPerMinute}/min per GPU`,
  );
}

/** The newest datapoint of a series (missing ones skipped), or null when it has none. */
export function lastValue(series: Series | undefined): number | null {
  return [...(series ?? [])].reverse().find((v) => v !== null) ?? null;
}
