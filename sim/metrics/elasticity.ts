/**
 * SPEC Research Group elasticity metrics for a discrete-time provisioning trace.
 *
 * References:
 *  - [H13] N. Herbst, S. Kounev, R. Reussner, "Elasticity in Cloud Computing: What It Is, and What It Is
 *    Not", ICAC 2013: demand d_t (minimal resources that meet the SLO) and supply s_t (resources
 *    allocated), accuracy as the under-/over-provisioned area over time, timeshare as the time spent
 *    under-/over-provisioned.
 *  - [SPEC16] N. Herbst et al., "Ready for Rain? A View from SPEC Research on the Future of Cloud
 *    Metrics", SPEC-RG-2016-01 (arXiv:1604.03470), elasticity section, and its journal version,
 *    Herbst et al., "Quantifying Cloud Performance and Dependability", ACM TOMPECS 3(4), 2018:
 *      thetaU[%] = 100/T * sum_t (d_t - s_t)^+ / d_t * dt
 *      thetaO[%] = 100/T * sum_t (s_t - d_t)^+ / d_t * dt
 *      tauU[%]   = 100/T * sum_t (sgn(d_t - s_t))^+ * dt
 *      tauO[%]   = 100/T * sum_t (sgn(s_t - d_t))^+ * dt
 *      upsilon[%] = 100/(T - 1) * sum_{t>=2} min(|sgn(ds_t) - sgn(dd_t)|, 1) * dt
 *      jitter    = (E_S - E_D) / T      (E_S supply adaptations, E_D demand changes)
 *  - The BUNGEE benchmark (github.com/NikolasHerbst/BUNGEE, tools.descartes.bungee.metric) implements
 *    the same area / duration and (E_S - E_D) / duration normalisations.
 *
 * Discretisation used here: sample t (0-based, N samples) holds for the interval [t*dt, (t+1)*dt), so
 * the measured span is T = N * dt and the sums above become averages over the samples.
 */

export interface ProvisioningSeries {
  /** Resources the load needs at each step (e.g. instances, may be fractional), length N. */
  readonly demand: readonly number[];
  /** Resources in service at each step (instances running and serving), length N. */
  readonly supply: readonly number[];
  /** Seconds per step (60 for 1-minute resolution). */
  readonly stepSeconds: number;
}

export interface ElasticityMetrics {
  /** % under-provisioning accuracy: mean of (d - s)^+ / d over the steps with d > 0. */
  readonly thetaU: number;
  /** % over-provisioning accuracy: mean of (s - d)^+ / d over the steps with d > 0. */
  readonly thetaO: number;
  /** % of time under-provisioned (d > s). */
  readonly tauU: number;
  /** % of time over-provisioned (s > d). */
  readonly tauO: number;
  /** % of step transitions in which supply and demand do not change in the same direction. */
  readonly instability: number;
  /** Adaptations per hour: (supply changes - demand changes) / hours. Negative: too few adaptations. */
  readonly jitter: number;
}

const SECONDS_PER_MINUTE = 60;
const SECONDS_PER_HOUR = 3600;

function checkValues(name: string, values: unknown): asserts values is readonly number[] {
  if (!Array.isArray(values)) {
    throw new Error(`${name} must be an array of numbers`);
  }
  values.forEach((v: unknown, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new Error(`${name}[${i}] must be a finite number >= 0, got ${String(v)}`);
    }
  });
}

/** Throws an Error naming the offending argument if the series cannot be measured. */
function validate(series: ProvisioningSeries): void {
  if (series === null || typeof series !== 'object') {
    throw new Error('series must be an object with demand, supply and stepSeconds');
  }
  const { demand, supply, stepSeconds } = series;
  if (typeof stepSeconds !== 'number' || !Number.isFinite(stepSeconds) || stepSeconds <= 0) {
    throw new Error(`series.stepSeconds must be a finite number > 0, got ${String(stepSeconds)}`);
  }
  checkValues('series.demand', demand);
  checkValues('series.supply', supply);
  if (demand.length === 0) {
    throw new Error('series.demand must not be empty');
  }
  if (supply.length !== demand.length) {
    throw new Error(
      `series.supply must have the same length as series.demand (got ${supply.length} and ${demand.length})`,
    );
  }
}

