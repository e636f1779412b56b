import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { WatchedDeadLetters } from './dead-letters';
import { FIVE_MINUTES, GRID } from './dashboard-grid';

/**
 * The dead-letter queues DeadLetterAlarms watches, one line each, per five minutes as the alarms
 * count: letters waiting, against the alarms' own threshold, and how long the oldest has waited
 * (they are kept DEAD_LETTER_RETENTION).
 */
export function deadLetterWidgets(
  queues: Readonly<Record<string, WatchedDeadLetters>>,
  alarms: readonly cloudwatch.Alarm[],
): cloudwatch.GraphWidget[] {
  const entries = Object.entries(queues);
  const at = (label: string) => ({ period: FIVE_MINUTES, statistic: 'Maximum', label });
  const thresholds = [...new Set(alarms.map((a) => a.toAnnotation().value))];
  return [
    new cloudwatch.GraphWidget({
      title: 'Dead letters waiting, per queue',
      width: GRID.half,
      left: entries.map(([label, { queue }]) => queue.metricApproximateNumberOfMessagesVisible(at(label))),
      leftYAxis: { min: 0, showUnits: false },
      leftAnnotations: thresholds.map((value) => ({
        value,
        label: `alarm at ${value}`,
        color: cloudwatch.Color.RED,
      })),
    }),
    new cloudwatch.GraphWidget({
      title: 'Oldest dead letter, per queue (s)',
      width: GRID.half,
      left: entries.map(([label, { queue }]) => queue.metricApproximateAgeOfOldestMessage(at(label))),
      leftYAxis: { min: 0, label: 's', showUnits: false },
    }),
  ];
}
