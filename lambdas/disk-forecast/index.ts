import { Logger } from '@aws-lambda-powertools/logger';
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { GPU_DISK_METRIC_NAME, GPU_METRICS_NAMESPACE } from '../../lib/config/gpu-metrics';
import {
  DATABASE_DISK,
  FORECAST_DISK_DIMENSION,
  FORECAST_METRICS,
  FORECAST_NAMESPACE,
  gpuHostDisk,
  OS_METRICS_LOOKBACK_MINUTES,
} from '../../lib/config/forecast-metrics';
import { forecastDisk } from '../core/forecast/forecast';
import { hasVerdict, summarise, type DiskResult, type ForecastSummary } from '../core/forecast/summary';
import { readDiskForecastConfig, type DiskForecastFunctionConfig } from '../aws/disk-forecast-config';
import {
  listReportingInstances,
  readDatabaseFileSystemBytes,
  readHourlySeries,
} from '../aws/forecast-series';
import { lazyHandler } from '../aws/lazy-handler';

const GIB = 2 ** 30;

export interface DiskForecastDeps {
  readonly config: DiskForecastFunctionConfig;
  readonly cloudwatch: CloudWatchClient;
  readonly logs: CloudWatchLogsClient;
  readonly logger: Logger;
  readonly now: () => Date;
}

/** A run's outcome; `status`: OK, WILL_FILL (the alert's metric is raised) or DEGRADED (some disk unanswered). */
export interface DiskForecastRun extends ForecastSummary {
  readonly status: 'OK' | 'WILL_FILL' | 'DEGRADED';
  readonly at: string;
  readonly disks: readonly DiskResult[];
}

const failure = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/**
 * The predictive disk alert (seed 004 Odoo_Server_Disk_Space_Free_Predictive), run on a schedule:
 * 30 days of hourly points per disk, a linear trend with its 90 % prediction interval
 * (lambdas/core/forecast), one log line per disk with its verdict and reason, and the metrics the
 * catalogue alarm reads (InfluenceGen/Forecast DisksPredictedFull). A disk that cannot be read is
 * logged and counted (DisksNotForecast), the other disks are still forecast and published, and the
 * run then fails so that the watcher's function-error alarm reaches a person; the schedule is the
 * only retry (the construct turns Lambda's async retries off), so a failure never loops.
 */
export function makeDiskForecastHandler(deps: DiskForecastDeps) {
  return async (): Promise<DiskForecastRun> => {
    const now = deps.now();
    const disks = [...(await forecastDatabase(deps, now)), ...(await forecastGpuHosts(deps, now))];
    for (const disk of disks) {
      const level = disk.verdict === 'READ_FAILED' ? 'error' : disk.verdict === 'WILL_FILL' ? 'warn' : 'info';
      deps.logger[level]('disk forecast', { ...disk });
    }
    const summary = summarise(disks);
    let published = true;
    try {
      await publish(deps, disks, summary, now);
    } catch (error) {
      published = false;
      deps.logger.error('disk forecast metrics not published', { error: failure(error) });
    }
    const failed = disks.filter((d) => d.verdict === 'READ_FAILED').map((d) => d.disk);
    if (failed.length > 0 || !published) {
      throw new Error(
        `Disk forecast incomplete: ${[
          ...(failed.length > 0 ? [`could not read ${failed.join(', ')}`] : []),
          ...(published ? [] : ['could not publish its metrics']),
        ].join('; ')}`,
      );
    }
    const status = summary.notForecast > 0 ? 'DEGRADED' : summary.predictedFull > 0 ? 'WILL_FILL' : 'OK';
    deps.logger.info('disk forecast run', { status, ...summary, disks: disks.length });
    return { status, at: now.toISOString(), ...summary, disks };
  };
}

/**
 * The database: FreeStorageSpace (hourly minimum), moved to the storage-autoscaling ceiling - the
 * free space it would have at the ceiling is today's free space plus the storage still to be added
 * (ceiling minus today's file system) - so "full" is the ceiling's 10 %, not today's allocation's.
 */
