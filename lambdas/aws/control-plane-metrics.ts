import { Metrics } from '@aws-lambda-powertools/metrics';
import {
  CONTROL_PLANE_METRICS,
  controlPlaneNamespace,
  type ControlPlaneMetricKey,
  type DimensionsOf,
} from '../../lib/config/control-plane-metrics';
import type { MetricsSink } from '../core/metrics-sink';

/**
 * The control plane's own metrics, written as CloudWatch Embedded Metric Format to stdout by
 * Powertools: Lambda's log pipeline turns each line into a datapoint, with no PutMetricData call,
 * no client in the bundle and nothing to retry. One EMF document per emission, flushed at once,
 * so every datapoint carries exactly its catalogue dimensions and a crash later in the invocation
 * cannot lose it. Handlers emit only when they change something for the first time: a retried
 * step that finds its work done emits nothing, so the counts are of actions, not of attempts.
 */
export class ControlPlaneMetrics implements MetricsSink {
  private readonly namespace: string;

  constructor(environment: string) {
    this.namespace = controlPlaneNamespace(environment);
  }

  emit<K extends ControlPlaneMetricKey>(key: K, dimensions: DimensionsOf<K>, value = 1): void {
    const definition = CONTROL_PLANE_METRICS[key];
    const metric = new Metrics({ namespace: this.namespace, singleMetric: true });
    // Powertools adds `service` to every metric by default; the catalogue's dimensions are the contract.
    metric.clearDefaultDimensions();
    for (const [name, dimensionValue] of Object.entries(dimensions))
      metric.addDimension(name, String(dimensionValue));
    metric.addMetric(definition.name, definition.unit, value);
  }
}
