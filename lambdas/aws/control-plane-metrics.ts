import {
  CONTROL_PLANE_METRICS,
  controlPlaneNamespace,
  type ControlPlaneMetricKey,
  type DimensionsOf,
} from '../../lib/config/control-plane-metrics';
import type { MetricsSink } from '../core/metrics-sink';
import { writeEmf } from './emf-writer';

/**
 * The control plane's own metrics, written as CloudWatch Embedded Metric Format to stdout
 * (lambdas/core/emf.ts): Lambda's log pipeline turns each line into a datapoint, with no PutMetricData call,
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
    const values = Object.fromEntries(Object.entries(dimensions).map(([name, v]) => [name, String(v)]));
    // Exactly the catalogue's dimensions (no `service`): dashboards name a metric by them alone.
    writeEmf(
      this.namespace,
      values,
      [Object.keys(values)],
      [{ name: definition.name, unit: definition.unit, value }],
    );
  }
}
