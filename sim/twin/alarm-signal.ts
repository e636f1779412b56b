import type { AlertSignal } from '../../lib/config/alert-schema';
import { evaluateMetricMath } from './metric-math';

/**
 * The value an alarm reads for one minute, from the twin's datapoints of that minute by metric
 * name: a metric's datapoint, or the alarm's own metric math over its metrics' datapoints.
 */
export function alarmSignalValue(
  signal: AlertSignal,
  datapoints: Readonly<Record<string, number | null>>,
): number | null {
  switch (signal.type) {
    case 'metric':
      return datapoints[signal.metric.metricName] ?? null;
    case 'metric-math':
      return evaluateMetricMath(signal.expression, (id) => {
        const metric = signal.metrics[id];
        if (!metric)
          throw new Error(`metric math "${signal.expression}" reads ${id}, which it does not define`);
        return datapoints[metric.metricName] ?? null;
      });
    default:
      throw new Error(`the twin evaluates metric and metric-math alarms, not ${signal.type}`);
  }
}
