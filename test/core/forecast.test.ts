import { forecastDisk } from '../../lambdas/core/forecast/forecast';
import { fitLinearTrend, predictionInterval } from '../../lambdas/core/forecast/linear-trend';
import { studentTCdf, studentTQuantile } from '../../lambdas/core/forecast/student-t';
import { summarise, type DiskResult } from '../../lambdas/core/forecast/summary';
import type { DiskLimit, ForecastSettings, Sample } from '../../lambdas/core/forecast/types';

const NOW = new Date('2026-12-04T06:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The database's settings from lib/config/disk-forecast.ts: seed 004's 7 days, 90 %, 30 days. */
const SETTINGS: ForecastSettings = {
  windowDays: 7,
  confidence: 0.9,
  trainingDays: 30,
  stepMinutes: 60,
  minimumPoints: 120,
  minimumDaysCovered: 7,
  maximumMissingFraction: 0.25,
  maximumStalenessHours: 3,
};
/** Free GiB; full at 10 GiB. */
const FREE: DiskLimit = { fillsTowards: 'low', threshold: 10 };

/** Hourly samples ending at NOW (720 over 30 days) of `value(daysFromNow)` (daysFromNow <= 0). */
function hourly(value: (days: number) => number, hours = 720, endHoursBeforeNow = 0): Sample[] {
  return Array.from({ length: hours }, (_, i) => {
    const at = NOW.getTime() - (endHoursBeforeNow + hours - 1 - i) * HOUR;
    return { at, value: value((at - NOW.getTime()) / DAY) };
  });
}
/** Noise with a known spread: +σ and -σ on alternate hours (sample standard deviation σ). */
const alternating = (sigma: number) => (days: number) => (Math.round(days * 24) % 2 === 0 ? sigma : -sigma);
const daysFromNow = (iso: string | undefined) => (new Date(iso ?? NaN).getTime() - NOW.getTime()) / DAY;

describe('studentTQuantile: the t distribution, held to the printed tables', () => {
  test.each([
    [0.95, 1, 6.3138],
    [0.95, 2, 2.92],
    [0.95, 3, 2.3534],
    [0.95, 5, 2.015],
    [0.95, 10, 1.8125],
    [0.95, 30, 1.6973],
    [0.95, 120, 1.6577],
    [0.95, 718, 1.647],
    [0.95, 1e7, 1.6449],
    [0.975, 10, 2.2281],
    [0.975, 30, 2.0423],
    [0.995, 3, 5.8409],
    [0.9, 20, 1.3253],
  ])('t(%p, %p df) = %p', (p, df, table) => {
    expect(studentTQuantile(p, df)).toBeCloseTo(table, 3);
  });

  test('symmetric below the median, and the CDF inverts it', () => {
    expect(studentTQuantile(0.05, 7)).toBeCloseTo(-studentTQuantile(0.95, 7), 10);
    expect(studentTQuantile(0.5, 4)).toBeCloseTo(0, 9);
    expect(studentTCdf(studentTQuantile(0.95, 13), 13)).toBeCloseTo(0.95, 9);
  });

  test('refuses a probability outside (0, 1) or a non-positive df, naming it', () => {
    expect(() => studentTQuantile(1, 5)).toThrow('p must be in (0, 1), got 1');
    expect(() => studentTQuantile(0.9, 0)).toThrow('df must be positive, got 0');
  });
});

describe('fitLinearTrend and predictionInterval: known answers', () => {
  // x = 1..5, y = 2 4 5 4 5: slope 0.6, intercept 2.2, SSE 2.4, s² = 0.8; at x = 6 the 90 %
  // interval is 5.8 ± t(0.95, 3) · sqrt(0.8 · (1 + 1/5 + 9/10)) = 5.8 ± 3.05031.
  const fitted = fitLinearTrend([2, 4, 5, 4, 5].map((y, i) => ({ x: i + 1, y })));
  if (!fitted) throw new Error('five points with distinct x determine a line');
  const trend = fitted;

  test('the least-squares line and its residual error', () => {
    expect(trend?.slope).toBeCloseTo(0.6, 12);
    expect(trend?.intercept).toBeCloseTo(2.2, 12);
    expect(trend?.residualStdError).toBeCloseTo(Math.sqrt(0.8), 12);
  });

  test('the 90 % prediction interval of a new point', () => {
    const interval = predictionInterval(trend, 6, 0.9);
    expect(interval.lower).toBeCloseTo(2.749694, 4);
    expect(interval.upper).toBeCloseTo(8.850306, 4);
  });

  test('no line through fewer than three points or one x', () => {
    expect(
      fitLinearTrend([
        { x: 0, y: 1 },
        { x: 1, y: 2 },
      ]),
    ).toBeUndefined();
    expect(fitLinearTrend([1, 2, 3].map((y) => ({ x: 4, y })))).toBeUndefined();
  });
});

describe('forecastDisk: the predictive alert on synthetic series with known answers', () => {
  test('a steady disk (a daily cycle around 50 GiB free) raises no alert', () => {
    const result = forecastDisk(
      hourly((d) => 50 + 2 * Math.sin(2 * Math.PI * d)),
      FREE,
      SETTINGS,
      NOW,
    );
    expect(['STEADY', 'SHRINKING']).toContain(result.verdict);
    expect(result.projectedFullAt).toBeUndefined();
    expect(result.points).toBe(720);
    expect(Math.abs(result.slopePerDay ?? NaN)).toBeLessThan(0.05);
  });

  test('a disk filling 1 GiB a day from 15 GiB free alerts, full in 5 days', () => {
    const result = forecastDisk(
      hourly((d) => 15 - d + alternating(0.05)(d)),
      FREE,
      SETTINGS,
      NOW,
    );
    expect(result.verdict).toBe('WILL_FILL');
    // The bound is a little ahead of the trend (5 days); both within two hours of it.
    expect(result.daysUntilFull).toBeGreaterThan(4.9);
    expect(result.daysUntilFull).toBeLessThanOrEqual(5);
    expect(daysFromNow(result.projectedFullAt)).toBeCloseTo(result.daysUntilFull ?? NaN, 3);
    expect(daysFromNow(result.trendFullAt)).toBeCloseTo(5, 1);
    expect(result.slopePerDay).toBeCloseTo(-1, 2);
    expect(result.reason).toMatch(/^the 90 % prediction bound reaches 10 in 4\.9\d? days/);
  });

  test('a disk that fills in 20 days raises no alert within the 7-day window', () => {
    const result = forecastDisk(
      hourly((d) => 30 - d + alternating(0.05)(d)),
      FREE,
      SETTINGS,
      NOW,
    );
    expect(result.verdict).toBe('STEADY');
    expect(result.projectedFullAt).toBeUndefined();
    expect(daysFromNow(result.trendFullAt)).toBeCloseTo(20, 1);
  });

  test('a noisy disk whose trend is full in 9 days but whose 90 % bound is in 6 alerts at 6', () => {
    // Trend: 19 GiB free now, -1 GiB a day, so 10 GiB in 9 days. With σ = 1.81 over 720 points,
    // the bound is t(0.95, 718) · s · sqrt(1 + 1/n + (6 - x̄)²/Sxx) = 1.647 · 1.8125 · 1.0048 ≈ 3
    // below the trend at day 6: 19 - 6 - 3 = 10.
    const result = forecastDisk(
      hourly((d) => 19 - d + alternating(1.81)(d)),
      FREE,
      SETTINGS,
      NOW,
    );
    expect(daysFromNow(result.trendFullAt)).toBeCloseTo(9, 1);
    expect(result.verdict).toBe('WILL_FILL');
    expect(result.daysUntilFull).toBeGreaterThan(5.85);
    expect(result.daysUntilFull).toBeLessThan(6.15);
    // The same series judged by its trend alone (a confidence of almost nothing) would wait.
    const trendOnly = forecastDisk(
      hourly((d) => 19 - d + alternating(1.81)(d)),
      FREE,
      { ...SETTINGS, confidence: 0.000001 },
      NOW,
    );
    expect(trendOnly.verdict).toBe('STEADY');
  });

  test('too little history: no alert, with the reason, however fast the disk fills', () => {
    const result = forecastDisk(
      hourly((d) => 12 - 2 * d, 48),
      FREE,
      SETTINGS,
      NOW,
    );
    expect(result.verdict).toBe('TOO_LITTLE_HISTORY');
    expect(result.projectedFullAt).toBeUndefined();
    expect(result.reason).toBe('48 points over 1.96 days; at least 120 points over 7 days are needed');
    // Enough points but too short a span is the same answer.
    const dense = forecastDisk(
      hourly((d) => 12 - 2 * d, 150),
      FREE,
      { ...SETTINGS, minimumDaysCovered: 10 },
      NOW,
    );
    expect(dense.verdict).toBe('TOO_LITTLE_HISTORY');
  });

  test('no datapoint at all is NO_DATA; points outside the 30 days and NaN values are not fitted', () => {
    expect(forecastDisk([], FREE, SETTINGS, NOW)).toMatchObject({
      verdict: 'NO_DATA',
      reason: 'no datapoint in the last 30 days',
      points: 0,
    });
    const old = hourly(() => 5, 100).map((s) => ({ ...s, at: s.at - 40 * DAY }));
    const withNaN = hourly((d) => 15 - d).map((s, i) => (i % 10 === 0 ? { ...s, value: Number.NaN } : s));
    const result = forecastDisk([...old, ...withNaN], FREE, SETTINGS, NOW);
    expect(result.points).toBe(648);
    expect(result.verdict).toBe('WILL_FILL');
    expect(result.daysUntilFull).toBeCloseTo(5, 2);
  });

  describe('gaps', () => {
    const filling = hourly((d) => 15 - d + alternating(0.05)(d));

    test('a fifth of the points missing: fitted over what exists, the same answer', () => {
      const sparse = filling.filter((_, i) => i % 5 !== 0 || i === filling.length - 1);
      const result = forecastDisk(sparse, FREE, SETTINGS, NOW);
      expect(result.missingFraction).toBeGreaterThan(0.19);
      expect(result.verdict).toBe('WILL_FILL');
      expect(result.daysUntilFull).toBeGreaterThan(4.8);
      expect(result.daysUntilFull).toBeLessThanOrEqual(5);
    });

    test('a missing week in the middle is a gap, not a reason to stop', () => {
      const holed = filling.filter((s) => s.at < NOW.getTime() - 20 * DAY || s.at > NOW.getTime() - 13 * DAY);
      expect(forecastDisk(holed, FREE, SETTINGS, NOW).verdict).toBe('WILL_FILL');
    });

    test('half the points missing: GAPS, no alert, with the share', () => {
      const result = forecastDisk(
        filling.filter((_, i) => i % 2 === 1),
        FREE,
        SETTINGS,
        NOW,
      );
      expect(result.verdict).toBe('GAPS');
      // 360 points where 719 are expected between the first and the last.
      expect(result.reason).toBe('49.9 % of the expected points are missing (at most 25 %)');
    });

    test('no point in the last 5 hours: GAPS, the series no longer says where the disk is', () => {
      const result = forecastDisk(
        hourly((d) => 15 - d, 700, 5),
        FREE,
        SETTINGS,
        NOW,
      );
      expect(result.verdict).toBe('GAPS');
      expect(result.reason).toBe('the latest datapoint is 5 h old (at most 3 h)');
    });
  });

  test('storage autoscaling (free space up 20 GiB in an hour) is stitched over, not read as a shrinking disk', () => {
    // Usage grows 1 GiB a day throughout; 10 days ago autoscaling added 20 GiB.
    const series = hourly((d) => 15 - d - (d < -10 ? 20 : 0));
    const stitched = forecastDisk(series, { ...FREE, levelShiftOf: 10 }, SETTINGS, NOW);
    expect(stitched.verdict).toBe('WILL_FILL');
    expect(stitched.levelShifts).toBe(1);
    // The stitch moves the earlier points by the hour's whole jump (20 GiB less that hour's 1/24 GiB
    // of growth), so the fit is all but exact. What is left is a 1/24 GiB step: one long run of
    // residuals, fully autocorrelated, which widens the tiny interval a little: within 45 minutes
    // of 5 days.
    expect(stitched.daysUntilFull).toBeGreaterThan(4.968);
    expect(stitched.daysUntilFull).toBeLessThanOrEqual(5);
    expect(stitched.reason).toContain('1 level shift(s) of at least 10 away from full');
    // Read as it is, the jump hides the growth: the line reads about a ninth of the real rate, and
    // only the noise the jump adds keeps the bound near the threshold.
    const unstitched = forecastDisk(series, FREE, SETTINGS, NOW);
    expect(unstitched.slopePerDay).toBeGreaterThan(-0.2);
    expect(daysFromNow(unstitched.trendFullAt)).toBeGreaterThan(30);
  });

  test('a sudden fill (free space down 20 GiB) is usage, never stitched', () => {
    const series = hourly((d) => 40 - (d > -1 ? 25 : 0));
    const result = forecastDisk(series, { ...FREE, levelShiftOf: 10 }, SETTINGS, NOW);
    expect(result.levelShifts).toBe(0);
    expect(result.latest).toBe(15);
  });

  test('used % (a GPU host root volume) fills upwards: 80 % rising 2 points a day is full (90 %) in 5 days', () => {
    const gpu: ForecastSettings = { ...SETTINGS, minimumPoints: 36, minimumDaysCovered: 2 };
    const result = forecastDisk(
      hourly((d) => 80 + 2 * d, 72),
      { fillsTowards: 'high', threshold: 90 },
      gpu,
      NOW,
    );
    expect(result.verdict).toBe('WILL_FILL');
    expect(result.daysUntilFull).toBeCloseTo(5, 2);
    const falling = forecastDisk(
      hourly((d) => 60 - 2 * d, 72),
      { fillsTowards: 'high', threshold: 90 },
      gpu,
      NOW,
    );
    expect(falling.verdict).toBe('SHRINKING');
  });

  test('a disk already past the threshold is full now (0 days)', () => {
    const result = forecastDisk(
      hourly((d) => 8 - 0.1 * d),
      FREE,
      SETTINGS,
      NOW,
    );
    expect(result).toMatchObject({
      verdict: 'WILL_FILL',
      daysUntilFull: 0,
      projectedFullAt: NOW.toISOString(),
    });
  });
});

describe('summarise: what the run publishes', () => {
  const result = (disk: string, verdict: DiskResult['verdict'], mustReport = false): DiskResult => ({
    disk,
    verdict,
    reason: '',
    mustReport,
  });

  test('counts disks predicted full, and the disks the forecast is blind to', () => {
    expect(
      summarise([
        result('database', 'WILL_FILL', true),
        result('gpu-host/i-1', 'WILL_FILL'),
        result('gpu-host/i-2', 'TOO_LITTLE_HISTORY'),
        result('gpu-host/i-3', 'GAPS'),
      ]),
    ).toEqual({ predictedFull: 2, notForecast: 0 });
    expect(
      summarise([
        result('database', 'GAPS', true),
        result('gpu-hosts', 'READ_FAILED'),
        result('gpu-host/i-1', 'NO_DATA'),
      ]),
    ).toEqual({ predictedFull: 0, notForecast: 2 });
    expect(summarise([result('database', 'TOO_LITTLE_HISTORY', true)])).toEqual({
      predictedFull: 0,
      notForecast: 0,
    });
  });
});
