import type { Baseline, Observation } from './types';

/**
 * The Kubernetes HorizontalPodAutoscaler (autoscaling/v2) with its documented defaults, for one
 * average-per-pod metric. Checked against
 * https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
 * (kubernetes/website, content/en/docs/tasks/run-application/horizontal-pod-autoscale.md), sections
 * "Algorithm details" and "Default Behavior", and, where the page is silent, the controller it
 * describes (kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go, replica_calculator.go):
 * - a control loop every 15 s (--horizontal-pod-autoscaler-sync-period);
 * - desiredReplicas = ceil(currentReplicas * currentMetricValue / desiredMetricValue), skipped when the
 *   ratio is within the tolerance (0.1, inclusive: |1 - ratio| <= 0.1);
 * - pods not yet ready are set aside; if the workload would scale up, they are counted as consuming
 *   0 % of the target and the ratio recomputed; a ratio that then falls within the tolerance, or
 *   reverses the direction, means no scaling;
 * - when the metric cannot be read at all, the HPA does not scale;
 * - default behaviour: scale-up without stabilisation, policies 100 % or 4 pods per 15 s (selectPolicy
 *   Max, so the larger of the two); scale-down stabilisation window 300 s (the highest recommendation
 *   in the window wins) and one policy of 100 % per 15 s (straight to the recommendation);
 * - [minReplicas, maxReplicas], a current count outside them is brought back first; a target scaled to
 *   0 by hand (with minReplicas > 0) is left alone ("implicit maintenance-mode deactivation").
 *
 * Mapping to the twin: currentReplicas is `obs.desired` (scale.spec.replicas, what the HPA reads);
 * ready pods are `min(obs.running, obs.desired)`; the pods asked for but not running are the
 * not-yet-ready ones; the metric is the average over the ready pods.
 */

export const SYNC_PERIOD_SECONDS = 15;
export const TOLERANCE = 0.1;
export const DOWNSCALE_STABILIZATION_SECONDS = 300;

interface ScalingPolicy {
  readonly type: 'Pods' | 'Percent';
  readonly value: number;
  readonly periodSeconds: number;
}

/** The documented defaults of `spec.behavior` (selectPolicy Max in both directions). */
const SCALE_UP_POLICIES: readonly ScalingPolicy[] = [
  { type: 'Percent', value: 100, periodSeconds: 15 },
  { type: 'Pods', value: 4, periodSeconds: 15 },
];
const SCALE_DOWN_POLICIES: readonly ScalingPolicy[] = [{ type: 'Percent', value: 100, periodSeconds: 15 }];

export interface HpaOptions {
  /** Metric name in `Observation.metrics`: the average over the ready pods (e.g. 'cpu-utilization'). */
  readonly metric: string;
  /** Target average value (averageUtilization in % for 'cpu-utilization'). */
  readonly target: number;
  readonly min: number;
  readonly max: number;
}

interface Timed {
  readonly at: number;
  readonly value: number;
}

export function hpa(options: HpaOptions): Baseline {
  const { metric, target, min, max } = options;
  if (!(target > 0)) throw new Error(`the HPA needs a positive target value, not ${target}`);
  if (min > max) throw new Error(`min ${min} exceeds max ${max}`);
  /** Unstabilised recommendations of the last window (recordInitialRecommendation seeds it). */
  let recommendations: Timed[] | undefined;
  const scaleUpEvents: Timed[] = [];
  const scaleDownEvents: Timed[] = [];

  const changeSince = (events: readonly Timed[], now: number, periodSeconds: number) =>
    events.filter((e) => e.at > now - periodSeconds).reduce((sum, e) => sum + e.value, 0);

  /** The replica count the metric asks for, or undefined when it cannot be computed. */
  function replicasForMetric(obs: Observation, current: number): number | undefined {
    const value = obs.metrics[metric];
    if (value === undefined || value === null || !Number.isFinite(value)) return undefined;
    const ready = Math.min(Math.max(obs.running, 0), current);
    const unready = current - ready;
    if (ready <= 0) return undefined; // no pod with metrics: "pods might be unready"
    const usageRatio = value / target;
    const scaleUpWithUnready = unready > 0 && usageRatio > 1;
    if (!scaleUpWithUnready) {
      if (Math.abs(1 - usageRatio) <= TOLERANCE) return current;
      return Math.ceil(usageRatio * ready);
    }
    // Not-yet-ready pods count as using 0 % of the target on a scale-up.
    const newUsageRatio = (value * ready) / (target * current);
    if (Math.abs(1 - newUsageRatio) <= TOLERANCE || newUsageRatio < 1) return current;
    const newReplicas = Math.ceil(newUsageRatio * current);
    return newReplicas < current ? current : newReplicas;
  }

  /** normalizeDesiredReplicasWithBehaviors: stabilise, then apply the rate policies and the bounds. */
  function normalize(now: number, current: number, proposed: number): number {
    const window = (recommendations ?? []).filter((r) => r.at > now - DOWNSCALE_STABILIZATION_SECONDS);
    // Scale-up stabilisation window is 0 s: nothing older than now bounds it.
    const upRecommendation = proposed;
    const downRecommendation = Math.max(proposed, ...window.map((r) => r.value));
    recommendations = [...window, { at: now, value: proposed }];
    let recommendation = current;
    if (recommendation < upRecommendation) recommendation = upRecommendation;
    if (recommendation > downRecommendation) recommendation = downRecommendation;

    if (recommendation > current) {
      let limit = -Infinity;
      for (const p of SCALE_UP_POLICIES) {
        const start =
          current -
          changeSince(scaleUpEvents, now, p.periodSeconds) +
          changeSince(scaleDownEvents, now, p.periodSeconds);
        const proposal = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
        limit = Math.max(limit, proposal);
      }
      return Math.min(recommendation, max, Math.max(limit, current));
    }
    if (recommendation < current) {
      let limit = Infinity;
      for (const p of SCALE_DOWN_POLICIES) {
        const start =
          current -
          changeSince(scaleUpEvents, now, p.periodSeconds) +
          changeSince(scaleDownEvents, now, p.periodSeconds);
        const proposal = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
        limit = Math.min(limit, proposal);
      }
      return Math.max(recommendation, min, Math.min(limit, current));
    }
    return recommendation;
  }

  return {
    name: `hpa(${metric}=${target})`,
    periodSeconds: SYNC_PERIOD_SECONDS,
    decide(obs: Observation): number {
      const now = obs.time;
      const current = obs.desired;
      recommendations ??= [{ at: now, value: current }];
      if (current === 0 && min > 0) return 0; // scaled to zero by hand: autoscaling is inactive

      let desired: number;
      if (current > max) desired = max;
      else if (current < min) desired = min;
      else {
        const proposed = replicasForMetric(obs, current);
        if (proposed === undefined) return current; // FailedGetResourceMetric: no scaling
        desired = normalize(now, current, proposed);
      }

      if (desired > current) scaleUpEvents.push({ at: now, value: desired - current });
      else if (desired < current) scaleDownEvents.push({ at: now, value: current - desired });
      const oldest =
        now - Math.max(...[...SCALE_UP_POLICIES, ...SCALE_DOWN_POLICIES].map((p) => p.periodSeconds));
      for (const events of [scaleUpEvents, scaleDownEvents]) {
        while (events.length > 0 && (events[0] as Timed).at <= oldest) events.shift();
      }
      return desired;
    },
  };
}
