import * as z from 'zod/mini';
import type { ForecastSettings } from '../core/forecast/types';
import { readJsonVariable } from './json-variable';

/**
 * The disk forecast's DISK_FORECAST_CONFIG (JSON, built at synth by diskForecastSettings in
 * lib/config/disk-forecast.ts from the validated config; checked again here for shape).
 */
const positive = z.number().check(z.positive());
const fraction = z.number().check(z.gte(0), z.lt(1));
const Settings = z.object({
  windowDays: positive,
  confidence: fraction,
  trainingDays: positive,
  stepMinutes: positive,
  minimumPoints: positive,
  minimumDaysCovered: positive,
  maximumMissingFraction: fraction,
  maximumStalenessHours: positive,
});
const DiskForecastConfigSchema = z.object({
  database: z.object({
    instanceIdentifier: z.string().check(z.minLength(1)),
    ceilingGiB: positive,
    thresholdFreePercent: positive,
    levelShiftGiB: positive,
    settings: Settings,
  }),
  gpuHosts: z.object({ thresholdUsedPercent: positive, levelShiftPercent: positive, settings: Settings }),
});

export interface DiskForecastFunctionConfig {
  readonly database: {
    readonly instanceIdentifier: string;
    readonly ceilingGiB: number;
    readonly thresholdFreePercent: number;
    readonly levelShiftGiB: number;
    readonly settings: ForecastSettings;
  };
  readonly gpuHosts: {
    readonly thresholdUsedPercent: number;
    readonly levelShiftPercent: number;
    readonly settings: ForecastSettings;
  };
}

export function readDiskForecastConfig(env: NodeJS.ProcessEnv = process.env): DiskForecastFunctionConfig {
  return readJsonVariable(env, 'DISK_FORECAST_CONFIG', DiskForecastConfigSchema);
}
