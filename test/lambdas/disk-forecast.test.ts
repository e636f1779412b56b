import { Logger } from '@aws-lambda-powertools/logger';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  ListMetricsCommand,
  PutMetricDataCommand,
  type GetMetricDataCommandInput,
  type MetricDatum,
  type PutMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { readDiskForecastConfig } from '../../lambdas/aws/disk-forecast-config';
import { dataFileSystemBytes } from '../../lambdas/aws/forecast-series';
import { makeDiskForecastHandler } from '../../lambdas/disk-forecast';
import { DISK_FORECAST_DEFAULTS, diskForecastSettings } from '../../lib/config/disk-forecast';

const NOW = new Date('2026-12-04T06:00:20Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const GIB = 2 ** 30;
const INSTANCE = 'influencegen-prod-postgres';
/** prod's forecast, as the construct hands it over: the database's ceiling is maxAllocatedStorageGiB (500). */
const CONFIG = diskForecastSettings(DISK_FORECAST_DEFAULTS.prod, {
  instanceIdentifier: INSTANCE,
  ceilingGiB: 500,
});

const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };
const cloudwatch = new CloudWatchClient({ region: 'eu-west-1', credentials, maxAttempts: 1 });
const logsClient = new CloudWatchLogsClient({ region: 'eu-west-1', credentials, maxAttempts: 1 });
const cw = mockClient(cloudwatch);
const logs = mockClient(logsClient);

type Line = { level: string; message: string; fields: Record<string, unknown> };
let lines: Line[];
let published: PutMetricDataCommandInput[];
let reads: GetMetricDataCommandInput[];

function handler() {
  const logger = new Logger({ logLevel: 'SILENT' });
  for (const level of ['info', 'warn', 'error'] as const) {
    jest.spyOn(logger, level).mockImplementation(((message: string, fields?: Record<string, unknown>) => {
      lines.push({ level, message, fields: fields ?? {} });
    }) as never);
  }
  return makeDiskForecastHandler({ config: CONFIG, cloudwatch, logs: logsClient, logger, now: () => NOW });
}

/**
 * Hourly points ending at the hour before NOW's, of `value(daysFromNow)`: GetMetricData's EndTime
 * (NOW's hour) is exclusive, so the hour that has just begun has no point yet.
 */
function hourly(value: (days: number) => number, hours = 720) {
  const end = Math.floor(NOW.getTime() / HOUR) * HOUR - HOUR;
  const at = Array.from({ length: hours }, (_, i) => end - (hours - 1 - i) * HOUR);
  return { Timestamps: at.map((t) => new Date(t)), Values: at.map((t) => value((t - NOW.getTime()) / DAY)) };
}

/** Enhanced Monitoring's line for the instance, with its data file system's size in KiB. */
const osLine = (totalGiB: number) =>
  JSON.stringify({
    engine: 'POSTGRES',
    instanceID: INSTANCE,
    instanceResourceID: 'db-ABC',
    fileSys: [
      { name: 'rdsfilesys', mountPoint: '/rdsdbdata', total: totalGiB * 1024 * 1024, used: 1 },
      { name: 'rootfilesys', mountPoint: '/', total: 8 * 1024 * 1024, used: 1 },
    ],
  });

/**
 * CloudWatch as the forecast sees it: FreeStorageSpace of the database (in two pages, the second
 * behind a NextToken), disk_used_percent of each GPU host listed by ListMetrics.
 */
