import type { ControlPlaneMetricKey, DimensionsOf } from '../../lib/config/control-plane-metrics';

/**
 * Where a handler reports the control plane's own metrics. In Lambda it is EMF through Powertools
 * (lambdas/aws/control-plane-metrics.ts); the twin and the tests keep the datapoints in memory.
 */
export interface MetricsSink {
  emit<K extends ControlPlaneMetricKey>(key: K, dimensions: DimensionsOf<K>, value?: number): void;
}

export interface Datapoint {
  readonly key: ControlPlaneMetricKey;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Keeps every datapoint, in order: what a dashboard would have plotted. */
export class RecordingMetrics implements MetricsSink {
  readonly datapoints: Datapoint[] = [];

  emit<K extends ControlPlaneMetricKey>(key: K, dimensions: DimensionsOf<K>, value = 1): void {
    this.datapoints.push({ key, dimensions: { ...dimensions }, value });
  }

  /** The sum of `key`'s datapoints whose dimensions include `where`. */
  total(key: ControlPlaneMetricKey, where: Readonly<Record<string, string>> = {}): number {
    return this.datapoints
      .filter((d) => d.key === key && Object.entries(where).every(([k, v]) => d.dimensions[k] === v))
      .reduce((sum, d) => sum + d.value, 0);
  }
}
