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
}

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
  const sse = points.reduce((s, p) => s + (p.y - (intercept + slope * p.x)) ** 2, 0);
  return { n, intercept, slope, meanX, sxx, residualStdError: Math.sqrt(sse / (n - 2)) };
}

/** The trend's value at x. */
export const trendAt = (trend: LinearTrend, x: number): number => trend.intercept + trend.slope * x;

/**
 * The two-sided `confidence` prediction interval for one new observation at x:
 * ŷ ± t_{(1+c)/2, n-2} · s · sqrt(1 + 1/n + (x - x̄)² / Sxx). Its half-width grows with the
 * distance from the data, so a short or noisy history gives a wide, cautious interval.
 */
export function predictionInterval(
  trend: LinearTrend,
  x: number,
  confidence: number,
  q: number = intervalQuantile(trend, confidence),
): { readonly lower: number; readonly upper: number } {
  const half = q * trend.residualStdError * Math.sqrt(1 + 1 / trend.n + (x - trend.meanX) ** 2 / trend.sxx);
  const centre = trendAt(trend, x);
  return { lower: centre - half, upper: centre + half };
}

/** The t quantile of a two-sided `confidence` interval on the trend's n - 2 degrees of freedom. */
export const intervalQuantile = (trend: LinearTrend, confidence: number): number =>
  studentTQuantile((1 + confidence) / 2, trend.n - 2);
