import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { ChannelId } from '../../lib/config/constants';
import { SECURITY_CHANNELS } from '../../lib/config/escalation';
import { toPublications } from './publications';

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
 * are. Not the escalation's pager (pager.ts): a block is no incident, so there is no incident record
 * to keep deliveries in nor a lock to publish under; a repeat is prevented by the block's own claim
 * and NOTICE# records. A channel with no topic, or a publish SNS refuses, is reported, never
 * thrown: the block stands whatever the page's fate.
 */
export async function notifySecurity(
  sns: SNSClient,
  topics: Readonly<Partial<Record<ChannelId, string>>>,
  notice: SecurityNotice,
): Promise<NoticeReport> {
  const { publications, channels, missing } = toPublications(
    // SNS caps an email subject at 100 characters.
    SECURITY_CHANNELS.map((channel) => ({
      channel,
      subject: notice.subject.slice(0, 100),
      message: notice.message,
    })),
    topics,
    { severity: 'Critical', kind: `edge-block-${notice.kind}` },
  );
  const delivered: ChannelId[] = [];
  const failed = missing.map((channel) => ({ channel, error: 'no topic for this channel' }));
  for (const [i, publication] of publications.entries()) {
    const channel = channels[i] as ChannelId;
    try {
      await sns.send(new PublishCommand({ ...publication }));
      delivered.push(channel);
    } catch (error) {
      failed.push({ channel, error: `${(error as Error).name}: ${(error as Error).message}` });
    }
  }
  return { delivered, failed };
}
