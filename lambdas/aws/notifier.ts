import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { ChannelId } from '../../lib/config/schema';
import type { ChannelMessage } from '../core/escalation/messages';

/** Publishes rendered messages to the channel topics; a channel without a topic is reported, not fatal. */
export class Notifier {
  constructor(
    private readonly sns: SNSClient,
    private readonly topics: Readonly<Partial<Record<ChannelId, string>>>,
  ) {}

  async publish(
    messages: readonly ChannelMessage[],
    attributes: Record<string, string>,
  ): Promise<{ sent: ChannelId[]; missing: ChannelId[] }> {
    const sent: ChannelId[] = [];
    const missing: ChannelId[] = [];
    for (const m of messages) {
      const topic = this.topics[m.channel];
      if (!topic) {
        missing.push(m.channel);
        continue;
      }
      await this.sns.send(
        new PublishCommand({
          TopicArn: topic,
          Message: m.message,
          ...(m.subject ? { Subject: m.subject } : {}),
          // Subscription filter policies can route escalation levels to different people.
          MessageAttributes: Object.fromEntries(
            Object.entries({ ...attributes, channel: m.channel }).map(([k, v]) => [
              k,
              { DataType: 'String', StringValue: v },
            ]),
          ),
        }),
      );
      sent.push(m.channel);
    }
    return { sent, missing };
  }
}
