import type { ChannelId } from '../../../lib/config/constants';
import { noticeMessages, type ChannelMessage } from '../escalation/messages';
import type { RemediationStep } from './recheck';

/** One remediation step as the workflow carried it out. */
export interface StepTaken {
  readonly step: RemediationStep;
  readonly targets: readonly string[];
  /** The recheck's detail; absent when the step was not rechecked (the workflow failed before). */
  readonly recheck?: string;
}

const DONE: Readonly<Record<RemediationStep, string>> = {
  restart: 'stopped the serving task (ECS started a new one) on',
  replace: 'marked unhealthy for Auto Scaling to replace',
};

/**
 * What the workflow saw and tried, in the order it happened: the page carries it, so the person
 * paged does not repeat what was done, and the ledger keeps it.
 */
export function describeRemediation(seen: string, steps: readonly StepTaken[], notTried?: string): string {
  const tried = steps.map(
    (s, i) =>
      `${i + 1}. ${DONE[s.step]} ${s.targets.join(', ')} -> ${s.recheck ?? 'not rechecked (the workflow failed before)'}`,
  );
  return [
    `Seen: ${seen}.`,
    tried.length ? `Tried: ${tried.join(' ')}.` : 'Tried: nothing.',
    notTried ? `Not tried: ${notTried}.` : undefined,
  ]
    .filter(Boolean)
    .join(' ');
}

/** The notice that a stall was repaired without paging anyone. */
export function repairNotice(
  channels: readonly ChannelId[],
  context: { environment: string; incidentId: string; subject: string; findings: string; at: Date },
): ChannelMessage[] {
  const title = `REPAIRED: AI_Service_Stalled on flux-gpu (${context.environment})`;
  const text = `The control plane repaired a stalled GPU at ${context.at.toISOString()} (incident ${context.incidentId}, ${context.subject}). ${context.findings}`;
  return noticeMessages(channels, context.incidentId, title, text);
}
