import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { watchAlarmName } from '../../config/naming';
import { watchRunbookUrl } from './watch';
import type { ChannelId } from '../../config';
import type { ControlPlaneRuntime } from './runtime';

/** How long a dead letter waits to be read and redriven: SQS's maximum. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

/**
 * A dead-letter queue of the control plane: encrypted with its key, TLS only, letters kept 14
 * days. What lands here is a delivery nobody acted on; DeadLetterAlarms pages on the first one.
 */
export function deadLetterQueue(scope: Construct, id: string, key: kms.IKey, holds: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: key,
    enforceSSL: true,
    retentionPeriod: DEAD_LETTER_RETENTION,
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `This queue is itself a dead-letter queue: it holds ${holds}.`,
  });
  return queue;
}

export interface WatchedDeadLetters {
  readonly queue: sqs.IQueue;
  /** What a letter in it means, for whoever is paged. */
  readonly holds: string;
}

export interface DeadLetterAlarmsProps {
  readonly runtime: ControlPlaneRuntime;
  /** Who is paged; the same as ControlPlaneWatch's, for the same reason. */
  readonly channels: readonly ChannelId[];
  /** Label (part of the alarm name) -> the queue and what its letters are. */
  readonly queues: Readonly<Record<string, WatchedDeadLetters>>;
}

/**
 * One alarm per dead-letter queue: a single visible message alarms. Like ControlPlaneWatch's
 * alarms they act through direct SNS alarm actions on the channel topics, not through the router
 * (whose failures some of these queues hold), and their names (`watch-influencegen-<env>-dlq-*`)
 * lack the catalogue's prefix, so the router's rule does not pick them up. A letter stays until
 * someone reads (and redrives or deletes) it, so the alarm stays in ALARM until then.
 */
export class DeadLetterAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: DeadLetterAlarmsProps) {
    super(scope, id);
    const { runtime } = props;
    const notify = props.channels.map((c) => new actions.SnsAction(runtime.topics[c]));
    for (const [label, { queue, holds }] of Object.entries(props.queues)) {
      const alarm = new cloudwatch.Alarm(this, label, {
        alarmName: watchAlarmName(runtime.environment, `dlq-${label}`),
        alarmDescription: `Dead letters in ${queue.node.path}: ${holds}. Read them, fix the cause, then redrive or delete them. Runbook: ${watchRunbookUrl(runtime.runbookBaseUrl, 'dead-letters')}`,
        // SQS publishes queue metrics every minute; a letter waits 14 days, so 5 minutes is soon enough.
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // An empty queue that nothing touches stops reporting after six hours: that is no letter.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      for (const action of notify) alarm.addAlarmAction(action);
      this.alarms.push(alarm);
    }
  }
}
