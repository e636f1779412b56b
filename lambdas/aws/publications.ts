import type { ChannelId } from '../../lib/config/constants';
import type { ChannelMessage } from '../core/escalation/messages';

/**
 * An SNS Publish, as the stalled-GPU workflow's `sns:publish` integration and the escalation's
 * pager (lambdas/aws/pager.ts, which publishes under the incident's group lock) take it.
 */
export interface Publication {
  readonly TopicArn: string;
  readonly Subject: string;
  readonly Message: string;
  readonly MessageAttributes: Record<string, { readonly DataType: 'String'; readonly StringValue: string }>;
}

/** Pairs each message with its channel's topic; a channel without a topic is reported, not fatal. */
export function toPublications(
  messages: readonly ChannelMessage[],
  topics: Readonly<Partial<Record<ChannelId, string>>>,
  attributes: Record<string, string>,
): { publications: Publication[]; channels: ChannelId[]; missing: ChannelId[] } {
  const publications: Publication[] = [];
  const channels: ChannelId[] = [];
  const missing: ChannelId[] = [];
  for (const m of messages) {
    const topic = topics[m.channel];
    if (!topic) {
      missing.push(m.channel);
      continue;
    }
    channels.push(m.channel);
    publications.push({
      TopicArn: topic,
      // SNS uses the subject for email only; the other protocols ignore it.
      Subject: m.subject ?? `InfluenceGen ${attributes.severity ?? ''}`.trim(),
      Message: m.message,
      // Subscription filter policies can route escalation levels to different people.
      MessageAttributes: Object.fromEntries(
        Object.entries({ ...attributes, channel: m.channel }).map(([k, v]) => [
          k,
          { DataType: 'String' as const, StringValue: v },
        ]),
      ),
    });
  }
  return { publications, channels, missing };
}