function serve(options: {
  databaseFreeGiB?: (days: number) => number;
  hosts?: Record<string, { value: (days: number) => number; hours: number }>;
  fileSystemGiB?: number;
}) {
  const hosts = options.hosts ?? {};
  cw.on(ListMetricsCommand).callsFake((input: { NextToken?: string }) => {
    const ids = Object.keys(hosts);
    const metric = (id: string, extra: Array<{ Name: string; Value: string }> = []) => ({
      Namespace: 'InfluenceGen/GPU',
      MetricName: 'disk_used_percent',
      Dimensions: [{ Name: 'InstanceId', Value: id }, ...extra],
    });
    // Page one: the first host twice (alone, and with the agent's full dimension set), page two the rest.
    if (!input.NextToken)
      return {
        Metrics: ids.slice(0, 1).flatMap((id) => [metric(id), metric(id, [{ Name: 'path', Value: '/' }])]),
        NextToken: ids.length > 1 ? 'more' : undefined,
      };
    return { Metrics: ids.slice(1).map((id) => metric(id)) };
  });
  cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
    reads.push({ ...input });
    const results = (input.MetricDataQueries ?? []).map((q) => {
      const metric = q.MetricStat?.Metric;
      const instance = metric?.Dimensions?.find((d) => d.Name === 'InstanceId')?.Value;
      if (metric?.Namespace === 'AWS/RDS') {
        const free = options.databaseFreeGiB;
        const all = free ? hourly((d) => free(d) * GIB) : { Timestamps: [], Values: [] };
        const half = Math.floor(all.Timestamps.length / 2);
        const page = input.NextToken ? 1 : 0;
        return {
          Id: q.Id,
          Timestamps: page === 0 ? all.Timestamps.slice(0, half) : all.Timestamps.slice(half),
          Values: page === 0 ? all.Values.slice(0, half) : all.Values.slice(half),
        };
      }
      const host = instance ? hosts[instance] : undefined;
      return {
        Id: q.Id,
        ...(host && !input.NextToken ? hourly(host.value, host.hours) : { Timestamps: [], Values: [] }),
      };
    });
    const isDatabase = input.MetricDataQueries?.some((q) => q.MetricStat?.Metric?.Namespace === 'AWS/RDS');
    return { MetricDataResults: results, NextToken: isDatabase && !input.NextToken ? 'page-2' : undefined };
  });
  logs.on(FilterLogEventsCommand).resolves({
    events:
      options.fileSystemGiB === undefined
        ? []
        : [
            { timestamp: NOW.getTime() - 120_000, message: osLine(options.fileSystemGiB - 10) },
            { timestamp: NOW.getTime() - 60_000, message: osLine(options.fileSystemGiB) },
          ],
  });
  cw.on(PutMetricDataCommand).callsFake((input: PutMetricDataCommandInput) => {
    published.push(input);
    return {};
  });
}

/** Every datum published, as `name[disk]` -> value. */
function metrics(): Record<string, number | undefined> {
  return Object.fromEntries(
    published
      .flatMap((p) => p.MetricData ?? [])
      .map((d: MetricDatum) => [
        `${d.MetricName}${d.Dimensions?.[0] ? `[${d.Dimensions[0].Value}]` : ''}`,
        d.Value,
      ]),
  );
}
const forecastLine = (disk: string) =>
  lines.find((l) => l.message === 'disk forecast' && l.fields.disk === disk);

beforeEach(() => {
  cw.reset();
  logs.reset();
  lines = [];
  published = [];
  reads = [];
});