async function forecastDatabase(deps: DiskForecastDeps, now: Date): Promise<DiskResult[]> {
  const db = deps.config.database;
  const base = { disk: DATABASE_DISK, mustReport: true };
  try {
    const [series, fileSystemBytes] = await Promise.all([
      readHourlySeries(
        deps.cloudwatch,
        [
          {
            id: 'database',
            namespace: 'AWS/RDS',
            metricName: 'FreeStorageSpace',
            dimensions: { DBInstanceIdentifier: db.instanceIdentifier },
            statistic: 'Minimum',
          },
        ],
        now,
        db.settings.trainingDays,
      ),
      readDatabaseFileSystemBytes(deps.logs, db.instanceIdentifier, now),
    ]);
    if (fileSystemBytes === undefined)
      return [
        {
          ...base,
          verdict: 'NO_DATA',
          reason: `no Enhanced Monitoring line of ${db.instanceIdentifier} in ${OS_METRICS_LOOKBACK_MINUTES} minutes: its allocated size, and so its headroom to the ceiling, is unknown`,
        },
      ];
    const toCeilingGiB = Math.max(0, db.ceilingGiB - fileSystemBytes / GIB);
    const samples = (series.database ?? []).map((s) => ({ at: s.at, value: s.value / GIB + toCeilingGiB }));
    const forecast = forecastDisk(
      samples,
      {
        fillsTowards: 'low',
        threshold: (db.ceilingGiB * db.thresholdFreePercent) / 100,
        levelShiftOf: db.levelShiftGiB,
      },
      db.settings,
      now,
    );
    return [
      { ...base, ...forecast, reason: `free GiB at the ${db.ceilingGiB} GiB ceiling: ${forecast.reason}` },
    ];
  } catch (error) {
    return [{ ...base, verdict: 'READ_FAILED', reason: failure(error) }];
  }
}

/** Each GPU host reporting now: its root volume's used % (hourly maximum). */
async function forecastGpuHosts(deps: DiskForecastDeps, now: Date): Promise<DiskResult[]> {
  const gpu = deps.config.gpuHosts;
  let hosts: string[];
  try {
    hosts = await listReportingInstances(deps.cloudwatch, GPU_METRICS_NAMESPACE, GPU_DISK_METRIC_NAME);
  } catch (error) {
    return [{ disk: 'gpu-hosts', mustReport: false, verdict: 'READ_FAILED', reason: failure(error) }];
  }
  if (hosts.length === 0) return [];
  const queries = hosts.map((instanceId, i) => ({
    id: `host${i}`,
    namespace: GPU_METRICS_NAMESPACE,
    metricName: GPU_DISK_METRIC_NAME,
    dimensions: { InstanceId: instanceId },
    statistic: 'Maximum' as const,
  }));
  try {
    const series = await readHourlySeries(deps.cloudwatch, queries, now, gpu.settings.trainingDays);
    return hosts.map((instanceId, i) => ({
      disk: gpuHostDisk(instanceId),
      mustReport: false,
      ...forecastDisk(
        series[`host${i}`] ?? [],
        { fillsTowards: 'high', threshold: gpu.thresholdUsedPercent, levelShiftOf: gpu.levelShiftPercent },
        gpu.settings,
        now,
      ),
    }));
  } catch (error) {
    return hosts.map((instanceId) => ({
      disk: gpuHostDisk(instanceId),
      mustReport: false,
      verdict: 'READ_FAILED' as const,
      reason: failure(error),
    }));
  }
}

/** PutMetricData takes up to 1000 metrics a request; a run's are far fewer, sent in chunks of 500. */
const DATA_PER_REQUEST = 500;

async function publish(
  deps: DiskForecastDeps,
  disks: readonly DiskResult[],
  summary: ForecastSummary,
  now: Date,
): Promise<void> {
  const datum = (
    name: string,
    value: number,
    disk?: string,
    unit: MetricDatum['Unit'] = 'Count',
  ): MetricDatum => ({
    MetricName: name,
    Value: value,
    Unit: unit,
    Timestamp: now,
    ...(disk === undefined ? {} : { Dimensions: [{ Name: FORECAST_DISK_DIMENSION, Value: disk }] }),
  });
  const data: MetricDatum[] = [
    datum(FORECAST_METRICS.predictedFull, summary.predictedFull),
    datum(FORECAST_METRICS.notForecast, summary.notForecast),
    datum(FORECAST_METRICS.runs, 1),
  ];
  for (const disk of disks) {
    if (!hasVerdict(disk.verdict)) continue;
    data.push(datum(FORECAST_METRICS.diskPredictedFull, disk.verdict === 'WILL_FILL' ? 1 : 0, disk.disk));
    if (disk.daysUntilFull !== undefined)
      data.push(datum(FORECAST_METRICS.daysUntilFull, disk.daysUntilFull, disk.disk, 'None'));
  }
  for (let i = 0; i < data.length; i += DATA_PER_REQUEST) {
    await deps.cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: FORECAST_NAMESPACE,
        MetricData: data.slice(i, i + DATA_PER_REQUEST),
      }),
    );
  }
}

export const handler = lazyHandler(
  (): DiskForecastDeps => ({
    config: readDiskForecastConfig(),
    cloudwatch: new CloudWatchClient({ maxAttempts: 5 }),
    logs: new CloudWatchLogsClient({ maxAttempts: 5 }),
    logger: new Logger(),
    now: () => new Date(),
  }),
  makeDiskForecastHandler,
  () => ({}),
);