function at(values: readonly number[], i: number): number {
  // Bounds are guaranteed by validate(); this only narrows `number | undefined` for noUncheckedIndexedAccess.
  return values[i] ?? 0;
}

/** Number of steps t >= 1 where values[t] !== values[t - 1]: each change is one adaptation event. */
function changeEvents(values: readonly number[]): number {
  let events = 0;
  for (let t = 1; t < values.length; t++) {
    if (at(values, t) !== at(values, t - 1)) events++;
  }
  return events;
}

/**
 * Computes the SPEC RG elasticity metrics [SPEC16] of one provisioning trace.
 *
 * Normalisation choices where the papers leave them open:
 *  - Zero demand: the relative terms (d - s)^+ / d and (s - d)^+ / d are undefined at d = 0, so thetaU
 *    and thetaO average over the steps with d > 0 only (T+ = dt * #{t : d_t > 0} instead of T); if the
 *    demand is never positive both are 0. Supply held while demand is 0 still counts in tauO and in
 *    instanceHours(). When every step has d > 0 this is exactly the [SPEC16] formula.
 *  - Instability: the [SPEC16]/TOMPECS formula min(|sgn(ds_t) - sgn(dd_t)|, 1) counts a transition when
 *    the two directions differ, including one curve moving while the other holds (e.g. supply lagging a
 *    demand step). It is normalised by the N - 1 transitions, the discrete form of the paper's T - 1;
 *    with a single sample there is no transition and the instability is 0.
 *  - Jitter: E_S and E_D count change events (a step from 2 to 5 instances is one adaptation), per
 *    [SPEC16] "number of adaptations"; BUNGEE instead counts unit steps because its demand is integral.
 *    The rate is per hour of the measured span T = N * dt.
 *  - Comparisons are exact: d = 2.0001 against s = 2 is under-provisioned. A fractional demand that
 *    changes at every step yields E_D close to N - 1 and a high instability; pass ceil(demand) (whole
 *    instances needed) when adaptation counts should reflect instance-level changes only.
 */
export function elasticityMetrics(series: ProvisioningSeries): ElasticityMetrics {
  validate(series);
  const { demand, supply, stepSeconds } = series;
  const n = demand.length;

  let underRatioSum = 0;
  let overRatioSum = 0;
  let positiveDemandSteps = 0;
  let underSteps = 0;
  let overSteps = 0;
  for (let t = 0; t < n; t++) {
    const d = at(demand, t);
    const s = at(supply, t);
    if (d > s) underSteps++;
    else if (s > d) overSteps++;
    if (d > 0) {
      positiveDemandSteps++;
      underRatioSum += Math.max(d - s, 0) / d;
      overRatioSum += Math.max(s - d, 0) / d;
    }
  }

  let unstableTransitions = 0;
  for (let t = 1; t < n; t++) {
    const demandDirection = Math.sign(at(demand, t) - at(demand, t - 1));
    const supplyDirection = Math.sign(at(supply, t) - at(supply, t - 1));
    unstableTransitions += Math.min(Math.abs(supplyDirection - demandDirection), 1);
  }

  const hours = (n * stepSeconds) / SECONDS_PER_HOUR;
  return {
    thetaU: positiveDemandSteps > 0 ? (100 * underRatioSum) / positiveDemandSteps : 0,
    thetaO: positiveDemandSteps > 0 ? (100 * overRatioSum) / positiveDemandSteps : 0,
    tauU: (100 * underSteps) / n,
    tauO: (100 * overSteps) / n,
    instability: n > 1 ? (100 * unstableTransitions) / (n - 1) : 0,
    jitter: (changeEvents(supply) - changeEvents(demand)) / hours,
  };
}

/** Minutes where demand exceeds supply (an SLO violation proxy). */
export function sloViolationMinutes(series: ProvisioningSeries): number {
  validate(series);
  let underSteps = 0;
  for (let t = 0; t < series.demand.length; t++) {
    if (at(series.demand, t) > at(series.supply, t)) underSteps++;
  }
  return (underSteps * series.stepSeconds) / SECONDS_PER_MINUTE;
}

/** Instance-hours of supply: sum over steps of supply * stepSeconds / 3600. */
export function instanceHours(series: ProvisioningSeries): number {
  validate(series);
  let instanceSeconds = 0;
  for (const s of series.supply) instanceSeconds += s * series.stepSeconds;
  return instanceSeconds / SECONDS_PER_HOUR;
}
