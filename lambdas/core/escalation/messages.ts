import type { RuntimeAlert } from '../../../lib/config/alert-runtime';
import { NOTIFICATION_TEMPLATES } from '../../../lib/config/notification-templates';
import type { ChannelId } from '../../../lib/config/schema';
import type { EscalationStep, Incident } from './types';
import { subjectLine } from '../sns-subject';

/** One notification as SNS publishes it to one channel topic. */
export interface ChannelMessage {
  readonly channel: ChannelId;
  readonly subject?: string;
  readonly message: string;
}

export interface MessageContext {
  readonly environment: string;
  readonly runbookBaseUrl: string;
  readonly at: Date;
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{([A-Za-z/]+)\}\}/g, (_, key: string) => values[key] ?? `{{${key}}}`);
}

/** An SMS page is one short line. */
const SMS_CHARACTERS = 140;

function values(
  incident: Incident,
  alert: RuntimeAlert,
  step: EscalationStep | undefined,
  ctx: MessageContext,
) {
  const ackCommand = `npm run ops -- ack ${incident.id} --env ${ctx.environment}${incident.severity === 'Critical' || alert.security ? ' --comment "<what you are doing>"' : ''}`;
  return {
    SEVERITY: incident.severity.toUpperCase(),
    AlertName: alert.name,
    'Host/Service': `${incident.component} (${incident.subject})`,
    AlertDescription: alert.description,
    AlertCondition: alert.condition,
    TimestampUTC: ctx.at.toISOString(),
    RunbookURL: new URL(alert.runbook, ctx.runbookBaseUrl).toString(),
    Level: step ? `L${step.level}` : '-',
    Audience: step?.audience ?? '-',
    AckInstructions: ackCommand,
    AckShort: `ops ack ${incident.id} --env ${ctx.environment}`,
    IncidentId: incident.id,
  };
}

/**
 * The page for one escalation step, rendered for each channel from seed 004's templates: email
 * (subject and body), SMS (one short line), Slack through AWS Chatbot (its custom-notification
 * JSON) and PagerDuty (the CloudWatch-alarm JSON its Amazon CloudWatch integration reads).
 */
export function pageMessages(
  incident: Incident,
  alert: RuntimeAlert,
  step: EscalationStep,
  channels: readonly ChannelId[],
  ctx: MessageContext,
): ChannelMessage[] {
  const v = values(incident, alert, step, ctx);
  return channels.map((channel) => render(channel, v, incident, 'ALARM'));
}

/** The resolution notice, to every channel the incident was paged on. */
export function resolutionMessages(
  incident: Incident,
  alert: RuntimeAlert,
  channels: readonly ChannelId[],
  ctx: MessageContext,
): ChannelMessage[] {
  const v = values(incident, alert, undefined, ctx);
  const title = fill(NOTIFICATION_TEMPLATES.resolvedSubject, v);
  const text = fill(NOTIFICATION_TEMPLATES.resolvedBody, v);
  return channels.flatMap((channel) =>
    channel.startsWith('pagerduty')
      ? [render(channel, v, incident, 'OK')]
      : noticeMessages([channel], incident.id, title, text),
  );
}

/**
 * A notice people read rather than act on (a resolution, a repair): the title and text as email,
 * a Chatbot notification for Slack, and one short line elsewhere.
 */
export function noticeMessages(
  channels: readonly ChannelId[],
  incidentId: string,
  title: string,
  text: string,
): ChannelMessage[] {
  return channels.map((channel) =>
    channel.startsWith('email')
      ? { channel, subject: subjectLine(title), message: text }
      : channel.startsWith('slack')
        ? { channel, message: chatbot(incidentId, title, text) }
        : { channel, message: text.slice(0, SMS_CHARACTERS) },
  );
}

function render(
  channel: ChannelId,
  v: Record<string, string>,
  incident: Incident,
  state: 'ALARM' | 'OK',
): ChannelMessage {
  // What a workflow saw and tried before paging (e.g. the stalled-GPU remediation) comes first
  // in what people read at length; SMS stays one short line.
  const findings = state === 'ALARM' && incident.findings ? incident.findings : undefined;
  if (channel.startsWith('email')) {
    const body = fill(NOTIFICATION_TEMPLATES.emailBody, v);
    return {
      channel,
      subject: subjectLine(fill(NOTIFICATION_TEMPLATES.emailSubject, v)),
      message: findings ? `${body}\n\nWhat the control plane saw and tried: ${findings}` : body,
    };
  }
  if (channel.startsWith('slack')) {
    const text = fill(NOTIFICATION_TEMPLATES.slack, v);
    return {
      channel,
      message: chatbot(
        incident.id,
        fill(NOTIFICATION_TEMPLATES.emailSubject, v),
        findings ? `${text}\n*Seen and tried:* ${findings}` : text,
      ),
    };
  }
  if (channel === 'sms')
    return { channel, message: fill(NOTIFICATION_TEMPLATES.sms, v).slice(0, SMS_CHARACTERS) };
  return {
    channel,
    message: JSON.stringify({
      AlarmName: `${v.AlertName} ${incident.id}`,
      AlarmDescription: v.AlertDescription,
      NewStateValue: state,
      NewStateReason:
        state === 'ALARM'
          ? `${v.AlertCondition}; escalation ${v.Level} (${v.Audience}); runbook ${v.RunbookURL}${findings ? `; seen and tried: ${findings}` : ''}`
          : 'resolved',
      StateChangeTime: v.TimestampUTC,
      IncidentId: incident.id,
      Severity: incident.severity,
    }),
  };
}

/** AWS Chatbot's custom notification format. */
function chatbot(id: string, title: string, description: string): string {
  return JSON.stringify({
    version: '1.0',
    source: 'custom',
    id,
    content: { textType: 'client-markdown', title, description },
  });
}
