/**
 * The cost/SLO frontier: what a baseline autoscaler (target tracking, the HPA) costs for each
 * service level when its one knob, the target, is swept. A policy is judged against that whole
 * curve, not against one point of it: a policy that keeps more headroom than target tracking's 70 %
 * is not "over-provisioned" if target tracking needs as many instance-hours for the same
 * SLO-violation minutes.
 *
 * The curve is the Pareto frontier of the swept points (a target that costs more and violates more
 * than another is dominated and dropped), read as a piecewise-linear function both ways:
 * instance-hours at given SLO-violation minutes, and SLO-violation minutes at given instance-hours.
 * Outside the swept range there is no curve to read: the ratio is null, and the reason says which
 * side the policy falls on.
 */

/** One swept configuration of a baseline: its target and what it measured. */
export interface FrontierPoint {
  /** The target as a share of the tracked metric's full scale (0.4 = 40 % CPU, 4 of 10 job slots). */
  readonly target: number;
  readonly sloViolationMinutes: number;
  readonly instanceHours: number;
}

/** A ratio, or null with the reason it cannot be read. */
export type Ratio = { readonly value: number } | { readonly value: null; readonly reason: string };

/** The swept targets: 40, 45, ..., 85 %. */
export const FRONTIER_TARGETS: readonly number[] = Array.from({ length: 10 }, (_, i) => 0.4 + i * 0.05).map(
  (t) => Math.round(t * 100) / 100,
);

/**
 * The non-dominated points, by SLO-violation minutes ascending and instance-hours strictly
 * descending. Of points with equal SLO minutes only the cheapest stays.
 */
export function paretoFrontier(points: readonly FrontierPoint[]): FrontierPoint[] {
  const sorted = [...points].sort(
    (a, b) => a.sloViolationMinutes - b.sloViolationMinutes || a.instanceHours - b.instanceHours,
  );
  const frontier: FrontierPoint[] = [];
  for (const p of sorted) {
    const last = frontier[frontier.length - 1];
    if (!last || p.instanceHours < last.instanceHours) frontier.push(p);
  }
  return frontier;
}

const pct = (target: number) => `${Math.round(target * 100)} %`;
const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** Linear interpolation of y at x between two points of a monotone curve. */
function between(x: number, x0: number, y0: number, x1: number, y1: number): number {
  return x1 === x0 ? Math.min(y0, y1) : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
}

/**
 * Instance-hours the baseline needs for `slo` SLO-violation minutes: the frontier interpolated on
 * SLO-violation minutes. Null below the fewest minutes any target reached (no target bought that
 * service level) and above the most (every target did better).
 */
export function costAtSlo(points: readonly FrontierPoint[], slo: number, name: string): Ratio {
  const f = paretoFrontier(points);
  const first = f[0];
  const last = f[f.length - 1];
  if (!first || !last) return { value: null, reason: `${name} has no frontier points` };
  if (slo < first.sloViolationMinutes)
    return {
      value: null,
      reason: `${fmt(slo)} SLO-violation minutes is fewer than any ${name} target reached (best: ${fmt(first.sloViolationMinutes)} at ${pct(first.target)}): below the curve's range`,
    };
  if (slo > last.sloViolationMinutes)
    return {
      value: null,
      reason: `${fmt(slo)} SLO-violation minutes is more than the cheapest ${name} target on its frontier (${fmt(last.sloViolationMinutes)} at ${pct(last.target)}): above the curve's range`,
    };
  for (let i = 0; i < f.length; i++) {
    const a = f[i] as FrontierPoint;
    const b = f[i + 1];
    if (slo === a.sloViolationMinutes) return { value: a.instanceHours };
    if (b && slo < b.sloViolationMinutes)
      return {
        value: between(slo, a.sloViolationMinutes, a.instanceHours, b.sloViolationMinutes, b.instanceHours),
      };
  }
  return { value: last.instanceHours };
}

/**
 * SLO-violation minutes the baseline has at `hours` instance-hours: the frontier interpolated on
 * instance-hours. Null above the dearest frontier point's cost and below the cheapest's.
 */
