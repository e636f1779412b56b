import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { WatchedDeadLetters } from './dead-letters';
import { FIVE_MINUTES, GRID } from './dashboard-grid';

/**
 * The dead-letter queues DeadLetterAlarms watches, one line each: letters waiting (one alarms) and
 * how long the oldest has waited (they are kept 14 days).
 */
export function deadLetterWidgets(
  queues: Readonly<Record<string, WatchedDeadLetters>>,
): cloudwatch.GraphWidget[] {
  const entries = Object.entries(queues);
  const at = (label: string) => ({ period: FIVE_MINUTES, statistic: 'Maximum', label });
  return [
    new cloudwatch.GraphWidget({
      title: 'Dead letters waiting, per queue (one alarms)',
      width: GRID.half,
      left: entries.map(([label, { queue }]) => queue.metricApproximateNumberOfMessagesVisible(at(label))),
      leftYAxis: { min: 0, showUnits: false },
      leftAnnotations: [{ value: 1, label: 'alarm', color: '#d62728' }],
    }),
    new cloudwatch.GraphWidget({
      title: 'Oldest dead letter, per queue (s)',
      width: GRID.half,
      left: entries.map(([label, { queue }]) => queue.metricApproximateAgeOfOldestMessage(at(label))),
      leftYAxis: { min: 0, label: 's', showUnits: false },
    }),
  ];
}
