import { EDGE_METRICS } from '../../lib/config/edge-blocking-metrics';
import { stdoutWriter, writeEmf, type EmfLineWriter } from './emf-writer';

export type EdgeMetricName = Exclude<keyof typeof EDGE_METRICS, 'namespace'>;

/** Where the detector's numbers go; tests keep them. */
export interface EdgeMetricsSink {
  emit(metric: EdgeMetricName, value: number, dimensions?: Readonly<Record<string, string>>): void;
}

/**
 * The detector's metrics as CloudWatch Embedded Metric Format: one JSON document per datapoint on
 * stdout (lambdas/aws/emf-writer.ts), which Lambda's log pipeline turns into the metric.
 */
export class EdgeMetrics implements EdgeMetricsSink {
  constructor(private readonly write: EmfLineWriter = stdoutWriter) {}

  emit(metric: EdgeMetricName, value: number, dimensions: Readonly<Record<string, string>> = {}): void {
    writeEmf(
      EDGE_METRICS.namespace,
      dimensions,
      [Object.keys(dimensions)],
      [{ name: EDGE_METRICS[metric], unit: 'Count', value }],
      this.write,
    );
  }
}