export function sloAtCost(points: readonly FrontierPoint[], hours: number, name: string): Ratio {
  const f = paretoFrontier(points);
  const dearest = f[0];
  const cheapest = f[f.length - 1];
  if (!dearest || !cheapest) return { value: null, reason: `${name} has no frontier points` };
  if (hours > dearest.instanceHours)
    return {
      value: null,
      reason: `${fmt(hours)} instance-hours is more than any ${name} target on its frontier spent (${fmt(dearest.instanceHours)} at ${pct(dearest.target)}): outside the curve's range`,
    };
  if (hours < cheapest.instanceHours)
    return {
      value: null,
      reason: `${fmt(hours)} instance-hours is less than any ${name} target spent (${fmt(cheapest.instanceHours)} at ${pct(cheapest.target)}): outside the curve's range`,
    };
  for (let i = 0; i < f.length; i++) {
    const a = f[i] as FrontierPoint;
    const b = f[i + 1];
    if (hours === a.instanceHours) return { value: a.sloViolationMinutes };
    if (b && hours > b.instanceHours)
      return {
        value: between(hours, a.instanceHours, a.sloViolationMinutes, b.instanceHours, b.sloViolationMinutes),
      };
  }
  return { value: cheapest.sloViolationMinutes };
}

/** What a policy measured, as the ratios read it. */
export interface CostAndSlo {
  readonly sloViolationMinutes: number;
  readonly instanceHours: number;
}

/** The three ratios of a policy against the baseline's frontier and the oracle; each null with a reason. */
export interface FrontierRatios {
  readonly frontierCostRatio: number | null;
  readonly frontierCostRatioReason?: string;
  readonly frontierSloRatio: number | null;
  readonly frontierSloRatioReason?: string;
  readonly oracleCostRatio: number | null;
  readonly oracleCostRatioReason?: string;
}

/**
 * - frontierCostRatio: the policy's instance-hours over the baseline's at the same SLO-violation
 *   minutes (what the same service level costs with this policy, relative to the baseline);
 * - frontierSloRatio: the policy's avoidable SLO-violation minutes (its own minus the oracle's,
 *   which no policy can avoid) over the baseline's avoidable minutes at the policy's own cost;
 * - oracleCostRatio: the policy's instance-hours over the oracle's.
 */
export function frontierRatios(
  policy: CostAndSlo,
  baseline: readonly FrontierPoint[],
  oracle: CostAndSlo,
  name = 'target tracking',
): FrontierRatios {
  const round = (n: number) => Math.round(n * 1000) / 1000;
  const cost = costAtSlo(baseline, policy.sloViolationMinutes, name);
  const costRatio: Ratio =
    cost.value === null
      ? cost
      : cost.value > 0
        ? { value: round(policy.instanceHours / cost.value) }
        : { value: null, reason: `${name} spends 0 instance-hours at this service level` };
  const slo = sloAtCost(baseline, policy.instanceHours, name);
  const avoidable = Math.max(0, policy.sloViolationMinutes - oracle.sloViolationMinutes);
  let sloRatio: Ratio;
  if (slo.value === null) sloRatio = slo;
  else {
    const baselineAvoidable = Math.max(0, slo.value - oracle.sloViolationMinutes);
    sloRatio =
      baselineAvoidable > 0
        ? { value: round(avoidable / baselineAvoidable) }
        : {
            value: null,
            reason: `${name} has no avoidable SLO-violation minutes at ${fmt(policy.instanceHours)} instance-hours (${fmt(slo.value)}, the oracle ${fmt(oracle.sloViolationMinutes)}): nothing to halve`,
          };
  }
  const oracleRatio: Ratio =
    oracle.instanceHours > 0
      ? { value: round(policy.instanceHours / oracle.instanceHours) }
      : { value: null, reason: 'the oracle spends 0 instance-hours' };
  return {
    frontierCostRatio: costRatio.value,
    ...(costRatio.value === null ? { frontierCostRatioReason: costRatio.reason } : {}),
    frontierSloRatio: sloRatio.value,
    ...(sloRatio.value === null ? { frontierSloRatioReason: sloRatio.reason } : {}),
    oracleCostRatio: oracleRatio.value,
    ...(oracleRatio.value === null ? { oracleCostRatioReason: oracleRatio.reason } : {}),
  };
}
