import type { StakeholderList } from '../../../lib/config/major-incident-lists';
import { subjectLine } from '../sns-subject';

/**
 * What a major incident's declaration and end say, per protocol: one SNS publish per stakeholder
 * list carries both (MessageStructure `json`: SNS gives each subscription its protocol's text), and
 * the PagerDuty event for the Incident Commander and the executives on call.
 */

export interface MajorNotice {
  readonly environment: string;
  readonly majorId: string;
  readonly reason: string;
  readonly requestedBy: string;
  readonly at: string;
  readonly lists: readonly StakeholderList[];
  readonly runbookUrl: string;
}

/** An SNS publish with MessageStructure `json`: `default` for any protocol without its own text. */
export interface SnsNotice {
  readonly subject: string;
  readonly message: string;
}

/** Two SMS segments at most: a major-incident text must stay readable on a lock screen. */
const SMS_CHARACTERS = 300;

export function declarationNotice(n: MajorNotice): SnsNotice {
  const sms = `MAJOR INCIDENT (InfluenceGen ${n.environment}): ${n.reason}. Id ${n.majorId}. Details by email; stand by for the Incident Commander.`;
  const email = [
    `A major incident has been declared for InfluenceGen ${n.environment}.`,
    '',
    `Reason:       ${n.reason}`,
    `Declared by:  ${n.requestedBy}`,
    `Declared at:  ${n.at}`,
    `Incident id:  ${n.majorId}`,
    `Notified:     ${n.lists.join(', ')}`,
    '',
    'The Incident Commander leads the response; wait for their instructions before acting.',
    `Procedure: ${n.runbookUrl}`,
    '',
    'You will be told here when the major incident is over.',
  ].join('\n');
  return structured(subjectLine(`MAJOR INCIDENT InfluenceGen ${n.environment}: ${n.reason}`), sms, email);
}

export function endNotice(n: MajorNotice & { readonly declaredReason: string }): SnsNotice {
  const sms = `Major incident OVER (InfluenceGen ${n.environment}), id ${n.majorId}: ${n.reason}.`;
  const email = [
    `The major incident ${n.majorId} for InfluenceGen ${n.environment} is over.`,
    '',
    `Declared for: ${n.declaredReason}`,
    `Ended because: ${n.reason}`,
    `Ended by:     ${n.requestedBy}`,
    `Ended at:     ${n.at}`,
    '',
    `The post-incident review follows the procedure at ${n.runbookUrl}`,
  ].join('\n');
  return structured(subjectLine(`Major incident over: InfluenceGen ${n.environment}`), sms, email);
}

function structured(subject: string, sms: string, email: string): SnsNotice {
  const short = sms.length <= SMS_CHARACTERS ? sms : `${sms.slice(0, SMS_CHARACTERS - 3)}...`;
  return { subject, message: JSON.stringify({ default: short, sms: short, email }) };
}

/** One PagerDuty Events API v2 event (the routing key is added by the function that sends it). */
export interface PagerDutyEvent {
  readonly event_action: 'trigger' | 'resolve';
  /** One alert per major incident: the end resolves what the declaration triggered. */
  readonly dedup_key: string;
  readonly payload?: {
    readonly summary: string;
    readonly source: string;
    /** `critical` is high urgency on a service whose urgency follows the alert's severity. */
    readonly severity: 'critical';
    readonly timestamp: string;
    readonly component: string;
    readonly custom_details: Record<string, string>;
  };
  readonly links?: ReadonlyArray<{ readonly href: string; readonly text: string }>;
}

const pagerDutyDedupKey = (environment: string, majorId: string) =>
  `influencegen-${environment}-major-${majorId}`;

export function pagerDutyTrigger(n: MajorNotice, broadImpact: boolean): PagerDutyEvent {
  return {
    event_action: 'trigger',
    dedup_key: pagerDutyDedupKey(n.environment, n.majorId),
    payload: {
      // PagerDuty keeps 1024 characters of a summary.
      summary: `MAJOR INCIDENT InfluenceGen ${n.environment}: ${n.reason}`.slice(0, 1024),
      source: `influencegen-${n.environment}`,
      severity: 'critical',
      timestamp: n.at,
      component: 'platform',
      custom_details: {
        majorId: n.majorId,
        declaredBy: n.requestedBy,
        broadImpact: String(broadImpact),
        notified: n.lists.join(', '),
      },
    },
    links: [{ href: n.runbookUrl, text: 'Major incident procedure' }],
  };
}

export function pagerDutyResolve(environment: string, majorId: string): PagerDutyEvent {
  return { event_action: 'resolve', dedup_key: pagerDutyDedupKey(environment, majorId) };
}
