import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { ChannelId } from '../../lib/config/constants';
import { SECURITY_CHANNELS } from '../../lib/config/escalation';

export interface SecurityNotice {
  readonly subject: string;
  readonly message: string;
  /** What the subscriptions' filter policies may route on (`kind`: blocked, cap-reached, failed). */
  readonly kind: string;
}

export interface NoticeReport {
  readonly delivered: readonly ChannelId[];
  readonly failed: readonly { readonly channel: ChannelId; readonly error: string }[];
}

/**
 * Sends a notice to the security team's channels (seed 004 security routing: pagerduty_security_team,
 * slack_security_channel, email_security_dl), each on its own SNS topic as the escalation's pages
 * are. A channel with no topic, or a publish SNS refuses, is reported, never thrown: the block
 * stands whatever the page's fate.
 */
export async function notifySecurity(
  sns: SNSClient,
  topics: Readonly<Partial<Record<ChannelId, string>>>,
  notice: SecurityNotice,
): Promise<NoticeReport> {
  const delivered: ChannelId[] = [];
  const failed: { channel: ChannelId; error: string }[] = [];
  for (const channel of SECURITY_CHANNELS) {
    const topic = topics[channel];
    if (!topic) {
      failed.push({ channel, error: 'no topic for this channel' });
      continue;
    }
    try {
      await sns.send(
        new PublishCommand({
          TopicArn: topic,
          // SNS caps an email subject at 100 characters.
          Subject: notice.subject.slice(0, 100),
          Message: notice.message,
          MessageAttributes: {
            severity: { DataType: 'String', StringValue: 'Critical' },
            channel: { DataType: 'String', StringValue: channel },
            kind: { DataType: 'String', StringValue: `edge-block-${notice.kind}` },
          },
        }),
      );
      delivered.push(channel);
    } catch (error) {
      failed.push({ channel, error: `${(error as Error).name}: ${(error as Error).message}` });
    }
  }
  return { delivered, failed };
}
