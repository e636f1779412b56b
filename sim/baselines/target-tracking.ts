import type { Baseline, Observation } from './types';

/**
 * AWS target tracking, as Application Auto Scaling runs it for an ECS service (and EC2 Auto Scaling
 * for a group). Checked against:
 * - https://docs.aws.amazon.com/autoscaling/application/userguide/target-tracking-scaling-policy-overview.html
 *   (awsdocs/application-auto-scaling-user-guide, doc_source/application-auto-scaling-target-tracking.md):
 *   scale out "proportionally to the metric as fast as it can", scale in "more gradually", and only
 *   once utilisation is "far enough below the target value (usually more than 10% lower)"; rounding is
 *   conservative (add 1.5 -> add 2, remove 1.5 -> remove 1); no scale-in on INSUFFICIENT_DATA;
 *   the scale-out cooldown lets "a larger scale out" through and counts the capacity added by the
 *   initiating scale-out as part of the next one; a scale-out during the scale-in cooldown happens
 *   immediately and ends that cooldown.
 * - https://docs.aws.amazon.com/autoscaling/application/APIReference/API_TargetTrackingScalingPolicyConfiguration.html
 *   (ScaleOutCooldown / ScaleInCooldown): default 300 s for ECS services (0 s for DynamoDB, Lambda...).
 * - https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-target-tracking.html:
 *   "A scale-in activity can't start while a scale-out activity is in progress".
 * - https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-actions.html: an alarm with an
 *   Auto Scaling action keeps invoking it every minute while it stays in ALARM.
 * - The managed alarms themselves are not specified on the guide's pages; as created (and reported in
 *   https://github.com/aws/containers-roadmap/issues/638 and
 *   https://github.com/hashicorp/terraform-provider-aws/issues/42553) they are 1-minute alarms:
 *   AlarmHigh "metric > target for 3 datapoints within 3 minutes", AlarmLow
 *   "metric < 0.9 x target for 15 datapoints within 15 minutes".
 */

/** AlarmHigh: 3 of 3 one-minute datapoints above the target. */
export const SCALE_OUT_DATAPOINTS = 3;
/** AlarmLow: 15 of 15 one-minute datapoints below the scale-in threshold. */
export const SCALE_IN_DATAPOINTS = 15;
/** AlarmLow's threshold as a share of the target ("usually more than 10% lower"). */
export const SCALE_IN_THRESHOLD_RATIO = 0.9;
/** Application Auto Scaling's default cooldowns for an ECS service, both directions. */
export const ECS_DEFAULT_COOLDOWN_SECONDS = 300;

const PERIOD_SECONDS = 60;

export interface TargetTrackingOptions {
  /** Metric name in `Observation.metrics` (an average per unit of capacity, e.g. 'cpu-utilization'). */
  readonly metric: string;
  readonly target: number;
  readonly min: number;
  readonly max: number;
  /** Default 300 s (ECS service). */
  readonly scaleOutCooldownSeconds?: number;
  /** Default 300 s (ECS service). */
  readonly scaleInCooldownSeconds?: number;
}

export function targetTracking(options: TargetTrackingOptions): Baseline {
  const { metric, target, min, max } = options;
  if (!(target > 0)) throw new Error(`target tracking needs a positive target value, not ${target}`);
  if (min > max) throw new Error(`min ${min} exceeds max ${max}`);
  const scaleOutCooldown = options.scaleOutCooldownSeconds ?? ECS_DEFAULT_COOLDOWN_SECONDS;
  const scaleInCooldown = options.scaleInCooldownSeconds ?? ECS_DEFAULT_COOLDOWN_SECONDS;
  const lowThreshold = target * SCALE_IN_THRESHOLD_RATIO;
  const history = new MinuteSeries(SCALE_IN_DATAPOINTS);

  /** The last scale-out: when, and the capacity it started from (the base while its cooldown runs). */
  let lastScaleOut: { readonly at: number; readonly base: number } | undefined;
  let lastScaleInAt: number | undefined;

  return {
    name: `target-tracking(${metric}=${target})`,
    periodSeconds: PERIOD_SECONDS,
    decide(obs: Observation): number {
      const value = obs.metrics[metric] ?? null;
      history.record(obs.time, value);
      const current = obs.desired;
      const clamp = (n: number) => Math.min(max, Math.max(min, n));

      const inScaleOutCooldown = lastScaleOut !== undefined && obs.time - lastScaleOut.at < scaleOutCooldown;
      const inScaleInCooldown = lastScaleInAt !== undefined && obs.time - lastScaleInAt < scaleInCooldown;

      // AlarmHigh in ALARM: proportional scale-out, rounded up.
      if (value !== null && history.allBreach(obs.time, SCALE_OUT_DATAPOINTS, (v) => v > target)) {
        // During the scale-out cooldown the metric still describes the capacity from before the
        // initiating scale-out, and what that scale-out added counts towards this one: only a
        // larger scale-out goes through.
        const base = inScaleOutCooldown && lastScaleOut ? lastScaleOut.base : current;
        const wanted = clamp(Math.ceil((base * value) / target));
        if (wanted > current) {
          lastScaleOut = { at: obs.time, base };
          lastScaleInAt = undefined; // a scale-out ends the scale-in cooldown
          return wanted;
        }
        return clamp(current);
      }

      // AlarmLow in ALARM: scale in, rounded up (removing 1.5 removes 1), never during either cooldown.
      if (
        value !== null &&
        !inScaleOutCooldown &&
        !inScaleInCooldown &&
        history.allBreach(obs.time, SCALE_IN_DATAPOINTS, (v) => v < lowThreshold)
      ) {
        const wanted = clamp(Math.ceil((current * value) / target));
        if (wanted < current) {
          lastScaleInAt = obs.time;
          return wanted;
        }
      }
      return clamp(current);
    },
  };
}

/**
 * One-minute datapoints keyed by minute (the latest observation in a minute is that minute's
 * datapoint). A minute without an observation, or with a null one, is missing and never breaches.
 */
class MinuteSeries {
  private readonly points = new Map<number, number | null>();

  constructor(private readonly keep: number) {}

  record(time: number, value: number | null): void {
    const minute = Math.floor(time / PERIOD_SECONDS);
    this.points.set(minute, value);
    for (const m of this.points.keys()) if (m <= minute - this.keep) this.points.delete(m);
  }

  /** Whether each of the `n` datapoints ending at `time`'s minute is present and breaching. */
  allBreach(time: number, n: number, breaches: (v: number) => boolean): boolean {
    const minute = Math.floor(time / PERIOD_SECONDS);
    for (let m = minute - n + 1; m <= minute; m++) {
      const v = this.points.get(m);
      if (v === undefined || v === null || !breaches(v)) return false;
    }
    return true;
  }
}
