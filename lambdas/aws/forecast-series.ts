import { paginateListMetrics, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { paginateFilterLogEvents, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { OS_METRICS_LOOKBACK_MINUTES, RDS_OS_METRICS_LOG_GROUP } from '../../lib/config/forecast-metrics';
import type { MetricQuery } from '../core/scaling/queries';
import type { Sample } from '../core/forecast/types';
import { readSeries } from './metrics';

/** One series to read: a metric, its dimensions and the statistic of each hourly point. */
export interface SeriesQuery {
  readonly id: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: 'Minimum' | 'Maximum' | 'Average';
}

const HOUR_MS = 3_600_000;

/**
 * Hourly points of each query over the last `days`, ending at the last whole hour, by query id; a
 * query with no datapoint has []. Read through the scaling's GetMetricData adapter (readSeries, every
 * page), whose one-minute slots hold each hourly point at its hour and leave the other 59 empty.
 */
export async function readHourlySeries(
  cloudwatch: CloudWatchClient,
  queries: readonly SeriesQuery[],
  now: Date,
  days: number,
): Promise<Record<string, Sample[]>> {
  const end = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  const minutes = days * 24 * 60;
  const start = end - minutes * 60_000;
  const series = await readSeries(
    cloudwatch,
    queries.map((q): MetricQuery => ({
      Id: q.id,
      ReturnData: true,
      MetricStat: {
        Metric: {
          Namespace: q.namespace,
          MetricName: q.metricName,
          Dimensions: Object.entries(q.dimensions).map(([Name, Value]) => ({ Name, Value })),
        },
        Period: HOUR_MS / 1000,
        Stat: q.statistic,
      },
    })),
    new Date(end),
    minutes,
  );
  return Object.fromEntries(
    queries.map((q) => [
      q.id,
      (series[q.id] ?? []).flatMap((value, i) => (value === null ? [] : [{ at: start + i * 60_000, value }])),
    ]),
  );
}

/**
 * The instances publishing `metricName` per InstanceId alone (the agent's aggregation) in the last
 * three hours: the GPU hosts alive now, without reading EC2 or Auto Scaling (ListMetrics, paginated).
 */
export async function listReportingInstances(
  cloudwatch: CloudWatchClient,
  namespace: string,
  metricName: string,
): Promise<string[]> {
  const instances = new Set<string>();
  const pages = paginateListMetrics(
    { client: cloudwatch },
    {
      Namespace: namespace,
      MetricName: metricName,
      Dimensions: [{ Name: 'InstanceId' }],
      RecentlyActive: 'PT3H',
    },
  );
  for await (const page of pages) {
    for (const metric of page.Metrics ?? []) {
      const dimensions = metric.Dimensions ?? [];
      const only = dimensions.length === 1 ? dimensions[0] : undefined;
      if (only?.Name === 'InstanceId' && only.Value) instances.add(only.Value);
    }
  }
  return [...instances].sort();
}

interface OsMetricsLine {
  readonly instanceID?: unknown;
  readonly fileSys?: ReadonlyArray<{ readonly mountPoint?: unknown; readonly total?: unknown }>;
}

/**
 * The size in bytes of the database's data file system (`/rdsdbdata`) now, from its latest
 * Enhanced Monitoring line of the last OS_METRICS_LOOKBACK_MINUTES (`fileSys[].total`, in KiB): RDS publishes the
 * storage's free space as a metric but its allocated size nowhere else than DescribeDBInstances
 * (whose client this function does not carry). Undefined when no line says it.
 */
export async function readDatabaseFileSystemBytes(
  logs: CloudWatchLogsClient,
  instanceIdentifier: string,
  now: Date,
): Promise<number | undefined> {
  let latest: { at: number; bytes: number } | undefined;
  const pages = paginateFilterLogEvents(
    { client: logs },
    {
      logGroupName: RDS_OS_METRICS_LOG_GROUP,
      startTime: now.getTime() - OS_METRICS_LOOKBACK_MINUTES * 60_000,
      endTime: now.getTime(),
      filterPattern: `{ $.instanceID = "${instanceIdentifier}" }`,
    },
  );
  for await (const page of pages) {
    for (const event of page.events ?? []) {
      const bytes = dataFileSystemBytes(event.message, instanceIdentifier);
      const at = event.timestamp ?? 0;
      if (bytes !== undefined && (!latest || at >= latest.at)) latest = { at, bytes };
    }
  }
  return latest?.bytes;
}

/** `/rdsdbdata`'s total (KiB) in one Enhanced Monitoring line, in bytes; undefined if absent. */
export function dataFileSystemBytes(
  message: string | undefined,
  instanceIdentifier: string,
): number | undefined {
  let line: OsMetricsLine;
  try {
    line = JSON.parse(message ?? '') as OsMetricsLine;
  } catch {
    return undefined;
  }
  if (line.instanceID !== instanceIdentifier || !Array.isArray(line.fileSys)) return undefined;
  const fileSystems: NonNullable<OsMetricsLine['fileSys']> = line.fileSys;
  const data = fileSystems.find((f) => f.mountPoint === '/rdsdbdata');
  return typeof data?.total === 'number' && data.total > 0 ? data.total * 1024 : undefined;
}
