import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { ChannelId } from '../../lib/config/constants';
import { deliveryKey } from '../core/escalation/incident-state';
import type { StateStore } from './state-store';
import type { Lease } from './lease-lock';
import type { Publication } from './publications';

/** Rendered messages paired with their channels, as toPublications returns them. */
export interface Rendered {
  readonly publications: readonly Publication[];
  readonly channels: readonly ChannelId[];
}

export interface DeliveryReport {
  readonly delivered: readonly ChannelId[];
  /** Delivered by an earlier attempt (a retry, a redrive or a taken-over execution): not sent again. */
  readonly alreadyDelivered: readonly ChannelId[];
  readonly failed: readonly { readonly channel: ChannelId; readonly error: string }[];
}

export class LeaseExpiringError extends Error {
  override readonly name = 'LeaseExpiring';
}

/**
 * Publishes pages exactly once per key: a key already delivered is skipped; a message is recorded
 * as delivered only after SNS accepted it (with its message id); a message SNS refuses after the
 * client's retries is recorded as failed, not as sent. Runs under the incident's group lock, so a
 * page cannot go out after the resolution that Register commits under the same lock.
 */
export async function deliverOnce(
  deps: { readonly sns: SNSClient; readonly store: StateStore; readonly now: () => Date },
  incidentId: string,
  step: number | 'resolved',
  rendered: Rendered,
  lease: Lease,
): Promise<DeliveryReport> {
  const incident = await deps.store.incident(incidentId);
  const done = incident?.delivered ?? {};
  const delivered: ChannelId[] = [];
  const alreadyDelivered: ChannelId[] = [];
  const failed: { channel: ChannelId; error: string }[] = [];
  const publications = rendered.publications.map((publication, i) => {
    const channel = rendered.channels[i] as ChannelId;
    // `<step>#<channel>` or `resolved#<channel>`: what makes each message once-only.
    return { key: deliveryKey(step, channel), channel, publication };
  });
  for (const p of publications) {
    if (done[p.key]) {
      alreadyDelivered.push(p.channel);
      continue;
    }
    // The next holder must not overlap this publish: stop (retryably) while the lease still holds.
    if (lease.ending()) throw new LeaseExpiringError('lease almost over; retrying');
    let messageId: string;
    try {
      // Bounded by the lease: a publish still in flight when the next holder may take over could
      // land after a resolution that holder commits. Abandoned, it counts as failed (the channel
      // is retried or falls back), never as delivered.
      const result = await deps.sns.send(new PublishCommand({ ...p.publication }), {
        abortSignal: AbortSignal.timeout(Math.max(1, lease.usableMs())),
      });
      messageId = result.MessageId ?? 'unknown';
    } catch (error) {
      const text = `${(error as Error).name}: ${(error as Error).message}`;
      await deps.store.recordFailedDelivery(incidentId, p.key, { at: deps.now().toISOString(), error: text });
      failed.push({ channel: p.channel, error: text });
      continue;
    }
    // SNS accepted it: recording it now is what keeps a retry from sending it again, so a failing
    // write is retried here rather than by the workflow (which would publish again).
    await persist(() =>
      deps.store.recordDelivery(incidentId, p.key, { at: deps.now().toISOString(), messageId }),
    );
    delivered.push(p.channel);
  }
  return { delivered, alreadyDelivered, failed };
}

/** Retries one write with backoff (about 2.5 s in all) before giving up. */
async function persist(write: () => Promise<unknown>, attempts = 8): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await write();
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * 2 ** attempt));
    }
  }
}
