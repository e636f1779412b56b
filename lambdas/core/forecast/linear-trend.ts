import { studentTQuantile } from './student-t';

/** One observation: x in days (relative to any origin), y the metric's value. */
export interface Observation {
  readonly x: number;
  readonly y: number;
}

/** An ordinary least-squares line y = intercept + slope * x, with what its prediction interval needs. */
export interface LinearTrend {
  readonly n: number;
  readonly intercept: number;
  readonly slope: number;
  /** The mean of x and the sum of squared deviations of x from it. */
  readonly meanX: number;
  readonly sxx: number;
  /** The residual standard error, sqrt(SSE / (n - 2)). */
  readonly residualStdError: number;
  /**
   * The lag-1 autocorrelation of the residuals in x order, floored at 0. Hourly disk usage is not
   * independent hour to hour: with positive autocorrelation the line's own uncertainty is larger
   * than n independent points would give, and the interval widens to match.
   */
  readonly residualAutocorrelation: number;
}

/** The autocorrelation used at most: beyond it n_eff would fall under a handful of points. */
const MAX_AUTOCORRELATION = 0.98;

/**
 * The least-squares line through at least three observations with at least two distinct x (an
 * interval needs n - 2 > 0 degrees of freedom); undefined otherwise. Centred on the mean of x, so
 * timestamps in days since 1970 lose no precision.
 */
export function fitLinearTrend(points: readonly Observation[]): LinearTrend | undefined {
  const n = points.length;
  if (n < 3) return undefined;
  const meanX = points.reduce((s, p) => s + p.x, 0) / n;
  const meanY = points.reduce((s, p) => s + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - meanX) ** 2;
    sxy += (p.x - meanX) * (p.y - meanY);
  }
  if (!(sxx > 0)) return undefined;
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  const residuals = [...points].sort((a, b) => a.x - b.x).map((p) => p.y - (intercept + slope * p.x));
  const sse = residuals.reduce((s, r) => s + r * r, 0);
  let lagged = 0;
  for (let i = 1; i < n; i++) lagged += (residuals[i] as number) * (residuals[i - 1] as number);
  const rho = sse > 0 ? Math.min(MAX_AUTOCORRELATION, Math.max(0, lagged / sse)) : 0;
  return {
    n,
    intercept,
    slope,
    meanX,
    sxx,
    residualStdError: Math.sqrt(sse / (n - 2)),
    residualAutocorrelation: rho,
  };
}

/**
 * How many independent points the series is worth, and by how much its autocorrelation inflates
 * the variance of the fitted line (the AR(1) approximation: n_eff = n (1 - ρ) / (1 + ρ)).
 */
export function effectiveSample(trend: LinearTrend): { readonly n: number; readonly inflation: number } {
  const rho = trend.residualAutocorrelation;
  return { n: (trend.n * (1 - rho)) / (1 + rho), inflation: (1 + rho) / (1 - rho) };
}

/** The trend's value at x. */
export const trendAt = (trend: LinearTrend, x: number): number => trend.intercept + trend.slope * x;

/**
 * The two-sided `confidence` prediction interval for one new observation at x:
 * ŷ ± t_{(1+c)/2, n_eff-2} · s · sqrt(1 + k (1/n + (x - x̄)² / Sxx)), where k and n_eff correct
 * the line's uncertainty for autocorrelated residuals (k = 1 and n_eff = n when they are
 * independent: the textbook interval). Its half-width grows with the distance from the data, so a
 * short, noisy or strongly autocorrelated history gives a wide, cautious interval.
 */
export function predictionInterval(
  trend: LinearTrend,
  x: number,
  confidence: number,
  q: number = intervalQuantile(trend, confidence),
): { readonly lower: number; readonly upper: number } {
  const { inflation } = effectiveSample(trend);
  const half =
    q *
    trend.residualStdError *
    Math.sqrt(1 + inflation * (1 / trend.n + (x - trend.meanX) ** 2 / trend.sxx));
  const centre = trendAt(trend, x);
  return { lower: centre - half, upper: centre + half };
}

/**
 * The t quantile of a two-sided `confidence` interval on the trend's effective n - 2 degrees of
 * freedom (at least 1).
 */
export const intervalQuantile = (trend: LinearTrend, confidence: number): number =>
  studentTQuantile((1 + confidence) / 2, Math.max(1, effectiveSample(trend).n - 2));