describe('disk-forecast: the predictive disk alert (Odoo_Server_Disk_Space_Free_Predictive)', () => {
  test('a database at its ceiling filling in 5 days: alert metric raised, the date logged; hosts forecast one by one', async () => {
    serve({
      // 495 GiB of the 500 GiB ceiling allocated; 55 GiB free now, 1 GiB a day less: 10 % of the ceiling in 5 days.
      fileSystemGiB: 495,
      databaseFreeGiB: (d) => 50 - d,
      hosts: {
        'i-0aaa': { value: (d) => 40 + Math.sin(2 * Math.PI * d), hours: 720 },
        'i-0bbb': { value: (d) => 50 + 5 * d, hours: 24 },
      },
    });
    const run = await handler()();

    expect(run).toMatchObject({ status: 'WILL_FILL', predictedFull: 1, notForecast: 0 });
    expect(published.every((p) => p.Namespace === 'InfluenceGen/Forecast')).toBe(true);
    const m = metrics();
    expect(m).toMatchObject({
      DisksPredictedFull: 1,
      DisksNotForecast: 0,
      ForecastRuns: 1,
      'PredictedFullWithinWindow[database]': 1,
      'PredictedFullWithinWindow[gpu-host/i-0aaa]': 0,
    });
    expect(m['DaysUntilFull[database]']).toBeCloseTo(5, 1);
    // The young host has no verdict, so no per-disk metric (neither 0 nor 1).
    expect(m['PredictedFullWithinWindow[gpu-host/i-0bbb]']).toBeUndefined();

    const database = forecastLine('database');
    expect(database?.level).toBe('warn');
    // 720 hourly points read; the oldest is 20 s older than NOW minus 30 days, outside the training.
    expect(database?.fields).toMatchObject({ verdict: 'WILL_FILL', points: 719 });
    expect(database?.fields.reason).toMatch(
      /^free GiB at the 500 GiB ceiling: the 90 % prediction bound reaches 50 in (4\.9\d?|5) days \(trend: 5 days\)$/,
    );
    const projected = new Date(database?.fields.projectedFullAt as string).getTime();
    expect(Math.abs(projected - (NOW.getTime() + 5 * DAY))).toBeLessThan(3 * HOUR);
    expect(forecastLine('gpu-host/i-0aaa')?.fields).toMatchObject({
      verdict: expect.stringMatching(/STEADY|SHRINKING/),
    });
    expect(forecastLine('gpu-host/i-0bbb')?.fields).toMatchObject({
      verdict: 'TOO_LITTLE_HISTORY',
      reason: '24 points over 0.96 days; at least 36 points over 2 days are needed',
    });
  });

  test('reads 30 days of hourly points with GetMetricData, every page through the paginator', async () => {
    serve({ fileSystemGiB: 100, databaseFreeGiB: () => 80, hosts: {} });
    await handler()();
    const database = reads.filter(
      (r) => r.MetricDataQueries?.[0]?.MetricStat?.Metric?.Namespace === 'AWS/RDS',
    );
    expect(database.map((r) => r.NextToken)).toEqual([undefined, 'page-2']);
    const [first] = database;
    expect(first?.MetricDataQueries?.[0]?.MetricStat).toEqual({
      Metric: {
        Namespace: 'AWS/RDS',
        MetricName: 'FreeStorageSpace',
        Dimensions: [{ Name: 'DBInstanceIdentifier', Value: INSTANCE }],
      },
      Period: 3600,
      Stat: 'Minimum',
    });
    expect(new Date(first?.EndTime as Date).getTime() - new Date(first?.StartTime as Date).getTime()).toBe(
      30 * DAY,
    );
    // Aligned to the hour (the period), ending where NOW's hour begins.
    expect(new Date(first?.EndTime as Date).toISOString()).toBe('2026-12-04T06:00:00.000Z');
    // Both pages were fitted: the 720 points read but the oldest (20 s beyond the 30 days).
    expect(forecastLine('database')?.fields.points).toBe(719);
  });

  test('a steady platform: every disk forecast, nothing predicted full', async () => {
    serve({
      fileSystemGiB: 100,
      databaseFreeGiB: (d) => 60 + Math.sin(2 * Math.PI * d),
      hosts: { 'i-0aaa': { value: () => 35, hours: 720 } },
    });
    const run = await handler()();
    expect(run).toMatchObject({ status: 'OK', predictedFull: 0, notForecast: 0 });
    expect(metrics()).toMatchObject({
      DisksPredictedFull: 0,
      'PredictedFullWithinWindow[database]': 0,
      'PredictedFullWithinWindow[gpu-host/i-0aaa]': 0,
    });
    // Far from the ceiling: 60 GiB free now on 100 GiB, 400 GiB still to be added.
    expect(forecastLine('database')?.fields.latest).toBeCloseTo(460, 0);
  });

  test('GetMetricData failing: each disk logged with the reason, the failure counted and published, then one error for the watcher', async () => {
    serve({ fileSystemGiB: 100, hosts: { 'i-0aaa': { value: () => 35, hours: 720 } } });
    cw.on(GetMetricDataCommand).rejects(
      Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }),
    );
    const run = handler();

    await expect(run()).rejects.toThrow('Disk forecast incomplete: could not read database, gpu-host/i-0aaa');
    expect(forecastLine('database')).toMatchObject({
      level: 'error',
      fields: { verdict: 'READ_FAILED', reason: 'ThrottlingException: Rate exceeded' },
    });
    expect(forecastLine('gpu-host/i-0aaa')?.fields.verdict).toBe('READ_FAILED');
    expect(metrics()).toEqual({ DisksPredictedFull: 0, DisksNotForecast: 2, ForecastRuns: 1 });
    // No retry loop inside the run: one read per disk group, and the next run is the schedule's.
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(2);

    // A second run (the next hour) does the same and no more: nothing carried over.
    published = [];
    await expect(run()).rejects.toThrow('Disk forecast incomplete');
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(4);
    expect(metrics().DisksNotForecast).toBe(2);
  });

  test('the GPU hosts cannot be listed: the database is still forecast and published, the run fails', async () => {
    serve({ fileSystemGiB: 100, databaseFreeGiB: () => 80 });
    cw.on(ListMetricsCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(handler()()).rejects.toThrow('Disk forecast incomplete: could not read gpu-hosts');
    expect(metrics()).toMatchObject({ DisksNotForecast: 1, 'PredictedFullWithinWindow[database]': 0 });
  });

  test('the database with no data: NO_DATA with its reason, counted as blind, the run does not fail', async () => {
    serve({ fileSystemGiB: 100, hosts: {} });
    const run = await handler()();
    expect(run).toMatchObject({ status: 'DEGRADED', notForecast: 1, predictedFull: 0 });
    expect(forecastLine('database')?.fields).toMatchObject({
      verdict: 'NO_DATA',
      reason: 'free GiB at the 500 GiB ceiling: no datapoint in the last 30 days',
    });
    expect(metrics()).toEqual({ DisksPredictedFull: 0, DisksNotForecast: 1, ForecastRuns: 1 });
  });

  test('no Enhanced Monitoring line: the headroom to the ceiling is unknown, said so, no guess', async () => {
    serve({ databaseFreeGiB: () => 1, hosts: {} });
    const run = await handler()();
    expect(run.notForecast).toBe(1);
    expect(forecastLine('database')?.fields).toMatchObject({
      verdict: 'NO_DATA',
      reason: `no Enhanced Monitoring line of ${INSTANCE} in 15 minutes: its allocated size, and so its headroom to the ceiling, is unknown`,
    });
    expect(logs.commandCalls(FilterLogEventsCommand)[0]?.args[0].input).toMatchObject({
      logGroupName: 'RDSOSMetrics',
      filterPattern: `{ $.instanceID = "${INSTANCE}" }`,
      startTime: NOW.getTime() - 15 * 60_000,
    });
  });

  test('PutMetricData failing: logged, and the run fails for the watcher (the forecast-missing alarm also sees no run)', async () => {
    serve({ fileSystemGiB: 100, databaseFreeGiB: () => 80, hosts: {} });
    cw.on(PutMetricDataCommand).rejects(new Error('unavailable'));
    await expect(handler()()).rejects.toThrow('Disk forecast incomplete: could not publish its metrics');
    expect(lines.find((l) => l.message === 'disk forecast metrics not published')?.fields).toEqual({
      error: 'Error: unavailable',
    });
  });
});

describe('the function configuration and the Enhanced Monitoring line', () => {
  test('DISK_FORECAST_CONFIG round-trips from the synth-time settings, and a bad one names the field', () => {
    expect(readDiskForecastConfig({ DISK_FORECAST_CONFIG: JSON.stringify(CONFIG) })).toEqual(CONFIG);
    const bad = { ...CONFIG, database: { ...CONFIG.database, ceilingGiB: -1 } };
    expect(() => readDiskForecastConfig({ DISK_FORECAST_CONFIG: JSON.stringify(bad) })).toThrow(
      'Invalid function configuration: DISK_FORECAST_CONFIG.database.ceilingGiB',
    );
  });

  test("reads /rdsdbdata's size, and nothing from another instance's or a malformed line", () => {
    expect(dataFileSystemBytes(osLine(100), INSTANCE)).toBe(100 * GIB);
    expect(dataFileSystemBytes(osLine(100), 'other')).toBeUndefined();
    expect(dataFileSystemBytes('not json', INSTANCE)).toBeUndefined();
    expect(
      dataFileSystemBytes(JSON.stringify({ instanceID: INSTANCE, fileSys: [{ mountPoint: '/' }] }), INSTANCE),
    ).toBeUndefined();
  });
});
