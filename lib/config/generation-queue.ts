import type { MetricSpec } from './alert-schema';

/**
 * The generation queue's SQS depth metrics, named once: `waiting` is what no Flux task has taken
 * yet, `inFlight` what tasks have received and not yet finished. The queue name is resolved at
 * synth from the `queue:generation` dimension target.
 */
export function generationQueueMetric(
  depth: 'waiting' | 'inFlight',
  statistic: MetricSpec['statistic'],
): MetricSpec {
  return {
    namespace: 'AWS/SQS',
    metricName:
      depth === 'waiting' ? 'ApproximateNumberOfMessagesVisible' : 'ApproximateNumberOfMessagesNotVisible',
    dimensions: { QueueName: 'queue:generation' },
    statistic,
  };
}
