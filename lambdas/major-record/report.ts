/**
 * What one channel's branch of the workflow's Notify state ended with: a stakeholder list's topic
 * (SMS and email in one publish) or PagerDuty. `reached` means the service accepted the message.
 */
export interface Delivery {
  readonly target: string;
  readonly channel: 'sms+email' | 'pagerduty';
  readonly status: 'reached' | 'failed' | 'skipped';
  readonly detail?: string;
  readonly error?: string;
  readonly cause?: string;
}

export interface MajorReport {
  readonly status: 'notified' | 'partly-notified' | 'nobody-reached';
  readonly action: 'declare' | 'end';
  readonly majorId: string;
  readonly reached: string[];
  readonly failed: Array<{ readonly target: string; readonly error: string }>;
  readonly skipped: Array<{ readonly target: string; readonly why: string }>;
  readonly summary: string;
}

/** The workflow's result: who was reached, what failed (with its error), what was not sent and why. */
export function summarise(
  action: 'declare' | 'end',
  majorId: string,
  deliveries: readonly Delivery[],
): MajorReport {
  const label = (d: Delivery) => (d.channel === 'pagerduty' ? 'PagerDuty' : `${d.target} (SMS, email)`);
  const reached = deliveries.filter((d) => d.status === 'reached').map(label);
  const failed = deliveries
    .filter((d) => d.status === 'failed')
    .map((d) => ({
      target: label(d),
      // The cause is Step Functions' text, possibly long: the first line and 300 characters say it.
      error: [d.error, d.cause?.split('\n')[0]?.slice(0, 300)].filter(Boolean).join(': ') || 'failed',
    }));
  const skipped = deliveries
    .filter((d) => d.status === 'skipped')
    .map((d) => ({ target: label(d), why: d.detail ?? 'not sent' }));
  const status = failed.length === 0 ? 'notified' : reached.length > 0 ? 'partly-notified' : 'nobody-reached';
  const summary = [
    `reached ${reached.length > 0 ? reached.join(', ') : 'nobody'}`,
    failed.length > 0 ? `FAILED ${failed.map((f) => f.target).join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  return { status, action, majorId, reached, failed, skipped, summary };
}
