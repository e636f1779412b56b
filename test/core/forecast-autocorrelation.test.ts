import {
  effectiveSample,
  fitLinearTrend,
  intervalQuantile,
  predictionInterval,
  type LinearTrend,
  type Observation,
} from '../../lambdas/core/forecast/linear-trend';
import { studentTQuantile } from '../../lambdas/core/forecast/student-t';
import { seededRandom } from '../../sim/twin/random';

/** Standard normal draws (Box-Muller) from a seeded generator. */
function normal(seed: number): () => number {
  const u = seededRandom(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

const HOURS = 720;
/** 30 days of hourly points ending now (x in days, x <= 0), and the hour 7 days ahead. */
const xs = Array.from({ length: HOURS }, (_, i) => (i - (HOURS - 1)) / 24);
const AHEAD = 7;

/** A line (free GiB falling 1 a day) plus AR(1) noise: e_t = ρ e_{t-1} + σ √(1-ρ²) z_t (marginal sd σ). */
function series(rho: number, seed: number, sigma = 1): { points: Observation[]; future: number } {
  const z = normal(seed);
  let e = sigma * z();
  const noise = xs.map(() => (e = rho * e + sigma * Math.sqrt(1 - rho * rho) * z()));
  // The noise walks on through the 168 hours to the one 7 days ahead.
  for (let h = 0; h < AHEAD * 24; h++) e = rho * e + sigma * Math.sqrt(1 - rho * rho) * z();
  return {
    points: xs.map((x, i) => ({ x, y: 100 - x * -1 + (noise[i] as number) })),
    future: 100 + AHEAD + e,
  };
}

/** The textbook interval: independent residuals assumed. */
function textbook(trend: LinearTrend, x: number, confidence: number) {
  const independent = { ...trend, residualAutocorrelation: 0 };
  return predictionInterval(independent, x, confidence, intervalQuantile(independent, confidence));
}

describe('the prediction interval corrected for autocorrelated residuals', () => {
  test('independent noise: the lag-1 autocorrelation is near 0 and the interval is the textbook one', () => {
    const trend = fitLinearTrend(series(0, 1).points) as LinearTrend;
    expect(trend.residualAutocorrelation).toBeLessThan(0.08);
    const corrected = predictionInterval(trend, AHEAD, 0.9);
    const plain = textbook(trend, AHEAD, 0.9);
    expect((corrected.upper - corrected.lower) / (plain.upper - plain.lower)).toBeLessThan(1.01);
  });

  test('AR(1) noise with ρ = 0.9: ρ is recovered, n_eff is about n/19, and the 7-day interval is about 11 % wider', () => {
    const trend = fitLinearTrend(series(0.9, 2).points) as LinearTrend;
    expect(trend.residualAutocorrelation).toBeGreaterThan(0.85);
    expect(trend.residualAutocorrelation).toBeLessThan(0.95);
    const { n, inflation } = effectiveSample(trend);
    expect(n).toBeGreaterThan(HOURS / 40);
    expect(n).toBeLessThan(HOURS / 10);
    // By hand at ρ = 0.9: sqrt(1 + 19 × 0.0104) / sqrt(1.0104) = 1.088 from the line's uncertainty,
    // times t(0.95, ~36) / t(0.95, 718) = 1.688 / 1.647 = 1.025 from the degrees of freedom.
    const expected =
      (Math.sqrt(1 + inflation * (1 / HOURS + (AHEAD - trend.meanX) ** 2 / trend.sxx)) /
        Math.sqrt(1 + 1 / HOURS + (AHEAD - trend.meanX) ** 2 / trend.sxx)) *
      (studentTQuantile(0.95, n - 2) / studentTQuantile(0.95, HOURS - 2));
    const corrected = predictionInterval(trend, AHEAD, 0.9);
    const plain = textbook(trend, AHEAD, 0.9);
    const ratio = (corrected.upper - corrected.lower) / (plain.upper - plain.lower);
    expect(ratio).toBeCloseTo(expected, 10);
    expect(ratio).toBeGreaterThan(1.06);
    expect(ratio).toBeLessThan(1.2);
  });

  test('over 2,000 seeded AR(1) series (ρ = 0.9) the corrected 90 % interval covers the day-7 value at least as often as the textbook one, and near 90 %', () => {
    let corrected = 0;
    let plain = 0;
    const runs = 2000;
    for (let seed = 1; seed <= runs; seed++) {
      const { points, future } = series(0.9, 1000 + seed);
      const trend = fitLinearTrend(points) as LinearTrend;
      const c = predictionInterval(trend, AHEAD, 0.9);
      const p = textbook(trend, AHEAD, 0.9);
      if (future >= c.lower && future <= c.upper) corrected++;
      if (future >= p.lower && future <= p.upper) plain++;
    }
    expect(corrected).toBeGreaterThanOrEqual(plain);
    expect(corrected / runs).toBeGreaterThan(0.87);
    expect(corrected / runs).toBeLessThan(0.95);
  });
});
