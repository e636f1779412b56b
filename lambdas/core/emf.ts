/**
 * CloudWatch Embedded Metric Format documents (the "Specification: Embedded metric format" page):
 * one JSON log line that CloudWatch Logs turns into datapoints, with no PutMetricData call, no
 * client and nothing to retry. The house's one EMF writer (lambdas/aws/emf-writer.ts prints what
 * this builds), by hand rather than through Powertools Metrics: a datapoint sometimes needs several
 * dimension sets, one of them empty (a metric with no dimensions), which that library does not
 * emit, and the library weighs 14 KiB in bundles held to 300 KiB.
 */
export interface EmfMetric {
  readonly name: string;
  readonly unit: 'Count' | 'Seconds' | 'Milliseconds' | 'None';
  readonly value: number;
}

export function emfDocument(
  namespace: string,
  dimensions: Readonly<Record<string, string>>,
  /** Each set is a list of keys of `dimensions`; `[]` publishes the metric without dimensions. */
  dimensionSets: ReadonlyArray<readonly string[]>,
  metrics: readonly EmfMetric[],
  timestamp: Date,
): Record<string, unknown> {
  for (const set of dimensionSets)
    for (const key of set)
      if (!(key in dimensions)) throw new Error(`EMF dimension set names ${key}, which has no value`);
  return {
    _aws: {
      Timestamp: timestamp.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: dimensionSets.map((s) => [...s]),
          Metrics: metrics.map((m) => ({ Name: m.name, Unit: m.unit })),
        },
      ],
    },
    ...dimensions,
    ...Object.fromEntries(metrics.map((m) => [m.name, m.value])),
  };
}
