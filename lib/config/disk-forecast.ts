import { z } from 'zod';
import type { EnvironmentName } from './constants';

/**
 * Seed 004's predictive disk alert (Odoo_Server_Disk_Space_Free_Predictive: 7-day window, 90 %
 * confidence, 30-day training, linear regression) for the disks that can fill: the database's
 * storage (against its storage-autoscaling ceiling) and each GPU host's root volume. docs/forecasts.md
 * says why the Odoo filestore (EFS) and the Fargate tasks' ephemeral storage are not forecast.
 * How much history a disk needs is per disk: GPU hosts come and go with scaling, so theirs is shorter.
 */
const positiveInt = z.number().int().positive();

const HistorySchema = z.object({
  /** At least this many hourly points... */
  minimumPoints: positiveInt,
  /** ...spanning at least this many days, or the answer is TOO_LITTLE_HISTORY. */
  minimumDaysCovered: z.number().positive(),
  /** Of the points expected between the first and the latest, the share that may be missing (GAPS). */
  maximumMissingFraction: z.number().min(0).lt(1),
  /** The latest point may be this old (GAPS beyond it). */
  maximumStalenessHours: z.number().positive(),
});

export const DiskForecastConfigSchema = z
  .object({
    /** How often the forecast runs; its series has one point per hour, so no more often than hourly. */
    scheduleMinutes: z.number().int().min(60).max(1440),
    windowDays: z.number().positive().max(30),
    /** The prediction interval's two-sided confidence. */
    confidence: z.number().gt(0.5).lt(1),
    trainingDays: z.number().int().min(1).max(63),
    database: z.object({
      /** Full = free space at the storage-autoscaling ceiling below this share of the ceiling. */
      thresholdFreePercent: z.number().gt(0).lt(100),
      /**
       * A rise of free space of at least this much in an hour is a level shift (storage added or
       * space freed), stitched over rather than fitted: RDS storage autoscaling adds at least 10 GiB.
       */
      levelShiftGiB: z.number().positive(),
      history: HistorySchema,
    }),
    gpuHosts: z.object({
      /** Full = the root volume's used % at or above this (seed 004: free < 10 %). */
      thresholdUsedPercent: z.number().gt(0).lt(100),
      /** A drop of used % of at least this much in an hour (images pruned) is a level shift. */
      levelShiftPercent: z.number().positive().max(100),
      history: HistorySchema,
    }),
  })
  .superRefine((c, ctx) => {
    for (const disk of ['database', 'gpuHosts'] as const) {
      const h = c[disk].history;
      if (h.minimumDaysCovered > c.trainingDays)
        ctx.addIssue({
          code: 'custom',
          path: [disk, 'history', 'minimumDaysCovered'],
          message: `must not exceed trainingDays (${c.trainingDays})`,
        });
      if (h.minimumPoints > c.trainingDays * 24)
        ctx.addIssue({
          code: 'custom',
          path: [disk, 'history', 'minimumPoints'],
          message: `must not exceed the hourly points of trainingDays (${c.trainingDays * 24})`,
        });
      if (h.minimumPoints < 3)
        ctx.addIssue({
          code: 'custom',
          path: [disk, 'history', 'minimumPoints'],
          message: 'must be at least 3 (a prediction interval needs n - 2 > 0 degrees of freedom)',
        });
    }
  });
export type DiskForecastConfig = z.infer<typeof DiskForecastConfigSchema>;

/** Seed 004's figures and the history rules, the same in every environment. */
const SEED_FORECAST = {
  windowDays: 7,
  confidence: 0.9,
  trainingDays: 30,
  database: {
    thresholdFreePercent: 10,
    levelShiftGiB: 10,
    // A week of the 30 days: the database is always there, so a shorter history means a new
    // instance or a recent storage change, and a week of hourly points gives a trend worth a page.
    history: {
      minimumPoints: 120,
      minimumDaysCovered: 7,
      maximumMissingFraction: 0.25,
      maximumStalenessHours: 3,
    },
  },
  gpuHosts: {
    thresholdUsedPercent: 90,
    levelShiftPercent: 20,
    // GPU hosts are replaced by scaling and deploys; two days of one host is enough to see its
    // volume fill (model and image layers, container logs) before seven more have passed.
    history: {
      minimumPoints: 36,
      minimumDaysCovered: 2,
      maximumMissingFraction: 0.25,
      maximumStalenessHours: 3,
    },
  },
} as const satisfies Omit<DiskForecastConfig, 'scheduleMinutes'>;

/**
 * Per environment: hourly everywhere (the series is hourly; a broken run is noticed within the
 * hour it should have run); dev keeps the forecast so that the alert path is exercised before staging.
 */
export const DISK_FORECAST_DEFAULTS: Readonly<Record<EnvironmentName, DiskForecastConfig>> = {
  prod: { ...SEED_FORECAST, scheduleMinutes: 60 },
  staging: { ...SEED_FORECAST, scheduleMinutes: 60 },
  dev: { ...SEED_FORECAST, scheduleMinutes: 60 },
};

/** The config, validated: a bad value fails synth naming the field (`diskForecast.<path>`). */
export function validateDiskForecastConfig(value: unknown, at = 'diskForecast'): DiskForecastConfig {
  const parsed = DiskForecastConfigSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${[at, ...i.path.map(String)].join('.')}: ${i.message}`);
  throw new Error(`Invalid disk forecast configuration: ${problems.join('; ')}`);
}

/** The series' period: hourly points, 720 over 30 days (GetMetricData keeps 1-hour data for 455 days). */
export const FORECAST_STEP_MINUTES = 60;

/**
 * The function's timeout: a run is a few GetMetricData pages (720 hourly points per disk), one
 * ListMetrics and one log filter of 15 minutes, seconds in all; two minutes leaves room for the
 * SDK's backoff on a throttled read (5 attempts) before the run fails and the watcher hears of it.
 */
export const DISK_FORECAST_TIMEOUT_SECONDS = 120;

/**
 * Missed or blind runs in a row before the forecast's own alarms act: one is a blip (a throttled
 * read, a deploy), three (three hours at the hourly schedule) is a forecast that is not there.
 */
export const FORECAST_RUNS_TO_ALARM = 3;

/**
 * The function's DISK_FORECAST_CONFIG (lambdas/aws/disk-forecast-config.ts): per disk, the limit
 * and the forecast settings. `ceilingGiB` is the database's storage-autoscaling ceiling
 * (database.maxAllocatedStorageGiB, or its allocated storage where autoscaling is off).
 */
export function diskForecastSettings(
  config: DiskForecastConfig,
  database: { readonly instanceIdentifier: string; readonly ceilingGiB: number },
) {
  const settings = (history: DiskForecastConfig['database']['history']) => ({
    windowDays: config.windowDays,
    confidence: config.confidence,
    trainingDays: config.trainingDays,
    stepMinutes: FORECAST_STEP_MINUTES,
    ...history,
  });
  return {
    database: {
      instanceIdentifier: database.instanceIdentifier,
      ceilingGiB: database.ceilingGiB,
      thresholdFreePercent: config.database.thresholdFreePercent,
      levelShiftGiB: config.database.levelShiftGiB,
      settings: settings(config.database.history),
    },
    gpuHosts: {
      thresholdUsedPercent: config.gpuHosts.thresholdUsedPercent,
      levelShiftPercent: config.gpuHosts.levelShiftPercent,
      settings: settings(config.gpuHosts.history),
    },
  };
}
