import {
  paginateGetMetricData,
  type CloudWatchClient,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import type { MetricQuery } from '../core/scaling/queries';
import type { Series } from '../core/scaling/types';

/**
 * Reads one-minute series for the queries over the last `minutes`, oldest first, one slot per
 * minute: a minute CloudWatch has no datapoint for is null ("no signal"), never zero.
 */
export async function readSeries(
  cloudwatch: CloudWatchClient,
  queries: readonly MetricQuery[],
  now: Date,
  minutes: number,
): Promise<Record<string, Series>> {
  const end = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const start = new Date(end.getTime() - minutes * 60_000);
  const slots = Array.from({ length: minutes }, (_, i) => start.getTime() + i * 60_000);
  const values: Record<string, Map<number, number>> = {};
  const pages = paginateGetMetricData(
    { client: cloudwatch },
    {
      MetricDataQueries: queries as MetricDataQuery[],
      StartTime: start,
      EndTime: end,
      ScanBy: 'TimestampAscending',
    },
  );
  for await (const page of pages) {
    for (const result of page.MetricDataResults ?? []) {
      const map = (values[result.Id ?? ''] ??= new Map());
      (result.Timestamps ?? []).forEach((t, i) =>
        map.set(new Date(t).getTime(), result.Values?.[i] ?? Number.NaN),
      );
    }
  }
  return Object.fromEntries(
    queries
      .filter((q) => q.ReturnData)
      .map((q) => [
        q.Id,
        slots.map((slot) => {
          const v = values[q.Id]?.get(slot);
          return v === undefined || Number.isNaN(v) ? null : v;
        }),
      ]),
  );
}
