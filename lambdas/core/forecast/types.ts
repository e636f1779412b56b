/**
 * What a disk forecast reads and answers. Plain data: the settings come from lib/config/disk-forecast.ts
 * (through the function's DISK_FORECAST_CONFIG), the samples from CloudWatch (lambdas/aws/forecast-series.ts).
 */

/** Every answer a forecast can give; the handler logs it and counts it. */
export const FORECAST_VERDICTS = [
  /** The interval's bound on the bad side reaches the threshold within the window: the alert. */
  'WILL_FILL',
  /** Filling (or flat), but neither the bound nor the trend reach the threshold within the window. */
  'STEADY',
  /** The trend moves away from full. */
  'SHRINKING',
  /** Too few points, or too few days covered, to fit a trend worth alerting on. */
  'TOO_LITTLE_HISTORY',
  /** Points exist, but too many of the expected ones are missing, or the latest is too old. */
  'GAPS',
  /** No point at all in the training period. */
  'NO_DATA',
] as const;
export type ForecastVerdict = (typeof FORECAST_VERDICTS)[number];

export interface ForecastSettings {
  /** How far ahead the alert looks (seed 004: 7 days). */
  readonly windowDays: number;
  /** The prediction interval's two-sided confidence (seed 004: 90 %). */
  readonly confidence: number;
  /** How much history is fitted (seed 004: 30 days). */
  readonly trainingDays: number;
  /** The series' period: one point per `stepMinutes` is the expected count. */
  readonly stepMinutes: number;
  readonly minimumPoints: number;
  readonly minimumDaysCovered: number;
  /** Of the points expected between the first and the last, the share that may be missing. */
  readonly maximumMissingFraction: number;
  /** The latest point may be this old; older, the series no longer says where the disk is now. */
  readonly maximumStalenessHours: number;
}

export interface DiskLimit {
  /** `low`: the value falls as the disk fills (free bytes); `high`: it rises (used %). */
  readonly fillsTowards: 'low' | 'high';
  /** The value at which the disk counts as full (seed 004: 10 % free). */
  readonly threshold: number;
  /**
   * A move away from full of at least this much between two points is a level shift, not usage:
   * storage was added (RDS storage autoscaling) or space freed. The points before it are moved by
   * the shift, so the history continues from the new level and keeps its rate of growth.
   */
  readonly levelShiftOf?: number;
}

/** One CloudWatch datapoint: its timestamp (epoch ms) and value. */
export interface Sample {
  readonly at: number;
  readonly value: number;
}

export interface DiskForecast {
  readonly verdict: ForecastVerdict;
  /** The verdict in words, for the log line and the runbook. */
  readonly reason: string;
  /** Points fitted (after the training cut and level shifts are stitched). */
  readonly points: number;
  readonly daysCovered: number;
  readonly missingFraction: number;
  /** Where the fitted history starts (ISO), when it exists. */
  readonly historyFrom?: string;
  /** Level shifts (storage added, space freed) the history was stitched across. */
  readonly levelShifts?: number;
  /** The latest value and the trend's change per day. */
  readonly latest?: number;
  readonly slopePerDay?: number;
  /** WILL_FILL: when the bad-side bound reaches the threshold, and that bound's value there. */
  readonly projectedFullAt?: string;
  readonly daysUntilFull?: number;
  /** When the trend line itself reaches the threshold (any time ahead), if it heads there. */
  readonly trendFullAt?: string;
}
