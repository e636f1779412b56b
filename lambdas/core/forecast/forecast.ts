import {
  fitLinearTrend,
  intervalQuantile,
  predictionInterval,
  trendAt,
  type LinearTrend,
} from './linear-trend';
import type { DiskForecast, DiskLimit, ForecastSettings, Sample } from './types';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const round = (value: number, digits = 2): number => Number(value.toFixed(digits));
const iso = (now: Date, days: number): string => new Date(now.getTime() + days * DAY_MS).toISOString();

/**
 * Seed 004's predictive disk alert for one disk: an ordinary least-squares line over the training
 * period's points, and the alert when the bad side of its prediction interval (the lower bound of
 * free space, the upper bound of used %) reaches the threshold within the window. A series that
 * cannot carry a trend - nothing, too little, too gappy, too old - is answered with its reason and
 * never alerts: the handler counts those answers, so they are not silent either.
 */
export function forecastDisk(
  samples: readonly Sample[],
  limit: DiskLimit,
  settings: ForecastSettings,
  now: Date,
): DiskForecast {
  const since = now.getTime() - settings.trainingDays * DAY_MS;
  const inWindow = [...samples]
    .filter((s) => Number.isFinite(s.value) && s.at >= since && s.at <= now.getTime())
    .sort((a, b) => a.at - b.at)
    .filter((s, i, all) => i === 0 || all[i - 1]?.at !== s.at);
  if (inWindow.length === 0)
    return {
      verdict: 'NO_DATA',
      reason: `no datapoint in the last ${settings.trainingDays} days`,
      points: 0,
      daysCovered: 0,
      missingFraction: 1,
    };

  const { history, shifts } = stitchLevelShifts(inWindow, limit);
  const first = history[0] as Sample;
  const last = history[history.length - 1] as Sample;
  const daysCovered = (last.at - first.at) / DAY_MS;
  const expected = Math.floor((last.at - first.at) / (settings.stepMinutes * 60_000)) + 1;
  const missingFraction = Math.max(0, 1 - history.length / expected);
  const base = {
    points: history.length,
    daysCovered: round(daysCovered),
    missingFraction: round(missingFraction, 3),
    historyFrom: new Date(first.at).toISOString(),
    latest: last.value,
    levelShifts: shifts,
  };
  const stitched =
    shifts > 0
      ? `; ${shifts} level shift(s) of at least ${limit.levelShiftOf} away from full (storage added, space freed) stitched`
      : '';

  const staleHours = (now.getTime() - last.at) / HOUR_MS;
  if (staleHours > settings.maximumStalenessHours)
    return {
      ...base,
      verdict: 'GAPS',
      reason: `the latest datapoint is ${round(staleHours, 1)} h old (at most ${settings.maximumStalenessHours} h)`,
    };
  if (history.length < settings.minimumPoints || daysCovered < settings.minimumDaysCovered)
    return {
      ...base,
      verdict: 'TOO_LITTLE_HISTORY',
      reason: `${history.length} points over ${round(daysCovered)} days; at least ${settings.minimumPoints} points over ${settings.minimumDaysCovered} days are needed${stitched}`,
    };
  if (missingFraction > settings.maximumMissingFraction)
    return {
      ...base,
      verdict: 'GAPS',
      reason: `${round(missingFraction * 100, 1)} % of the expected points are missing (at most ${round(settings.maximumMissingFraction * 100, 1)} %)`,
    };

  const trend = fitLinearTrend(history.map((s) => ({ x: (s.at - now.getTime()) / DAY_MS, y: s.value })));
  if (!trend) return { ...base, verdict: 'TOO_LITTLE_HISTORY', reason: 'the points do not determine a line' };
  const slopePerDay = trend.slope;
  const towardsFull = limit.fillsTowards === 'low' ? -slopePerDay : slopePerDay;
  const trendDays = trendCrossing(trend, limit);
  const withTrend = {
    ...base,
    slopePerDay,
    ...(trendDays === undefined ? {} : { trendFullAt: iso(now, trendDays) }),
  };
  const percent = round(settings.confidence * 100, 1);

  const crossing = boundCrossing(trend, limit, settings);
  if (crossing !== undefined)
    return {
      ...withTrend,
      verdict: 'WILL_FILL',
      reason: `the ${percent} % prediction bound reaches ${limit.threshold} in ${round(crossing)} days (trend: ${trendDays === undefined ? 'not heading there' : `${round(trendDays)} days`})${stitched}`,
      projectedFullAt: iso(now, crossing),
      daysUntilFull: round(crossing, 3),
    };
  return {
    ...withTrend,
    verdict: towardsFull >= 0 ? 'STEADY' : 'SHRINKING',
    reason:
      towardsFull >= 0
        ? `the ${percent} % prediction bound stays short of ${limit.threshold} for ${settings.windowDays} days (trend: ${trendDays === undefined ? 'flat' : `${round(trendDays)} days`})${stitched}`
        : `the trend moves away from full (${round(slopePerDay, 4)} per day)${stitched}`,
  };
}

/**
 * The samples with every earlier point moved by each later level shift (a move away from full of
 * at least `levelShiftOf` between two points), so that the series continues from today's level. A
 * sudden move towards full is never a shift: it is usage, and counts.
 */
function stitchLevelShifts(
  samples: readonly Sample[],
  limit: DiskLimit,
): { history: Sample[]; shifts: number } {
  const step = limit.levelShiftOf;
  if (step === undefined) return { history: [...samples], shifts: 0 };
  const history = [...samples];
  let offset = 0;
  let shifts = 0;
  for (let i = samples.length - 1; i >= 0; i--) {
    const sample = samples[i] as Sample;
    history[i] = { at: sample.at, value: sample.value + offset };
    const before = samples[i - 1];
    if (!before) continue;
    const move = sample.value - before.value;
    if ((limit.fillsTowards === 'low' ? move : -move) >= step) {
      offset += move;
      shifts++;
    }
  }
  return { history, shifts };
}

const reached = (value: number, limit: DiskLimit): boolean =>
  limit.fillsTowards === 'low' ? value <= limit.threshold : value >= limit.threshold;

/** Days from now until the trend line reaches the threshold, if it heads there. */
function trendCrossing(trend: LinearTrend, limit: DiskLimit): number | undefined {
  if (reached(trendAt(trend, 0), limit)) return 0;
  if (trend.slope === 0) return undefined;
  const days = (limit.threshold - trend.intercept) / trend.slope;
  return days > 0 ? days : undefined;
}

/**
 * The first time in [now, now + window] the bad-side bound reaches the threshold: scanned at the
 * series' step (the bound is not monotonic - the interval widens with distance), then bisected.
 */
function boundCrossing(trend: LinearTrend, limit: DiskLimit, settings: ForecastSettings): number | undefined {
  const q = intervalQuantile(trend, settings.confidence);
  const bound = (x: number) => {
    const interval = predictionInterval(trend, x, settings.confidence, q);
    return limit.fillsTowards === 'low' ? interval.lower : interval.upper;
  };
  if (reached(bound(0), limit)) return 0;
  const step = settings.stepMinutes / 1440;
  for (let x = step, previous = 0; previous < settings.windowDays; previous = x, x += step) {
    const at = Math.min(x, settings.windowDays);
    if (!reached(bound(at), limit)) continue;
    let low = previous;
    let high = at;
    for (let i = 0; i < 40; i++) {
      const mid = (low + high) / 2;
      if (reached(bound(mid), limit)) high = mid;
      else low = mid;
    }
    return high;
  }
  return undefined;
}
