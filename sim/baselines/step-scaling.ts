import type { ComponentPolicy, ScalingRule } from '../../lib/config/schema';
import { ruleBreaches } from '../../lambdas/core/scaling/rules';
import type { Baseline, Observation } from './types';

/**
 * The project's seed rules (lib/config/components.ts) run as plain CloudWatch alarms driving
 * step-scaling policies, with none of the control plane's guardrails (no runaway protection, no
 * booting-capacity awareness, no database guard, no maximum scaling rate, no off-peak floor): the
 * baseline the control plane has to beat. Checked against:
 * - https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
 *   ("Evaluating an alarm"): an alarm goes to ALARM when `datapointsToAlarm` of the last
 *   `evaluationPeriods` datapoints breach (M out of N). The brief fixes missing data as
 *   notBreaching: a null (or absent) datapoint never breaches, and is never read as zero.
 * - https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-actions.html: an alarm with
 *   an Auto Scaling action invokes it every minute while it stays in ALARM (not only on the
 *   transition), so a breach that persists scales again as soon as the cooldown allows.
 * - https://docs.aws.amazon.com/cli/latest/reference/application-autoscaling/put-scaling-policy.html:
 *   when several policies fire at once, "precedence to the policy that provides the largest capacity"
 *   (scale-out wins over scale-in; the largest change wins).
 * - https://docs.aws.amazon.com/autoscaling/application/userguide/step-scaling-policy-overview.html
 *   (ChangeInCapacity adjustments; cooldowns).
 * Selection and cooldowns follow the project's own reading of the same rules
 * (lambdas/core/scaling/decide.ts): scale-out rules win over scale-in rules and the largest `change`
 * wins; a scale-in removes `scaleDownStep`; no scale-out within `cooldown.scaleUpSeconds` of the last
 * scale-out; no scale-in within `cooldown.scaleDownSeconds` of the last action of either kind. One
 * action per call; the result is clamped to [capacity.min, capacity.max].
 */
export function stepScaling(policy: ComponentPolicy): Baseline {
  const { min, max } = policy.capacity;
  const clamp = (n: number) => Math.min(max, Math.max(min, n));
  // The seeds' rules only: a right-sizing trigger is the control plane's, and has no step of its own.
  const alarms = policy.rules.filter((r) => r.origin !== 'right-sizing').map((rule) => new Alarm(rule));
  let lastScaleOutAt: number | undefined;
  let lastActionAt: number | undefined;

  return {
    name: `step-scaling(${policy.id})`,
    periodSeconds: 60,
    decide(obs: Observation): number {
      for (const alarm of alarms) alarm.record(obs.time, obs.metrics[alarm.rule.signal] ?? null);
      const fired = alarms.filter((a) => a.inAlarm(obs.time)).map((a) => a.rule);
      const current = obs.desired;
      const since = (at: number | undefined) => (at === undefined ? Infinity : obs.time - at);

      const out = fired.filter((r) => r.change > 0).sort((a, b) => b.change - a.change)[0];
      if (out) {
        if (since(lastScaleOutAt) < policy.cooldown.scaleUpSeconds) return clamp(current);
        const to = clamp(current + out.change);
        if (to > current) {
          lastScaleOutAt = lastActionAt = obs.time;
          return to;
        }
        return clamp(current);
      }

      const inward = fired.some((r) => r.change < 0);
      if (inward && since(lastActionAt) >= policy.cooldown.scaleDownSeconds) {
        const to = clamp(current - policy.scaleDownStep);
        if (to < current) {
          lastActionAt = obs.time;
          return to;
        }
      }
      return clamp(current);
    },
  };
}

/** One CloudWatch metric alarm over `rule.periodSeconds` datapoints (the latest observation per period). */
class Alarm {
  private readonly points = new Map<number, number | null>();

  constructor(readonly rule: ScalingRule) {}

  record(time: number, value: number | null): void {
    const period = Math.floor(time / this.rule.periodSeconds);
    this.points.set(period, value);
    for (const p of this.points.keys()) if (p <= period - this.rule.evaluationPeriods) this.points.delete(p);
  }

  /** M of N: at least `datapointsToAlarm` of the last `evaluationPeriods` datapoints breach. */
  inAlarm(time: number): boolean {
    const period = Math.floor(time / this.rule.periodSeconds);
    const window = Array.from({ length: this.rule.evaluationPeriods }, (_, k) => {
      const v = this.points.get(period - this.rule.evaluationPeriods + 1 + k);
      return v === undefined ? null : v;
    });
    // The same M-of-N reading as the control plane's engine.
    return ruleBreaches(this.rule, window);
  }
}
